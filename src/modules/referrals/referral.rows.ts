// Between stored referral rows and what the rules and the API work with.
import type { Referral as ReferralRow } from '../../generated/prisma/client';
import { notFound } from '../../common/errors';
import type { ClinicalMoments, ReferralContent, StatusTimes } from './referral.rules';
import type { Referral } from './referral.type';

/** The largest id of the int4 column. */
export const MAX_ID = 2 ** 31 - 1;

export type { ReferralRow };

export function toReferral(row: ReferralRow): Referral {
  return { ...row, id: String(row.id) };
}

export function timesOf(row: StatusTimes): StatusTimes {
  const { requestedAt, acceptedAt, arrivedAt, completedAt, rejectedAt, cancelledAt } = row;
  return { requestedAt, acceptedAt, arrivedAt, completedAt, rejectedAt, cancelledAt };
}

export function momentsOf(row: ClinicalMoments): ClinicalMoments {
  return { firstContactAt: row.firstContactAt, admittedAt: row.admittedAt };
}

export function contentOf(row: Omit<ReferralContent, 'times' | 'moments'> & StatusTimes & ClinicalMoments): ReferralContent {
  return {
    patientRef: row.patientRef,
    fromCode: row.fromCode,
    toCode: row.toCode,
    urgency: row.urgency,
    channel: row.channel ?? null,
    reason: row.reason ?? null,
    diagnosisCode: row.diagnosisCode ?? null,
    times: timesOf(row),
    moments: momentsOf(row),
  };
}

/** The columns of a referral's content. */
export function columnsOf(content: ReferralContent) {
  return {
    patientRef: content.patientRef,
    fromCode: content.fromCode,
    toCode: content.toCode,
    urgency: content.urgency as ReferralRow['urgency'],
    channel: content.channel as ReferralRow['channel'],
    reason: content.reason,
    diagnosisCode: content.diagnosisCode,
    ...content.times,
    ...content.moments,
  };
}

/** A referral id as the API shows it; anything else is a referral that does not exist. */
export function parseId(id: string, field: string): number {
  const n = /^[0-9]{1,10}$/.test(id) ? Number(id) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ID) throw notFound('Referral', id, field);
  return n;
}
