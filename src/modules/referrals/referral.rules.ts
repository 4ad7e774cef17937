// The referral domain's rules, as pure functions: what a patient reference and a diagnosis code may
// look like, the status machine, a record's status history (and how a replay may extend it), and the
// content hash that makes batch writes idempotent.
import { RuleViolation } from '../../common/batch';
import { checkKeyHoldsNoIdentifier, checkNoIdentifier } from '../../common/identifiers';
import { contentHash as hashOf } from '../../common/record-key';
import { checkText } from '../../common/text';
import { checkTimeRange } from '../../common/time-range';
import { ReferralStatus } from './referral.enums';
import type { CreateReferralInput } from './referral.input';
import { shown } from '../../common/scalars';

/** How far in the future a time may lie (clock skew between a source system and the gateway). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_PATIENT_REF_LENGTH = 64;
export const MAX_REASON_LENGTH = 500;

const CJK = /[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

/**
 * A pseudonymous patient reference is stored as given, unless it could identify the patient: it must
 * not hold CJK characters (a name), a resident ID number or a phone number.
 */
export function checkPatientRef(ref: string, field = 'patientRef'): string {
  checkText(ref, field);
  if (!ref.trim()) throw new RuleViolation('INVALID_PATIENT_REF', 'patientRef must not be empty', field);
  if (ref.length > MAX_PATIENT_REF_LENGTH) {
    throw new RuleViolation('INVALID_PATIENT_REF', `patientRef may hold at most ${MAX_PATIENT_REF_LENGTH} characters`, field);
  }
  if (CJK.test(ref)) {
    throw new RuleViolation('IDENTIFYING_PATIENT_REF', 'patientRef must be pseudonymous: it holds CJK characters (a name?)', field);
  }
  checkNoIdentifier(ref, field, 'IDENTIFYING_PATIENT_REF');
  return ref;
}

/** ICD-10 in form: a letter (not U), two digits (the second may be A or B), an optional subdivision. */
export const ICD10 = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

export function checkDiagnosisCode(code: string | null | undefined, field = 'diagnosisCode'): string | null {
  if (code === null || code === undefined) return null;
  checkText(code, field);
  const normalized = code.trim().toUpperCase();
  if (!ICD10.test(normalized)) {
    throw new RuleViolation('INVALID_DIAGNOSIS_CODE', `diagnosisCode "${code}" is not an ICD-10 code such as I21.9, J18 or E11.65`, field);
  }
  return normalized;
}

export function checkReason(reason: string | null | undefined, field = 'reason'): string | null {
  if (reason === null || reason === undefined) return null;
  checkText(reason, field, { multiline: true });
  if (!reason.trim()) return null;
  if (reason.length > MAX_REASON_LENGTH) throw new RuleViolation('INVALID_REASON', `reason may hold at most ${MAX_REASON_LENGTH} characters`, field);
  // Free text reaches provincial platforms: it must not carry the identifiers patientRef may not.
  checkNoIdentifier(reason, field, 'IDENTIFYING_REASON');
  return reason;
}

/** A time a source reports: not before 2000, not in the future beyond the clock skew. */
export function checkTime(at: Date, field: string, now = new Date()): Date {
  return checkTimeRange(at, field, { latest: new Date(now.getTime() + MAX_CLOCK_SKEW_MS), lateCode: 'TIME_IN_FUTURE', lateSays: 'lies in the future' });
}

/** The legal next statuses of each status. */
export const NEXT_STATUSES: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  REQUESTED: [ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.CANCELLED],
  ACCEPTED: [ReferralStatus.ARRIVED, ReferralStatus.REJECTED, ReferralStatus.CANCELLED],
  ARRIVED: [ReferralStatus.COMPLETED],
  COMPLETED: [],
  REJECTED: [],
  CANCELLED: [],
};

/** The column holding the time a referral entered each status. */
export const STATUS_TIME = {
  REQUESTED: 'requestedAt',
  ACCEPTED: 'acceptedAt',
  ARRIVED: 'arrivedAt',
  COMPLETED: 'completedAt',
  REJECTED: 'rejectedAt',
  CANCELLED: 'cancelledAt',
} as const satisfies Record<ReferralStatus, string>;

export type StatusTimes = { [K in (typeof STATUS_TIME)[ReferralStatus]]: Date | null } & { requestedAt: Date };

