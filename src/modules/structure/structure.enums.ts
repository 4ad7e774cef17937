// GraphQL enums of the structure domain, registered from the Prisma enums so the two never diverge.
import { registerEnumType } from 'type-graphql';
import { InstitutionKind, RegionLevel, UnifiedDimension } from '../../generated/prisma/enums';

registerEnumType(InstitutionKind, {
  name: 'InstitutionKind',
  description: 'What an institution is in its county group. Levels: village 1 < township 2 < county 3 < external 4.',
  valuesConfig: {
    LEAD_HOSPITAL: { description: '牵头医院 / 总院: the county hospital that runs the group (level 3)' },
    COUNTY_HOSPITAL: { description: '县级成员: another county-level member, e.g. 县中医院 (level 3)' },
    TOWNSHIP_HEALTH_CENTER: { description: '分院 / 乡镇卫生院 / 社区卫生服务中心: a township-level member (level 2)' },
    VILLAGE_CLINIC: { description: '村卫生室 / 村卫生所 / 社区卫生服务站: a village point of care (level 1)' },
    EXTERNAL: { description: '上级医院: a partner hospital outside the groups it partners with, a member of none (level 4)' },
  },
});

registerEnumType(RegionLevel, { name: 'RegionLevel', description: 'GB/T 2260 administrative level.' });

registerEnumType(UnifiedDimension, {
  name: 'UnifiedDimension',
  description: 'A dimension a group manages in common ("N个统一"), comparable across groups.',
  valuesConfig: {
    ADMINISTRATION: { description: '行政 / 行政后勤' },
    PERSONNEL: { description: '人员 / 人事薪酬' },
    FINANCE: { description: '资金 / 财务审计' },
    PERFORMANCE: { description: '绩效 / 绩效考核' },
    MEDICAL_SERVICES: { description: '业务 / 医疗服务' },
    PUBLIC_HEALTH: { description: '公共卫生服务' },
    MEDICINES_AND_DEVICES: { description: '药械 / 药械业务' },
    INFORMATION_SYSTEMS: { description: '信息系统' },
  },
});

export { InstitutionKind, RegionLevel, UnifiedDimension };
