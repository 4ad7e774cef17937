// GraphQL enums of the personnel domain, registered from the Prisma enums.
import { registerEnumType } from 'type-graphql';
import { PersonnelFlowKind, Profession, StaffTitle } from '../../generated/prisma/enums';
import { directionsOfKind } from './flow-kind.rules';

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
  description:
    'The form of a posting; it must fit the direction (KIND_DOES_NOT_FIT_DIRECTION, field kind). Experts go down, grassroots staff go up ("派一送一"); a declared lateral move between two institutions of one level is an exchange between peers: learning there (TRAINING, SECONDMENT) or a specialist\'s sessions or occasional help (CLINIC_SESSION, AD_HOC). Each value says the directions it may take.',
  valuesConfig: {
    STATIONED: { description: `驻点帮扶: stationed at a member (${directionsOfKind(PersonnelFlowKind.STATIONED)})` },
    PERIODIC: { description: `定期帮扶: regular visits (${directionsOfKind(PersonnelFlowKind.PERIODIC)})` },
    AD_HOC: { description: `不定期帮扶: occasional support (${directionsOfKind(PersonnelFlowKind.AD_HOC)})` },
    DEPUTY_HEAD: { description: `派驻副院长: posted as deputy head of a branch (${directionsOfKind(PersonnelFlowKind.DEPUTY_HEAD)})` },
    CLINIC_SESSION: { description: `坐诊 / 专家下乡: expert clinic sessions (${directionsOfKind(PersonnelFlowKind.CLINIC_SESSION)})` },
    NURSE_POSTING: { description: `护理人员进驻分院: nurses posted to a branch (${directionsOfKind(PersonnelFlowKind.NURSE_POSTING)})` },
    TRAINING: { description: `进修 / 培训学习: training at a higher level or at a peer (${directionsOfKind(PersonnelFlowKind.TRAINING)})` },
    SECONDMENT: { description: `挂职跟班学习: secondment to a higher level or to a peer (${directionsOfKind(PersonnelFlowKind.SECONDMENT)})` },
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