/** One step of a referral's history after REQUESTED. */
export interface Transition {
  status: ReferralStatus;
  at: Date;
}

/** The transitions after REQUESTED that the stored times describe, in order. */
export function historyOf(times: StatusTimes): Transition[] {
  const steps: Transition[] = [];
  for (const status of [ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED, ReferralStatus.COMPLETED, ReferralStatus.REJECTED, ReferralStatus.CANCELLED]) {
    const at = times[STATUS_TIME[status]];
    if (at) steps.push({ status, at });
  }
  // ACCEPTED precedes REJECTED/CANCELLED; the terminal step is always last.
  return steps;
}

/** The current status of a history. */
export function statusOf(history: readonly Transition[]): ReferralStatus {
  return history.length ? history[history.length - 1].status : ReferralStatus.REQUESTED;
}

/**
 * Checks one transition against the current status and the time of the latest step. Returns false
 * when it repeats the current status with the same time (idempotent: nothing to write).
 */
export function checkTransition(current: { status: ReferralStatus; latestAt: Date; currentAt: Date }, to: ReferralStatus, at: Date, field = 'to'): boolean {
  if (to === current.status) {
    if (at.getTime() === current.currentAt.getTime()) return false;
    throw new RuleViolation(
      'ILLEGAL_TRANSITION',
      `The referral is already ${to} since ${shown(current.currentAt)}; it cannot become ${to} again at ${shown(at)}`,
      'at',
    );
  }
  if (!NEXT_STATUSES[current.status].includes(to)) {
    const legal = NEXT_STATUSES[current.status];
    throw new RuleViolation(
      'ILLEGAL_TRANSITION',
      `A ${current.status} referral cannot become ${to}` + (legal.length ? ` (it may become ${legal.join(', ')})` : ` (${current.status} is final)`),
      field,
    );
  }
  if (at < current.latestAt) {
    throw new RuleViolation(
      'TIME_BEFORE_PREVIOUS',
      `${to} at ${shown(at)} is earlier than the previous step (${current.status} at ${shown(current.latestAt)})`,
      field === 'to' ? 'at' : field,
    );
  }
  return true;
}

/** Validates a whole history (a batch record's) from REQUESTED at `requestedAt`, and returns the times. */
export function timesOfHistory(requestedAt: Date, history: readonly Transition[], field = 'history', now = new Date()): StatusTimes {
  const times: StatusTimes = { requestedAt, acceptedAt: null, arrivedAt: null, completedAt: null, rejectedAt: null, cancelledAt: null };
  let status: ReferralStatus = ReferralStatus.REQUESTED;
  let latestAt = requestedAt;
  history.forEach((step, i) => {
    checkTime(step.at, `${field}.${i}.at`, now);
    if (step.status === status || !NEXT_STATUSES[status].includes(step.status)) {
      throw new RuleViolation('ILLEGAL_TRANSITION', `${field}[${i}]: a ${status} referral cannot become ${step.status}`, `${field}.${i}.status`);
    }
    if (step.at < latestAt) {
      throw new RuleViolation('TIME_BEFORE_PREVIOUS', `${field}[${i}]: ${step.status} is earlier than the step before it`, `${field}.${i}.at`);
    }
    times[STATUS_TIME[step.status]] = step.at;
    status = step.status;
    latestAt = step.at;
  });
  return times;
}

/**
 * The green channel's two moments, when a source knows them: first contact with the patient at the
 * referring institution (梅子铺: the chest-pain patient seen at the branch) and admission at the
 * receiving one (总院入院). "从分院接诊到总院入院用时不到一个小时" runs from the first to the second.
 */
export interface ClinicalMoments {
  firstContactAt: Date | null;
  admittedAt: Date | null;
}

export const NO_MOMENTS: ClinicalMoments = { firstContactAt: null, admittedAt: null };

/** How long before the request first contact may lie (a patient seen days before, then referred). */
export const MAX_FIRST_CONTACT_LEAD_MS = 7 * 24 * 60 * 60_000;

/**
 * The input fields a moment's conflict with the history is reported on. A moment the caller brings is
 * at fault on its own field (the defaults); a stored one cannot change, so the time the caller sent
 * is named instead (`requestedAt`, `at`, `history.<i>.at`).
 */
