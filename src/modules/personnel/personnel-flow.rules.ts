// The rules of personnel flows, as pure functions: what a record must hold, which kinds fit which
// direction, which flows of one person may not overlap, and "派一送一" pairing. The recorder reads the
// stored flows and writes the accepted ones; everything it decides in between is decided here.
import { OUT_OF_SCOPE, RuleViolation } from '../../common/batch';
import { isoDay } from '../../common/clock';
import { checkKeyHoldsNoIdentifier, checkNoIdentifier, checkResidentId, normaliseResidentId } from '../../common/identifiers';
import { contentHash, externalIdOf, recordKey } from '../../common/record-key';
import { checkOptionalText, checkText } from '../../common/text';
import { checkTimeRange } from '../../common/time-range';
import { Direction, directionOf } from '../../common/direction';
import type { PersonnelFlowInput } from './personnel-flow.input';
import { directionsOfKind, KIND_DOES_NOT_FIT_DIRECTION, kindFitsDirection } from './flow-kind.rules';
import { belongsTo, recordGroup, type MembershipOf } from '../structure';

export const MAX_TEXT_LENGTH = 200;
/** How far ahead a flow's dates may lie (a planned posting); a flow without a known end omits endDate. */
export const MAX_YEARS_AHEAD = 10;

/** What the rules need to know of an institution a record names. */
export interface EndRef extends MembershipOf {
  level: number;
}

/** A record that passed the checks it can be judged on alone, normalised. */
export interface Candidate {
  index: number;
  input: PersonnelFlowInput;
  key: string;
  staffKey: string;
  groupCode: string;
  direction: Direction;
  /** One end is an external partner: never in-group upward or downward, never paired. */
  outOfCounty: boolean;
  start: number;
  end: number | null;
  cancelled: boolean;
  /** hashRecord of the record: equal to the stored flow's, it is a replay (UNCHANGED). */
  contentHash: string;
  /**
   * The rules of the record's own content it breaks, in order (kind and direction, lateral, dates,
   * home). Judged with the stored flow: a replay of what was accepted stays UNCHANGED whatever rules
   * came since, and cancelling a stored flow is always possible (a cancelled flow counts nowhere).
   */
  violations: RuleViolation[];
}

/** What the overlap and pair rules need to know of a flow, stored or incoming. */
export interface FlowState {
  key: string;
  externalId: string;
  direction: Direction;
  groupCode: string;
  fromCode: string;
  toCode: string;
  outOfCounty: boolean;
  start: number;
  end: number | null;
  cancelled: boolean;
  pairedKey: string | null;
  /** A stored flow's content hash. */
  contentHash?: string;
}

/** The stored flows and staff a batch is judged against. */
export interface StoredFlows {
  /** Stored flows related to the batch (same keys, pair partners, the same people's flows), by key. */
  flows: Map<string, FlowState>;
  /** The person (staff key) of each stored flow. */
  staffOf: Map<string, string>;
  /** The group of each stored person, by staff key. */
  staffGroups: Map<string, string>;
}

const day = (date: Date) => date.getTime();
const overlap = (a: { start: number; end: number | null }, b: { start: number; end: number | null }) =>
  a.start <= (b.end ?? Infinity) && b.start <= (a.end ?? Infinity);

