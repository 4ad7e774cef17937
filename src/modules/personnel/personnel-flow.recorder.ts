// Batch ingestion of personnel flows (recordPersonnelFlows). Each record is judged on its own: the
// bad ones are REJECTED with a code and a field, the good ones are stored in one transaction, and a
// record is reported accepted only once that transaction has committed.
import crypto from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { requireRole, type Principal } from '../../auth/principal';
import { MAX_BATCH_SIZE, RecordStatus, recordError, type RecordError } from '../../common/batch';
import { Direction, directionOf } from '../../common/direction';
import { badUserInput } from '../../common/errors';
import { isoDay } from '../../common/period';
import type { InstitutionRef, StructureService } from '../structure/structure.service';
import type { PersonnelFlowInput } from './personnel-flow.input';
import type { PersonnelFlow } from './personnel-flow.type';

export const MAX_TEXT_LENGTH = 200;
const DAY_MS = 86_400_000;
/** A pair's two flows overlap, or the later starts within a year of the earlier one's end. */
export const MAX_PAIR_GAP_DAYS = 365;

export interface FlowRecordResult {
  index: number;
  externalId: string;
  status: RecordStatus;
  error: RecordError | null;
  flow: PersonnelFlow | null;
}

export interface RecordFlowsPayload {
  accepted: number;
  rejected: number;
  results: FlowRecordResult[];
}

/** A record that passed the checks so far, normalised. */
interface Candidate {
  index: number;
  input: PersonnelFlowInput;
  key: string;
  staffKey: string;
  groupCode: string;
  direction: Direction;
  start: number;
  end: number | null;
  cancelled: boolean;
}

/** What the pair and overlap rules need to know of a flow, stored or incoming. */
interface FlowState {
  key: string;
  externalId: string;
  direction: Direction;
  groupCode: string;
  start: number;
  end: number | null;
  cancelled: boolean;
  pairedKey: string | null;
}

class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const keyOf = (source: string, externalId: string) => `${source}\u0000${externalId}`;
const day = (date: Date) => date.getTime();
const overlap = (a: { start: number; end: number | null }, b: { start: number; end: number | null }) =>
  a.start <= (b.end ?? Infinity) && b.start <= (a.end ?? Infinity);