export interface MomentFields {
  /** Where a first contact after the request, or too long before it, is reported. */
  firstContactAt: string;
  /** Where an admission after the completion is reported. */
  admittedAt: string;
}

const OWN_FIELDS: MomentFields = { firstContactAt: 'firstContactAt', admittedAt: 'admittedAt' };

/**
 * Checks the moments against the status history: first contact not after the request (the patient was
 * seen before being referred) and at most MAX_FIRST_CONTACT_LEAD_MS before it, admission only once the
 * patient arrived, not before arrival and not after completion. Every time within the reported range.
 */
export function checkMoments(times: StatusTimes, moments: ClinicalMoments, now = new Date(), fields: MomentFields = OWN_FIELDS): ClinicalMoments {
  const { firstContactAt, admittedAt } = moments;
  if (firstContactAt) {
    checkTime(firstContactAt, 'firstContactAt', now);
    if (firstContactAt > times.requestedAt) {
      throw new RuleViolation(
        'FIRST_CONTACT_AFTER_REQUEST',
        `firstContactAt (${shown(firstContactAt)}) is after the request (${shown(times.requestedAt)}): the referring institution sees the patient first`,
        fields.firstContactAt,
      );
    }
    if (times.requestedAt.getTime() - firstContactAt.getTime() > MAX_FIRST_CONTACT_LEAD_MS) {
      throw new RuleViolation(
        'FIRST_CONTACT_TOO_EARLY',
        `firstContactAt (${shown(firstContactAt)}) is more than 7 days before the request (${shown(times.requestedAt)}): not the contact that led to this referral`,
        fields.firstContactAt,
      );
    }
  }
  if (admittedAt) {
    checkTime(admittedAt, 'admittedAt', now);
    if (!times.arrivedAt) {
      throw new RuleViolation('ADMITTED_NOT_ARRIVED', 'admittedAt needs the patient to have arrived (an ARRIVED step first)', 'admittedAt');
    }
    if (admittedAt < times.arrivedAt) {
      throw new RuleViolation(
        'ADMITTED_BEFORE_ARRIVAL',
        `admittedAt (${shown(admittedAt)}) is before the arrival (${shown(times.arrivedAt)})`,
        'admittedAt',
      );
    }
    if (times.completedAt && admittedAt > times.completedAt) {
      throw new RuleViolation(
        'ADMITTED_AFTER_COMPLETION',
        `The admission (${shown(admittedAt)}) is after the completion (${shown(times.completedAt)})`,
        fields.admittedAt,
      );
    }
  }
  return { firstContactAt, admittedAt };
}

/** Minutes from first contact to admission (the green-channel time), when both are known. */
export function greenChannelMinutes(moments: ClinicalMoments): number | null {
  if (!moments.firstContactAt || !moments.admittedAt) return null;
  return Math.round(((moments.admittedAt.getTime() - moments.firstContactAt.getTime()) / 60_000) * 100) / 100;
}

/**
 * A record's moments over the stored ones: a moment the record omits keeps its stored value, one the
 * referral has none of yet is added; a stored one never changes (as transitionReferral and a repeated
 * createReferral refuse it): FIRST_CONTACT_CONFLICT / ADMITTED_AT_CONFLICT on its field.
 */
export function mergeMoments(stored: ClinicalMoments, record: ClinicalMoments): ClinicalMoments {
  const conflicts = [
    ['firstContactAt', 'FIRST_CONTACT_CONFLICT', 'first contact'],
    ['admittedAt', 'ADMITTED_AT_CONFLICT', 'admission'],
  ] as const;
  for (const [field, code, what] of conflicts) {
    const had = stored[field];
    const sent = record[field];
    if (had && sent && had.getTime() !== sent.getTime()) {
      throw new RuleViolation(code, `The referral's ${what} is stored as ${shown(had)} already; it cannot change to ${shown(sent)}`, field);
    }
  }
  return { firstContactAt: record.firstContactAt ?? stored.firstContactAt, admittedAt: record.admittedAt ?? stored.admittedAt };
}

/** The part of a referral its content hash covers: everything a source can send. */
export interface ReferralContent {
  patientRef: string;
  fromCode: string;
  toCode: string;
  urgency: string;
  channel: string | null;
  reason: string | null;
  diagnosisCode: string | null;
  times: StatusTimes;
  moments: ClinicalMoments;
}