export function maskIdNumber(idNumber: string): string {
  const value = normaliseResidentId(idNumber);
  return value.length < 10 ? '*'.repeat(value.length) : `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

function text(value: string, field: string): void {
  checkText(value, field);
  if (!value.trim()) throw new RuleViolation('REQUIRED', `${field} must not be empty`, field);
  if (value.length > MAX_TEXT_LENGTH) throw new RuleViolation('TOO_LONG', `${field} may hold at most ${MAX_TEXT_LENGTH} characters`, field);
}

/** A record that passed the checks of its own fields; it claims its (source, externalId) in the batch. */
export interface PreparedFlow {
  index: number;
  key: string;
  input: PersonnelFlowInput;
}

/** A key as referrals take it: trimmed (" WS-1 " is WS-1), and holding no resident ID or phone number (keys reach provincial tokens). */
function key(value: string, field: string): string {
  text(value, field);
  const trimmed = value.trim();
  checkKeyHoldsNoIdentifier(trimmed, field);
  return trimmed;
}

/** The checks of a record's own fields, before its identity counts in the batch; the record comes back with its keys trimmed. */
export function prepareFlow(raw: PersonnelFlowInput, index: number, now: Date = new Date()): PreparedFlow {
  checkOptionalText(raw.pairedExternalId, 'pairedExternalId');
  const paired = raw.pairedExternalId?.trim() || undefined;
  if (paired) checkKeyHoldsNoIdentifier(paired, 'pairedExternalId');
  const input: PersonnelFlowInput = {
    ...raw,
    source: key(raw.source, 'source'),
    externalId: key(raw.externalId, 'externalId'),
    staff: { ...raw.staff, externalId: key(raw.staff.externalId, 'staff.externalId') },
    pairedExternalId: paired,
  };
  text(input.staff.name, 'staff.name');
  // Codes are looked up in SQL for the whole batch: a refused character must stop this record first.
  checkText(input.fromCode, 'fromCode');
  checkText(input.toCode, 'toCode');
  checkText(input.staff.homeCode, 'staff.homeCode');
  // The name is shown to every token that reads the flow, provincial ones too.
  checkNoIdentifier(input.staff.name, 'staff.name', 'IDENTIFYING_NAME');
  if (input.staff.phone !== undefined && input.staff.phone !== null && !/^[0-9+\-() ]{3,32}$/.test(input.staff.phone)) {
    throw new RuleViolation('INVALID_PHONE', 'staff.phone must be a phone number', 'staff.phone');
  }
  // Length first: NFKC expands 330,000 × U+FDFA to 6 M characters (277 ms) before any check.
  if (input.staff.idNumber) checkResidentId(input.staff.idNumber, 'staff.idNumber', now);
  const latest = new Date(Date.UTC(now.getUTCFullYear() + MAX_YEARS_AHEAD, now.getUTCMonth(), now.getUTCDate()));
  const range = {
    latest,
    earlyCode: 'INVALID_DATE',
    lateCode: 'INVALID_DATE',
    lateSays: `is more than ${MAX_YEARS_AHEAD} years ahead (a flow without a known end omits endDate)`,
    display: isoDay,
  };
  checkTimeRange(input.startDate, 'startDate', range);
  if (input.endDate) checkTimeRange(input.endDate, 'endDate', range);
  return { index, key: recordKey(input.source, input.externalId), input };
}

/** The rules that need the institutions a record names and the group the token writes for. */
export function checkFlow({ index, key, input }: PreparedFlow, refs: Map<string, EndRef>, writesForGroup: (groupCode: string) => boolean): Candidate {
  const institution = (code: string, field: string): EndRef => {
    const ref = refs.get(code);
    if (!ref) throw new RuleViolation('UNKNOWN_INSTITUTION', `No institution has the code "${code}"`, field);
    if (![ref.groupCode, ...ref.partnerOf].some((g) => g !== null && writesForGroup(g))) {
      throw new RuleViolation(OUT_OF_SCOPE, `Institution "${code}" is outside the group this token writes for`, field);
    }
    return ref;
  };
  const from = institution(input.fromCode, 'fromCode');
  const to = institution(input.toCode, 'toCode');
  const home = institution(input.staff.homeCode, 'staff.homeCode');
  if (input.fromCode === input.toCode) throw new RuleViolation('SAME_INSTITUTION', 'fromCode and toCode are the same institution', 'toCode');
  const group = recordGroup(from, to);
  if (!group.ok) throw new RuleViolation(group.code, group.message, group.field);
  if (!belongsTo(home, group.groupCode)) {
    throw new RuleViolation('CROSS_GROUP', `"${home.code}" is not a member or partner of the group ${group.groupCode} of this flow`, 'staff.homeCode');
  }

  const direction = directionOf(from.level, to.level);
  const start = day(input.startDate);
  const end = input.endDate ? day(input.endDate) : null;
  return {
    index,
    input,
    key,
    staffKey: recordKey(input.source, input.staff.externalId),
    groupCode: group.groupCode,
    direction,
    outOfCounty: group.outOfCounty,
    start,
    end,
    cancelled: input.cancelled === true,
    contentHash: hashRecord(input, group.groupCode),
    violations: contentViolations(input, direction, home, group.outOfCounty, start, end),
  };
}

/** The code of a flow in the group whose person is employed by an external partner. */
export const PARTNER_STAFF_IN_COUNTY = 'PARTNER_STAFF_IN_COUNTY';

/** The rules of a record's own content once its ends are known, in order: checkFlow keeps every one broken for judgeFlows. */
function contentViolations(input: PersonnelFlowInput, direction: Direction, home: EndRef, outOfCounty: boolean, start: number, end: number | null): RuleViolation[] {
  const broken: RuleViolation[] = [];
  if (direction === Direction.LATERAL && !input.lateral) {
    broken.push(new RuleViolation('LATERAL_NOT_DECLARED', 'Both ends are at the same level: declare the move with lateral: true', 'lateral'));
  }
  if (direction !== Direction.LATERAL && input.lateral) {
    broken.push(new RuleViolation('NOT_LATERAL', `lateral is true but the move is ${direction} (the ends are at different levels)`, 'lateral'));
  }
  if (!kindFitsDirection(input.kind, direction)) {
    broken.push(new RuleViolation(KIND_DOES_NOT_FIT_DIRECTION, `A ${input.kind} flow goes ${directionsOfKind(input.kind)}; this one is ${direction}`, 'kind'));
  }
  if (end !== null && end < start) broken.push(new RuleViolation('END_BEFORE_START', 'endDate is before startDate', 'endDate'));
  if (input.pairedExternalId === input.externalId) broken.push(new RuleViolation('PAIR_SELF', 'A flow cannot be paired with itself', 'pairedExternalId'));
  // An external partner's staff member is not the group's: their only flows are to or from their
  // employer's side (out-of-county); inside the county they would count as the group's own support.
  if (home.groupCode === null && !outOfCounty) {
    broken.push(
      new RuleViolation(
        PARTNER_STAFF_IN_COUNTY,
        `"${home.code}" is an external partner: its staff appear only on out-of-county flows (one end an external partner), not between members`,
        'staff.homeCode',
      ),
    );
  }
  return broken;
}

/** A stored flow row as the rules see it. */
export function stateOfStored(row: {
  source: string;
  externalId: string;
  direction: Direction;
  groupCode: string;
  fromCode: string;
  toCode: string;
  outOfCounty: boolean;
  startDate: Date;
  endDate: Date | null;
  cancelled: boolean;
  pairedExternalId: string | null;
  contentHash?: string;
}): FlowState {
  return {
    key: recordKey(row.source, row.externalId),
    externalId: row.externalId,
    direction: row.direction,
    groupCode: row.groupCode,
    fromCode: row.fromCode,
    toCode: row.toCode,
    outOfCounty: row.outOfCounty,
    start: day(row.startDate),
    end: row.endDate ? day(row.endDate) : null,
    cancelled: row.cancelled,
    pairedKey: row.pairedExternalId ? recordKey(row.source, row.pairedExternalId) : null,
    contentHash: row.contentHash,
  };
}

function stateOfCandidate(c: Candidate): FlowState {
  return {
    key: c.key,
    externalId: c.input.externalId,
    direction: c.direction,
    groupCode: c.groupCode,
    fromCode: c.input.fromCode,
    toCode: c.input.toCode,
    outOfCounty: c.outOfCounty,
    start: c.start,
    end: c.end,
    cancelled: c.cancelled,
    pairedKey: c.input.pairedExternalId ? recordKey(c.input.source, c.input.pairedExternalId) : null,
  };
}

/**
 * Judges the batch in order against the stored flows and the records accepted before each one. A
 * pair may point at a record later in the batch; when that one is rejected after all, the record
 * that declared the pair is rejected too, and the batch is judged again without it, so that no record
 * stays accepted on the strength of a change that will not be stored.
 */
export function judgeFlows(
  candidates: Candidate[],
  stored: StoredFlows,
  writesForGroup: (groupCode: string) => boolean,
): { accepted: Candidate[]; rejected: Map<number, RuleViolation> } {
  const cascaded = new Map<number, RuleViolation>();
  for (;;) {
    const pass = judgeOnce(candidates, cascaded, stored, writesForGroup);
    const rejectedKeys = new Set(candidates.filter((c) => pass.rejected.has(c.index)).map((c) => c.key));
    const orphans = pass.accepted.filter((c) => {
      const pairedKey = c.input.pairedExternalId ? recordKey(c.input.source, c.input.pairedExternalId) : null;
      return pairedKey !== null && rejectedKeys.has(pairedKey) && !stored.flows.has(pairedKey);
    });
    if (!orphans.length) return pass;
    for (const c of orphans) {
      cascaded.set(c.index, new RuleViolation('PAIR_NOT_FOUND', `Flow ${c.input.pairedExternalId}, which this one pairs with, was rejected in this batch`, 'pairedExternalId'));
    }
  }
}

/** The content rules a cancellation of a stored flow still meets (its dates and keys stay sound). */
const CONTENT_RULES_KEPT_ON_CANCEL = new Set(['END_BEFORE_START', 'PAIR_SELF']);

/**
 * The rule of its own content a record breaks, judged with the stored flow of its key. A replay of the
 * stored flow breaks none (it was accepted; the rules it meets are checked no more). Cancelling a
 * stored flow is always possible: a cancelled flow counts nowhere, so no rule of how it would count
 * (kind, lateral, home) may keep it counting.
 */
function contentViolation(c: Candidate, existing: FlowState | undefined): RuleViolation | undefined {
  if (existing?.contentHash === c.contentHash) return undefined;
  const cancelsStored = existing !== undefined && c.cancelled;
  return c.violations.find((v) => !cancelsStored || CONTENT_RULES_KEPT_ON_CANCEL.has(v.code));
}

/** One pass over the batch: which records pass the rules that need stored flows, and why not. */
function judgeOnce(
  candidates: Candidate[],
  cascaded: Map<number, RuleViolation>,
  stored: StoredFlows,
  writesForGroup: (groupCode: string) => boolean,
): { accepted: Candidate[]; rejected: Map<number, RuleViolation> } {
  const state = new Map(stored.flows);
  const staffOfFlow = new Map(stored.staffOf);
  const accepted: Candidate[] = [];
  const rejected = new Map<number, RuleViolation>();
  // A pair may name a later record of the batch: one that breaks a rule of its own content is not there to pair with.
  const alive = candidates.filter((c) => !contentViolation(c, stored.flows.get(c.key)));
  for (const c of candidates) {
    try {
      const early = cascaded.get(c.index);
      if (early) throw early;
      // The recorder reads the token's group only; should another group's row get here, the message
      // still says nothing of it.
      const existing = stored.flows.get(c.key);
      if (existing && !writesForGroup(existing.groupCode)) {
        throw new RuleViolation(OUT_OF_SCOPE, `This token cannot write flow ${c.input.externalId}`, 'externalId');
      }
      const personGroup = stored.staffGroups.get(c.staffKey);
      if (personGroup !== undefined && !writesForGroup(personGroup)) {
        throw new RuleViolation(OUT_OF_SCOPE, `This token cannot write staff ${c.input.staff.externalId}`, 'staff.externalId');
      }
      if (!c.cancelled) {
        for (const [otherKey, staffKey] of staffOfFlow) {
          const other = state.get(otherKey);
          if (staffKey !== c.staffKey || otherKey === c.key || !other || other.cancelled) continue;
          if (overlap(c, other)) {
            throw new RuleViolation(
              'OVERLAPPING_FLOW',
              `${c.input.staff.name} (${c.input.staff.externalId}) already has flow ${other.externalId} over these dates`,
              'startDate',
            );
          }
        }
      }
      const next = stateOfCandidate(c);
      // A replay of a stored flow was accepted once: it stays UNCHANGED whatever rules came since (an
      // HR system resends its history), and a stored legacy pair that breaks them simply does not count.
      if (existing?.contentHash === c.contentHash) {
        state.set(c.key, next);
        staffOfFlow.set(c.key, c.staffKey);
        accepted.push(c);
        continue;
      }
      const violation = contentViolation(c, existing);
      if (violation) throw violation;
      checkPairs(next, state, alive);
      state.set(c.key, next);
      staffOfFlow.set(c.key, c.staffKey);
      accepted.push(c);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      rejected.set(c.index, error);
    }
  }
  return { accepted, rejected };
}

/**
 * "派一送一": a downward flow into a member is paired with at most one upward flow out of the same
 * member that starts in the same calendar year (the group's: dates are its local days), in the same
 * group; out-of-county flows never pair. The pair may be declared by either side, and may point at a
 * flow later in the same batch.
 */
export function checkPairs(next: FlowState, state: Map<string, FlowState>, batch: Candidate[]): void {
  const partnersOf = (key: string) =>
    [...state.values()].filter((f) => f.key !== key && !f.cancelled && (f.pairedKey === key || state.get(key)?.pairedKey === f.key));
  // A stored flow is judged as it stands (if this batch changes it, that record is checked against
  // its pairs in turn); a flow new in this batch, as it comes.
  const stateOf = (key: string): FlowState | undefined => {
    if (state.has(key)) return state.get(key);
    const c = batch.find((b) => b.key === key);
    return c ? stateOfCandidate(c) : undefined;
  };
  const notFound = (key: string) => new RuleViolation('PAIR_NOT_FOUND', `No flow ${externalIdOf(key)} of the same source to pair with`, 'pairedExternalId');
  // Whether `partner` pairs with `self` (the flow as it comes, or as it was stored).
  const validate = (partner: FlowState, field: string, self: FlowState = next) => {
    // Another group's flow is not there for this one (the recorder never reads it): nothing of it is told.
    if (partner.groupCode !== self.groupCode) throw notFound(partner.key);
    const pairsUp = (a: Direction, b: Direction) =>
      (a === Direction.DOWNWARD && b === Direction.UPWARD) || (a === Direction.UPWARD && b === Direction.DOWNWARD);
    if (!pairsUp(self.direction, partner.direction)) {
      throw new RuleViolation('PAIR_SAME_DIRECTION', `A pair joins one DOWNWARD and one UPWARD flow; ${partner.externalId} is ${partner.direction} and this one ${self.direction}`, field);
    }
    const outside = [self, partner].find((f) => f.outOfCounty);
    if (outside) {
      const which = outside === self ? 'this one' : `flow ${partner.externalId}`;
      throw new RuleViolation('PAIR_OUT_OF_COUNTY', `Out-of-county flows (an external partner at one end) never pair; ${which} is one`, field);
    }
    const [down, up] = self.direction === Direction.DOWNWARD ? [self, partner] : [partner, self];
    if (down.toCode !== up.fromCode) {
      throw new RuleViolation(
        'PAIR_OTHER_MEMBER',
        `A pair stays inside one member: the downward flow goes to ${down.toCode}, the upward one comes from ${up.fromCode}`,
        field,
      );
    }
    const year = (f: FlowState) => new Date(f.start).getUTCFullYear();
    if (year(down) !== year(up)) {
      throw new RuleViolation('PAIR_OTHER_YEAR', `A pair starts in one calendar year: ${self.externalId} starts in ${year(self)}, ${partner.externalId} in ${year(partner)}`, field);
    }
  };
  if (next.cancelled) return;
  if (next.pairedKey) {
    const partner = stateOf(next.pairedKey);
    if (!partner || partner.cancelled) throw notFound(next.pairedKey);
    validate(partner, 'pairedExternalId');
    const taken = partnersOf(partner.key).filter((f) => f.key !== next.key);
    const partnerDeclares = partner.pairedKey && partner.pairedKey !== next.key;
    if (taken.length || partnerDeclares) {
      const other = taken[0]?.externalId ?? externalIdOf(partner.pairedKey!);
      throw new RuleViolation('PAIR_TAKEN', `Flow ${partner.externalId} is already paired with ${other}`, 'pairedExternalId');
    }
  }
  // Flows that declare this one as their partner must still pair with it as it now stands.
  for (const declarer of [...state.values()].filter((f) => f.pairedKey === next.key && f.key !== next.key && !f.cancelled)) {
    if (next.pairedKey && next.pairedKey !== declarer.key) {
      throw new RuleViolation('PAIR_TAKEN', `This flow is already paired with ${declarer.externalId}`, 'pairedExternalId');
    }
    // A stored pair that already broke the rules (sent before they held) does not count: this change cannot break it.
    const before = state.get(next.key);
    if (before && !before.cancelled && !holds(() => validate(declarer, 'externalId', before))) continue;
    try {
      validate(declarer, 'externalId');
    } catch (error) {
      throw new RuleViolation('PAIR_CONFLICT', `Flow ${declarer.externalId} is paired with this one, which the change would break: ${(error as Error).message}`, 'externalId');
    }
  }
}

/** Whether a check passes (a broken rule is false; anything else still throws). */
function holds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof RuleViolation) return false;
    throw error;
  }
}

/** The record's content, normalised: equal hashes mean a replay changes nothing. Stored: never change it. */
export function hashRecord(input: PersonnelFlowInput, groupCode: string): string {
  const s = input.staff;
  return contentHash([
    groupCode,
    s.externalId,
    s.name.trim(),
    s.homeCode,
    s.title ?? 'NONE',
    s.profession ?? 'OTHER',
    s.phone?.trim() || null,
    s.idNumber ? maskIdNumber(s.idNumber) : null,
    input.fromCode,
    input.toCode,
    input.kind,
    isoDay(input.startDate),
    input.endDate ? isoDay(input.endDate) : null,
    input.lateral === true,
    input.pairedExternalId ?? null,
    input.cancelled === true,
  ]);
}