export function maskIdNumber(idNumber: string): string {
  const value = idNumber.trim();
  return value.length < 10 ? '*'.repeat(value.length) : `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

export class PersonnelFlowRecorder {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly principal: Principal,
    private readonly structure: StructureService,
  ) {}

  async record(inputs: PersonnelFlowInput[]): Promise<RecordFlowsPayload> {
    requireRole(this.principal, 'SOURCE_SYSTEM');
    if (inputs.length > MAX_BATCH_SIZE) {
      throw badUserInput(`A batch holds at most ${MAX_BATCH_SIZE} records; this one has ${inputs.length}`, 'input');
    }
    const results: FlowRecordResult[] = inputs.map((input, index) => ({
      index,
      externalId: input.externalId,
      status: RecordStatus.REJECTED,
      error: null,
      flow: null,
    }));
    const reject = (index: number, error: Rejection) => {
      results[index].error = recordError(error.code, error.message, error.field);
    };

    const refs = await this.structure.lookupForWrite(inputs.flatMap((i) => [i.fromCode, i.toCode, i.staff.homeCode]));
    let candidates: Candidate[] = [];
    const seen = new Set<string>();
    inputs.forEach((input, index) => {
      try {
        candidates.push(this.check(input, index, refs, seen));
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        reject(index, error);
      }
    });

    if (candidates.length) {
      await this.prisma.$transaction(
        async (tx) => {
          candidates = await this.store(tx, candidates, results, reject);
        },
        { maxWait: 30_000, timeout: 120_000 },
      );
    }
    const rejected = results.filter((r) => r.status === RecordStatus.REJECTED).length;
    return { accepted: results.length - rejected, rejected, results };
  }

  /** The rules a record can be judged on alone (plus the institutions it names). */
  private check(input: PersonnelFlowInput, index: number, refs: Map<string, InstitutionRef>, seen: Set<string>): Candidate {
    const text = (value: string, field: string) => {
      if (!value.trim()) throw new Rejection('REQUIRED', `${field} must not be empty`, field);
      if (value.length > MAX_TEXT_LENGTH) throw new Rejection('TOO_LONG', `${field} may hold at most ${MAX_TEXT_LENGTH} characters`, field);
    };
    text(input.source, 'source');
    text(input.externalId, 'externalId');
    text(input.staff.externalId, 'staff.externalId');
    text(input.staff.name, 'staff.name');
    if (input.staff.phone !== undefined && input.staff.phone !== null && !/^[0-9+\-() ]{3,32}$/.test(input.staff.phone)) {
      throw new Rejection('INVALID_PHONE', 'staff.phone must be a phone number', 'staff.phone');
    }
    const key = keyOf(input.source, input.externalId);
    if (seen.has(key)) throw new Rejection('DUPLICATE_IN_BATCH', `externalId ${input.externalId} appears earlier in this batch`, 'externalId');
    seen.add(key);

    const institution = (code: string, field: string): InstitutionRef => {
      const ref = refs.get(code);
      if (!ref) throw new Rejection('UNKNOWN_INSTITUTION', `No institution has the code "${code}"`, field);
      if (ref.groupCode !== this.principal.scope) {
        throw new Rejection('OUT_OF_SCOPE', `Institution "${code}" is outside the group this token writes for`, field);
      }
      return ref;
    };
    const from = institution(input.fromCode, 'fromCode');
    const to = institution(input.toCode, 'toCode');
    institution(input.staff.homeCode, 'staff.homeCode');
    if (input.fromCode === input.toCode) throw new Rejection('SAME_INSTITUTION', 'fromCode and toCode are the same institution', 'toCode');

    const direction = directionOf(from.level, to.level);
    if (direction === Direction.LATERAL && !input.lateral) {
      throw new Rejection('LATERAL_NOT_DECLARED', 'Both ends are at the same level: declare the move with lateral: true', 'lateral');
    }
    if (direction !== Direction.LATERAL && input.lateral) {
      throw new Rejection('NOT_LATERAL', `lateral is true but the move is ${direction} (the ends are at different levels)`, 'lateral');
    }
    const start = day(input.startDate);
    const end = input.endDate ? day(input.endDate) : null;
    if (end !== null && end < start) throw new Rejection('END_BEFORE_START', 'endDate is before startDate', 'endDate');
    if (input.pairedExternalId === input.externalId) throw new Rejection('PAIR_SELF', 'A flow cannot be paired with itself', 'pairedExternalId');
    return {
      index,
      input,
      key,
      staffKey: keyOf(input.source, input.staff.externalId),
      groupCode: from.groupCode,
      direction,
      start,
      end,
      cancelled: input.cancelled === true,
    };
  }

  /** The rules that need stored flows, then the writes; returns the candidates still accepted. */
  private async store(
    tx: Prisma.TransactionClient,
    candidates: Candidate[],
    results: FlowRecordResult[],
    reject: (index: number, error: Rejection) => void,
  ): Promise<Candidate[]> {
    // Batches of one source are serialised, so two of them cannot both pass the overlap check.
    for (const source of [...new Set(candidates.map((c) => c.input.source))].sort()) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`personnel:${source}`}))`;
    }
    const bySource = groupBy(candidates, (c) => c.input.source);
    const staffRows = await tx.staff.findMany({
      where: { OR: [...bySource].map(([source, cs]) => ({ source, externalId: { in: cs.map((c) => c.input.staff.externalId) } })) },
    });
    const staffByKey = new Map(staffRows.map((s) => [keyOf(s.source, s.externalId), s]));
    const staffKeyById = new Map(staffRows.map((s) => [s.id, keyOf(s.source, s.externalId)]));
    const flowIds = [...bySource].flatMap(([source, cs]) => [
      { source, externalId: { in: cs.map((c) => c.input.externalId) } },
      { source, externalId: { in: cs.flatMap((c) => (c.input.pairedExternalId ? [c.input.pairedExternalId] : [])) } },
      { source, pairedExternalId: { in: cs.flatMap((c) => [c.input.externalId, ...(c.input.pairedExternalId ? [c.input.pairedExternalId] : [])]) } },
    ]);
    const related = await tx.personnelFlow.findMany({
      where: { OR: [...flowIds, { staffId: { in: staffRows.map((s) => s.id) }, cancelled: false }] },
    });
    const stored = new Map(related.map((f) => [keyOf(f.source, f.externalId), f]));

    // Flow states as they will be after this batch, starting from the stored ones.
    const state = new Map<string, FlowState>();
    const staffOfFlow = new Map<string, string>();
    for (const f of related) {
      const key = keyOf(f.source, f.externalId);
      state.set(key, {
        key,
        externalId: f.externalId,
        direction: f.direction,
        groupCode: f.groupCode,
        start: day(f.startDate),
        end: f.endDate ? day(f.endDate) : null,
        cancelled: f.cancelled,
        pairedKey: f.pairedExternalId ? keyOf(f.source, f.pairedExternalId) : null,
      });
      const staffKey = staffKeyById.get(f.staffId);
      if (staffKey) staffOfFlow.set(key, staffKey);
    }

    // Judge the records in order against the stored flows and the records accepted before them. A
    // pair may point at a record later in the batch; when that one is rejected after all, the record
    // that declared the pair is rejected too, and the batch is judged again without it, so that no
    // record stays accepted on the strength of a change that will not be stored.
    const storedState = new Map(state);
    const storedStaffOf = new Map(staffOfFlow);
    const cascaded = new Map<number, Rejection>();
    let accepted: Candidate[] = [];
    let verdicts = new Map<number, Rejection>();
    for (;;) {
      state.clear();
      storedState.forEach((v, k) => state.set(k, v));
      staffOfFlow.clear();
      storedStaffOf.forEach((v, k) => staffOfFlow.set(k, v));
      ({ accepted, verdicts } = this.judge(candidates, cascaded, state, staffOfFlow, stored, staffByKey));
      const rejectedKeys = new Set(candidates.filter((c) => verdicts.has(c.index)).map((c) => c.key));
      const orphans = accepted.filter((c) => {
        const pairedKey = c.input.pairedExternalId ? keyOf(c.input.source, c.input.pairedExternalId) : null;
        return pairedKey !== null && rejectedKeys.has(pairedKey) && !storedState.has(pairedKey);
      });
      if (!orphans.length) break;
      for (const c of orphans) {
        cascaded.set(c.index, new Rejection('PAIR_NOT_FOUND', `Flow ${c.input.pairedExternalId}, which this one pairs with, was rejected in this batch`, 'pairedExternalId'));
      }
    }
    verdicts.forEach((error, index) => reject(index, error));
    await this.write(tx, accepted, stored, staffByKey, results);
    return accepted;
  }

  /** One pass over the batch: which records pass the rules that need stored flows, and why not. */
  private judge(
    candidates: Candidate[],
    cascaded: Map<number, Rejection>,
    state: Map<string, FlowState>,
    staffOfFlow: Map<string, string>,
    stored: Map<string, { groupCode: string }>,
    staffByKey: Map<string, { groupCode: string }>,
  ): { accepted: Candidate[]; verdicts: Map<number, Rejection> } {
    const accepted: Candidate[] = [];
    const verdicts = new Map<number, Rejection>();
    for (const c of candidates) {
      try {
        const early = cascaded.get(c.index);
        if (early) throw early;
        const existing = stored.get(c.key);
        if (existing && existing.groupCode !== this.principal.scope) {
          throw new Rejection('OUT_OF_SCOPE', `Flow ${c.input.externalId} belongs to another group`, 'externalId');
        }
        const person = staffByKey.get(c.staffKey);
        if (person && person.groupCode !== this.principal.scope) {
          throw new Rejection('OUT_OF_SCOPE', `Staff ${c.input.staff.externalId} of source ${c.input.source} belongs to another group`, 'staff.externalId');
        }
        if (!c.cancelled) {
          for (const [otherKey, staffKey] of staffOfFlow) {
            const other = state.get(otherKey);
            if (staffKey !== c.staffKey || otherKey === c.key || !other || other.cancelled) continue;
            if (overlap(c, other)) {
              throw new Rejection(
                'OVERLAPPING_FLOW',
                `${c.input.staff.name} (${c.input.staff.externalId}) already has flow ${other.externalId} over these dates`,
                'startDate',
              );
            }
          }
        }
        const next: FlowState = {
          key: c.key,
          externalId: c.input.externalId,
          direction: c.direction,
          groupCode: c.groupCode,
          start: c.start,
          end: c.end,
          cancelled: c.cancelled,
          pairedKey: c.input.pairedExternalId ? keyOf(c.input.source, c.input.pairedExternalId) : null,
        };
        this.checkPairs(next, state, candidates);
        state.set(c.key, next);
        staffOfFlow.set(c.key, c.staffKey);
        accepted.push(c);
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        verdicts.set(c.index, error);
      }
    }
    return { accepted, verdicts };
  }

  /**
   * "派一送一": a flow is paired with at most one flow of the opposite direction, in the same group,
   * whose dates overlap or follow within a year. The pair may be declared by either side, and may
   * point at a flow later in the same batch.
   */
  private checkPairs(next: FlowState, state: Map<string, FlowState>, batch: Candidate[]): void {
    const partnersOf = (key: string) =>
      [...state.values()].filter((f) => f.key !== key && !f.cancelled && (f.pairedKey === key || state.get(key)?.pairedKey === f.key));
    // A stored flow is judged as it stands (if this batch changes it, that record is checked against
    // its pairs in turn); a flow new in this batch, as it comes.
    const stateOf = (key: string): FlowState | undefined => {
      if (state.has(key)) return state.get(key);
      const c = batch.find((b) => b.key === key);
      if (!c) return undefined;
      const pairedKey = c.input.pairedExternalId ? keyOf(c.input.source, c.input.pairedExternalId) : null;
      return { key, externalId: c.input.externalId, direction: c.direction, groupCode: c.groupCode, start: c.start, end: c.end, cancelled: c.cancelled, pairedKey };
    };
    const validate = (partner: FlowState, field: string) => {
      const pairsUp = (a: Direction, b: Direction) =>
        (a === Direction.DOWNWARD && b === Direction.UPWARD) || (a === Direction.UPWARD && b === Direction.DOWNWARD);
      if (!pairsUp(next.direction, partner.direction)) {
        throw new Rejection('PAIR_SAME_DIRECTION', `A pair joins one DOWNWARD and one UPWARD flow; ${partner.externalId} is ${partner.direction} and this one ${next.direction}`, field);
      }
      if (partner.groupCode !== next.groupCode) {
        throw new Rejection('PAIR_OTHER_GROUP', `Flow ${partner.externalId} belongs to another group`, field);
      }
      const [first, second] = next.start <= partner.start ? [next, partner] : [partner, next];
      if (!overlap(first, second) && (second.start - (first.end ?? first.start)) / DAY_MS > MAX_PAIR_GAP_DAYS) {
        throw new Rejection('PAIR_TOO_FAR_APART', `Flow ${partner.externalId} starts more than ${MAX_PAIR_GAP_DAYS} days from this one`, field);
      }
    };
    if (next.cancelled) return;
    if (next.pairedKey) {
      const partner = stateOf(next.pairedKey);
      if (!partner || partner.cancelled) {
        throw new Rejection('PAIR_NOT_FOUND', `No flow ${next.pairedKey.split('\u0000')[1]} of the same source to pair with`, 'pairedExternalId');
      }
      validate(partner, 'pairedExternalId');
      const taken = partnersOf(partner.key).filter((f) => f.key !== next.key);
      const partnerDeclares = partner.pairedKey && partner.pairedKey !== next.key;
      if (taken.length || partnerDeclares) {
        const other = taken[0]?.externalId ?? partner.pairedKey!.split('\u0000')[1];
        throw new Rejection('PAIR_TAKEN', `Flow ${partner.externalId} is already paired with ${other}`, 'pairedExternalId');
      }
    }
    // Flows that declare this one as their partner must still pair with it as it now stands.
    for (const declarer of [...state.values()].filter((f) => f.pairedKey === next.key && f.key !== next.key && !f.cancelled)) {
      if (next.pairedKey && next.pairedKey !== declarer.key) {
        throw new Rejection('PAIR_TAKEN', `This flow is already paired with ${declarer.externalId}`, 'pairedExternalId');
      }
      try {
        validate(declarer, 'externalId');
      } catch (error) {
        throw new Rejection('PAIR_CONFLICT', `Flow ${declarer.externalId} is paired with this one, which the change would break: ${(error as Error).message}`, 'externalId');
      }
    }
  }

  private async write(
    tx: Prisma.TransactionClient,
    accepted: Candidate[],
    stored: Map<string, { id: number; contentHash: string; staffId: number }>,
    staffByKey: Map<string, { id: number; name: string; title: string; profession: string; homeCode: string; groupCode: string; phone: string | null; idNumberMasked: string | null }>,
    results: FlowRecordResult[],
  ): Promise<void> {
    // Staff: the last record of the batch that changes something and names a person says who they
    // are now. A replayed (UNCHANGED) record carries old staff data and must not roll it back.
    const changing = accepted.filter((c) => stored.get(c.key)?.contentHash !== hashRecord(c.input, c.groupCode));
    const lastStaff = new Map(changing.map((c) => [c.staffKey, c]));
    const staffIds = new Map<string, number>();
    const newStaff: Prisma.StaffCreateManyInput[] = [];
    const changedStaff: (Prisma.StaffCreateManyInput & { id: number })[] = [];
    for (const [staffKey, c] of lastStaff) {
      const s = c.input.staff;
      const data = {
        name: s.name.trim(),
        title: s.title ?? 'NONE',
        profession: s.profession ?? 'OTHER',
        homeCode: s.homeCode,
        groupCode: c.groupCode,
        phone: s.phone?.trim() || null,
        idNumberMasked: s.idNumber ? maskIdNumber(s.idNumber) : null,
      } as const;
      const existing = staffByKey.get(staffKey);
      if (!existing) {
        newStaff.push({ source: c.input.source, externalId: s.externalId, ...data });
        continue;
      }
      staffIds.set(staffKey, existing.id);
      const changed = (Object.keys(data) as (keyof typeof data)[]).some((k) => existing[k] !== data[k]);
      if (changed) changedStaff.push({ id: existing.id, source: c.input.source, externalId: s.externalId, ...data });
    }
    if (changedStaff.length) {
      const rows = changedStaff.map(
        (r) => Prisma.sql`(${r.id}::int, ${r.name}, ${r.title}, ${r.profession}, ${r.homeCode}, ${r.groupCode}, ${r.phone ?? null}, ${r.idNumberMasked ?? null})`,
      );
      await tx.$executeRaw`
        UPDATE staff AS s SET name = v.name, title = v.title::"StaffTitle", profession = v.profession::"Profession",
          home_code = v.home_code, group_code = v.group_code, phone = v.phone, id_number_masked = v.id_number_masked, updated_at = now()
        FROM (VALUES ${Prisma.join(rows)}) AS v(id, name, title, profession, home_code, group_code, phone, id_number_masked)
        WHERE s.id = v.id`;
    }
    if (newStaff.length) {
      for (const s of await tx.staff.createManyAndReturn({ data: newStaff, select: { id: true, source: true, externalId: true } })) {
        staffIds.set(keyOf(s.source, s.externalId), s.id);
      }
    }

    const creates: Prisma.PersonnelFlowCreateManyInput[] = [];
    const updates: (Prisma.PersonnelFlowCreateManyInput & { id: number })[] = [];
    const createdIndex = new Map<string, number>();
    for (const c of accepted) {
      const i = c.input;
      const data = {
        staffId: staffIds.get(c.staffKey) ?? stored.get(c.key)!.staffId,
        groupCode: c.groupCode,
        fromCode: i.fromCode,
        toCode: i.toCode,
        direction: c.direction,
        kind: i.kind,
        startDate: i.startDate,
        endDate: i.endDate ?? null,
        cancelled: c.cancelled,
        pairedExternalId: i.pairedExternalId ?? null,
      };
      const contentHash = hashRecord(i, c.groupCode);
      const existing = stored.get(c.key);
      const result = results[c.index];
      if (existing && existing.contentHash === contentHash) {
        result.status = RecordStatus.UNCHANGED;
        result.flow = { id: String(existing.id), source: i.source, externalId: i.externalId, ...data };
      } else if (existing) {
        updates.push({ id: existing.id, source: i.source, externalId: i.externalId, ...data, contentHash });
        result.status = RecordStatus.UPDATED;
        result.flow = { id: String(existing.id), source: i.source, externalId: i.externalId, ...data };
      } else {
        creates.push({ source: i.source, externalId: i.externalId, ...data, contentHash });
        createdIndex.set(c.key, c.index);
      }
    }
    // One statement for all updates and one for all creates, whatever the size of the batch.
    if (updates.length) {
      const rows = updates.map(
        (u) => Prisma.sql`(${u.id}::int, ${u.staffId}::int, ${u.groupCode}, ${u.fromCode}, ${u.toCode}, ${u.direction}, ${u.kind},
          ${isoDay(u.startDate as Date)}::date, ${u.endDate ? isoDay(u.endDate as Date) : null}::date, ${u.cancelled ?? false}::boolean,
          ${u.pairedExternalId ?? null}, ${u.contentHash})`,
      );
      await tx.$executeRaw`
        UPDATE personnel_flow AS f SET staff_id = v.staff_id, group_code = v.group_code, from_code = v.from_code, to_code = v.to_code,
          direction = v.direction::"Direction", kind = v.kind::"PersonnelFlowKind", start_date = v.start_date, end_date = v.end_date,
          cancelled = v.cancelled, paired_external_id = v.paired_external_id, content_hash = v.content_hash, updated_at = now()
        FROM (VALUES ${Prisma.join(rows)})
          AS v(id, staff_id, group_code, from_code, to_code, direction, kind, start_date, end_date, cancelled, paired_external_id, content_hash)
        WHERE f.id = v.id`;
    }
    if (creates.length) {
      for (const row of await tx.personnelFlow.createManyAndReturn({ data: creates })) {
        const result = results[createdIndex.get(keyOf(row.source, row.externalId))!];
        result.status = RecordStatus.CREATED;
        result.flow = { ...row, id: String(row.id) };
      }
    }
  }
}

/** The record's content, normalised: equal hashes mean a replay changes nothing. */
export function hashRecord(input: PersonnelFlowInput, groupCode: string): string {
  const s = input.staff;
  const canonical = [
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
  ];
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(keyOf(item), [...(map.get(keyOf(item)) ?? []), item]);
  return map;
}