/**
 * Stored with the referral: never change what it covers or how. The moments (added later) are
 * appended only when one is set, so that the hashes of rows written before them stay valid.
 */
export function contentHash(content: ReferralContent): string {
  const t = content.times;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return hashOf([
    content.patientRef,
    content.fromCode,
    content.toCode,
    content.urgency,
    content.channel,
    content.reason,
    content.diagnosisCode,
    iso(t.requestedAt),
    iso(t.acceptedAt),
    iso(t.arrivedAt),
    iso(t.completedAt),
    iso(t.rejectedAt),
    iso(t.cancelledAt),
    ...(content.moments.firstContactAt || content.moments.admittedAt ? [iso(content.moments.firstContactAt), iso(content.moments.admittedAt)] : []),
  ]);
}

/** The create-time fields of a referral, validated in form. */
export interface PreparedReferral {
  source: string;
  externalId: string;
  content: ReferralContent;
}

/** The (source, externalId) a referral is known by, trimmed and checked. */
export function identityOf(input: { source: string; externalId: string }): { source: string; externalId: string } {
  checkText(input.source, 'source');
  checkText(input.externalId, 'externalId');
  const source = input.source.trim();
  const externalId = input.externalId.trim();
  if (!source || source.length > 64) throw new RuleViolation('INVALID_SOURCE', 'source must hold 1 to 64 characters', 'source');
  if (!externalId || externalId.length > 128) throw new RuleViolation('INVALID_EXTERNAL_ID', 'externalId must hold 1 to 128 characters', 'externalId');
  // Keys are shown to provincial tokens: no resident ID or phone number in them.
  checkKeyHoldsNoIdentifier(source, 'source');
  checkKeyHoldsNoIdentifier(externalId, 'externalId');
  return { source, externalId };
}

/** Checks a referral's own fields (not its ends) and normalises them. */
export function prepareReferral(input: CreateReferralInput, times: StatusTimes, now = new Date()): PreparedReferral {
  // The ends are looked up in SQL for the whole batch: a refused character must stop this record first.
  checkText(input.fromCode, 'fromCode');
  checkText(input.toCode, 'toCode');
  return {
    ...identityOf(input),
    content: {
      patientRef: checkPatientRef(input.patientRef),
      fromCode: input.fromCode,
      toCode: input.toCode,
      urgency: input.urgency,
      channel: input.channel ?? null,
      reason: checkReason(input.reason),
      diagnosisCode: checkDiagnosisCode(input.diagnosisCode),
      times,
      moments: checkMoments(times, { firstContactAt: input.firstContactAt ?? null, admittedAt: input.admittedAt ?? null }, now),
    },
  };
}

/**
 * The history of a stored referral combined with the one a record carries: either may extend the
 * other (a record sent before the gateway received later steps by transitionReferral leaves them in
 * place); any other difference in the steps is a conflict.
 */
export function mergeHistories(stored: StatusTimes, record: StatusTimes): StatusTimes {
  const a = historyOf(stored);
  const b = historyOf(record);
  const [shorter, longerTimes] = a.length <= b.length ? [a, record] : [b, stored];
  shorter.forEach((_, i) => {
    // Named by what each side is (sent or stored), whichever history is the longer.
    if (a[i].status !== b[i].status || a[i].at.getTime() !== b[i].at.getTime()) {
      throw new RuleViolation(
        'HISTORY_CONFLICT',
        `Step ${i} of the history (${b[i].status} at ${shown(b[i].at)}) differs from the stored one (${a[i].status} at ${shown(a[i].at)})`,
        `history.${i}`,
      );
    }
  });
  // requestedAt comes from the record (a correction); the combined history must still start after it.
  const merged: StatusTimes = { ...longerTimes, requestedAt: record.requestedAt };
  const steps = historyOf(merged);
  const first = steps[0];
  if (first && first.at < record.requestedAt && b.length === 0) {
    // The record sent no step: its requestedAt is what contradicts the stored history.
    throw new RuleViolation('TIME_BEFORE_PREVIOUS', `requestedAt (${shown(record.requestedAt)}) is after the stored ${first.status} step (${shown(first.at)})`, 'requestedAt');
  }
  return timesOfHistory(record.requestedAt, steps, 'history');
}
