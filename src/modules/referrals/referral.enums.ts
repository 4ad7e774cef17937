// The referral domain's GraphQL enums: the Prisma enums (the stored values) plus the counter windows.
import { registerEnumType } from 'type-graphql';
import { ReferralChannel, ReferralStatus, ReferralUrgency } from '../../generated/prisma/enums';

export { ReferralChannel, ReferralStatus, ReferralUrgency };

registerEnumType(ReferralUrgency, {
  name: 'ReferralUrgency',
  valuesConfig: {
    ROUTINE: { description: '普通转诊' },
    URGENT: { description: '急诊转诊' },
    GREEN_CHANNEL: { description: '绿色通道: chest pain, stroke, trauma… (counted in `greenChannel`)' },
  },
});

registerEnumType(ReferralChannel, {
  name: 'ReferralChannel',
  description: 'How the referral was arranged.',
  valuesConfig: {
    REMOTE_ECG: { description: '心电一张网: the ECG taken at the clinic, read at the hospital' },
    REMOTE_IMAGING: { description: '远程影像' },
    ONLINE_PLATFORM: { description: 'The group\'s referral platform' },
    PHONE: { description: 'By telephone' },
  },
});

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'REQUESTED → ACCEPTED → ARRIVED → COMPLETED; REJECTED or CANCELLED from REQUESTED or ACCEPTED.',
  valuesConfig: {
    REQUESTED: { description: 'Sent by the referring institution, not yet answered (counted in `pending`)' },
    ACCEPTED: { description: 'The receiving institution accepted it' },
    ARRIVED: { description: 'The patient arrived at the receiving institution' },
    COMPLETED: { description: 'Treatment at the receiving institution ended' },
    REJECTED: { description: 'The receiving institution declined it' },
    CANCELLED: { description: 'Withdrawn by the referring institution' },
  },
});

export enum CounterWindow {
  TODAY = 'TODAY',
  LAST_7_DAYS = 'LAST_7_DAYS',
  THIS_MONTH = 'THIS_MONTH',
  ALL_TIME = 'ALL_TIME',
}

registerEnumType(CounterWindow, {
  name: 'CounterWindow',
  description: 'Which referrals the counters count, by the local day of the group\'s time zone on which they were requested.',
  valuesConfig: {
    TODAY: { description: 'Requested since local midnight' },
    LAST_7_DAYS: { description: 'Requested today or on the six days before' },
    THIS_MONTH: { description: 'Requested since the first day of the local month' },
    ALL_TIME: { description: 'Every referral' },
  },
});
