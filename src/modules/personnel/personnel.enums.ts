// GraphQL enums of the personnel domain, registered from the Prisma enums.
import { registerEnumType } from 'type-graphql';
import { PersonnelFlowKind, Profession, StaffTitle } from '../../generated/prisma/enums';

registerEnumType(StaffTitle, {
  name: 'StaffTitle',
  description: 'Professional title level (职称).',
  valuesConfig: {
    SENIOR: { description: '正高级' },
    ASSOCIATE_SENIOR: { description: '副高级' },
    INTERMEDIATE: { description: '中级' },
    JUNIOR: { description: '初级' },
    NONE: { description: 'No title' },
  },
});

registerEnumType(Profession, { name: 'Profession' });

registerEnumType(PersonnelFlowKind, {
  name: 'PersonnelFlowKind',
  description: 'The form of a posting. Experts go down, grassroots staff go up ("派一送一").',
  valuesConfig: {
    STATIONED: { description: '驻点帮扶: stationed at a member (down)' },
    PERIODIC: { description: '定期帮扶: regular visits (down)' },
    AD_HOC: { description: '不定期帮扶: occasional support (down)' },
    DEPUTY_HEAD: { description: '派驻副院长: posted as deputy head of a branch (down)' },
    CLINIC_SESSION: { description: '坐诊 / 专家下乡: expert clinic sessions (down)' },
    NURSE_POSTING: { description: '护理人员进驻分院: nurses posted to a branch (down)' },
    TRAINING: { description: '进修 / 培训学习: training at a higher level (up)' },
    SECONDMENT: { description: '挂职跟班学习: secondment to a higher level (up)' },
  },
});

export enum PersonnelFlowStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(PersonnelFlowStatus, {
  name: 'PersonnelFlowStatus',
  description: "Where a flow stands today, in its group's time zone.",
  valuesConfig: {
    PLANNED: { description: 'Starts after today' },
    ACTIVE: { description: 'Started, and open or ending today or later' },
    COMPLETED: { description: 'Ended before today' },
    CANCELLED: { description: 'Cancelled by the source; counted nowhere' },
  },
});

/** Titles that count as "intermediate or higher" (中级及以上). */
export const INTERMEDIATE_OR_HIGHER: StaffTitle[] = [StaffTitle.SENIOR, StaffTitle.ASSOCIATE_SENIOR, StaffTitle.INTERMEDIATE];

export { PersonnelFlowKind, Profession, StaffTitle };
