// Data access of the referral domain. One instance per request (or per subscription operation): its
// DataLoaders batch one operation's lookups and die with it. Live counters are never served from
// them: the subscription reads fresh through the instance's ReferralCountersHub.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient, type Referral as ReferralRow } from '../../generated/prisma/client';
import { requireRole, type Principal } from '../../auth/principal';
import { MAX_BATCH_SIZE, recordError, RecordStatus } from '../../common/batch';
import { directionOf, Direction } from '../../common/direction';
import { badUserInput, ErrorCode, forbidden, gatewayError, notFound } from '../../common/errors';
import { Page, pageRequest } from '../../common/pagination';
import type { Institution } from '../structure/institution.type';
import { StructureService, type InstitutionRef } from '../structure/structure.service';
import { countersKeyString, readCounters, type CountersKey, type CountersSpec } from './referral.counters';
import { ReferralStatus, type CounterWindow } from './referral.enums';
import type { CreateReferralInput, RecordReferralInput, ReferralFilter } from './referral.input';
import type { ReferralCountersHub } from './referral.live';
import {
  checkDiagnosisCode,
  checkPatientRef,
  checkReason,
  checkTime,
  checkTransition,
  contentHash,
  historyOf,
  RuleViolation,
  STATUS_TIME,
  statusOf,
  timesOfHistory,
  type ReferralContent,
  type StatusTimes,
  type Transition,
} from './referral.rules';
import { maySeePatientRef, referralScope } from './referral.scope';
import type { RecordReferralsPayload, Referral, ReferralCounts, ReferralRecordResult } from './referral.type';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const MAX_ID = 2 ** 31 - 1;
const WRITE_RETRIES = 5;

function toReferral(row: ReferralRow): Referral {
  return { ...row, id: String(row.id) };
}

function timesOf(row: StatusTimes): StatusTimes {
  const { requestedAt, acceptedAt, arrivedAt, completedAt, rejectedAt, cancelledAt } = row;
  return { requestedAt, acceptedAt, arrivedAt, completedAt, rejectedAt, cancelledAt };
}

function contentOf(row: Omit<ReferralContent, 'times'> & StatusTimes): ReferralContent {
  return {
    patientRef: row.patientRef,
    fromCode: row.fromCode,
    toCode: row.toCode,
    urgency: row.urgency,
    channel: row.channel ?? null,
    reason: row.reason ?? null,
    diagnosisCode: row.diagnosisCode ?? null,
    times: timesOf(row),
  };
}

/** The columns of a referral's content. */
function columnsOf(content: ReferralContent) {
  return {
    patientRef: content.patientRef,
    fromCode: content.fromCode,
    toCode: content.toCode,
    urgency: content.urgency as ReferralRow['urgency'],
    channel: content.channel as ReferralRow['channel'],
    reason: content.reason,
    diagnosisCode: content.diagnosisCode,
    ...content.times,
  };
}

function parseId(id: string, field: string): number {
  const n = /^[0-9]{1,10}$/.test(id) ? Number(id) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ID) throw notFound('Referral', id, field);
  return n;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** A rule violation as the GraphQL error of a single-record mutation. */
function asGraphQLError(error: unknown): unknown {
  if (!(error instanceof RuleViolation)) return error;
  if (error.code === 'OUT_OF_SCOPE') return gatewayError(ErrorCode.FORBIDDEN, error.message, error.field);
  return badUserInput(error.message, error.field);
}

/** The create-time fields of a referral, validated in form. */
interface PreparedReferral {
  source: string;
  externalId: string;
  content: ReferralContent;
}

function prepare(input: CreateReferralInput, times: StatusTimes): PreparedReferral {
  const source = input.source.trim();
  const externalId = input.externalId.trim();
  if (!source || source.length > 64) throw new RuleViolation('INVALID_SOURCE', 'source must hold 1 to 64 characters', 'source');
  if (!externalId || externalId.length > 128) throw new RuleViolation('INVALID_EXTERNAL_ID', 'externalId must hold 1 to 128 characters', 'externalId');
  return {
    source,
    externalId,
    content: {
      patientRef: checkPatientRef(input.patientRef),
      fromCode: input.fromCode,
      toCode: input.toCode,
      urgency: input.urgency,
      channel: input.channel ?? null,
      reason: checkReason(input.reason),
      diagnosisCode: checkDiagnosisCode(input.diagnosisCode),
      times,
    },
  };
}

export class ReferralService {
  private readonly partyStructures = new Map<string, StructureService>();
  private readonly timeZones: DataLoader<string, string>;
  private readonly countsLoader: DataLoader<CountersSpec, ReferralCounts, string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly principal: Principal,
    private readonly structure: StructureService,
    private readonly live?: ReferralCountersHub,
  ) {
    this.timeZones = new DataLoader(async (codes) => {
      const zones = await structure.timeZones(codes);
      return codes.map((code) => zones.get(code) ?? DEFAULT_TIME_ZONE);
    });
    // One statement per (group, window, member); repeated keys in one operation share it.
    this.countsLoader = new DataLoader<CountersSpec, ReferralCounts, string>((specs) => Promise.all(specs.map((spec) => readCounters(prisma, spec))), {
      cacheKeyFn: countersKeyString,
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Reads
  // ------------------------------------------------------------------------------------------------

  private async scopeWhere(): Promise<Prisma.ReferralWhereInput> {
    return referralScope(await this.structure.scopeForDomains());
  }

  async requireReferral(id: string, field = 'id'): Promise<Referral> {
    const row = await this.prisma.referral.findFirst({ where: { AND: [{ id: parseId(id, field) }, await this.scopeWhere()] } });
    if (!row) throw notFound('Referral', id, field);
    return toReferral(row);
  }

  /** Newest first, keyset-paginated on id. */
  async list(filter: ReferralFilter | null | undefined, args: { first?: number; after?: string }): Promise<Page<Referral>> {
    const page = pageRequest(args);
    const f = filter ?? {};
    const conditions: Prisma.ReferralWhereInput[] = [await this.scopeWhere()];
    if (f.groupCode) conditions.push({ groupCode: f.groupCode });
    if (f.institutionCode) conditions.push({ OR: [{ fromCode: f.institutionCode }, { toCode: f.institutionCode }] });
    if (f.status) conditions.push({ status: f.status });
    if (f.direction) conditions.push({ direction: f.direction });
    if (f.urgency) conditions.push({ urgency: f.urgency });
    if (f.requestedSince) conditions.push({ requestedAt: { gte: f.requestedSince } });
    if (f.requestedBefore) conditions.push({ requestedAt: { lt: f.requestedBefore } });
    const where: Prisma.ReferralWhereInput = { AND: conditions };
    let afterId: number | undefined;
    if (page.afterKey !== undefined) {
      afterId = Number(page.afterKey);
      if (!Number.isInteger(afterId)) throw badUserInput('after is not a cursor of this list', 'after');
    }
    const rows = await this.prisma.referral.findMany({
      where: { AND: [where, afterId !== undefined ? { id: { lt: afterId } } : {}] },
      orderBy: { id: 'desc' },
      take: page.take + 1,
    });
    return Page.fromRows(rows.map(toReferral), page.take, (r) => r.id, () => this.prisma.referral.count({ where }));
  }

  /**
   * One end of a referral. The ends of a referral in the caller's scope are visible to it, also when
   * they lie outside its structure scope (a clinic's referral to the lead hospital): for INSTITUTION
   * tokens they are read through the referral's group. Their nested fields keep the caller's scope.
   */
  party(referral: Referral, code: string, field: string): Promise<Institution> {
    let structure = this.structure;
    if (this.principal.role === 'INSTITUTION') {
      structure = this.partyStructures.get(referral.groupCode) ?? new StructureService(this.prisma, { ...this.principal, role: 'COUNTY', scope: referral.groupCode });
      this.partyStructures.set(referral.groupCode, structure);
    }
    return structure.requireInstitution(code, field);
  }

  patientRef(referral: Referral): string {
    if (!maySeePatientRef(this.principal)) throw forbidden('patientRef is visible to the group and the institutions of the referral, not to a province');
    return referral.patientRef;
  }

  /** The counters of a group or member, read now. */
  async counts(key: CountersKey): Promise<ReferralCounts> {
    return this.countsLoader.load(await this.countersSpec(key));
  }

  /** The live counters: the current ones at once, then after every change. Scope is checked here. */
  async liveCounts(key: CountersKey): Promise<AsyncIterable<ReferralCounts>> {
    const spec = await this.countersSpec(key);
    if (!this.live) throw new Error('Live referral counters are not configured on this gateway');
    return this.live.subscribe(spec);
  }

  private async countersSpec(key: { groupCode: string; window: CounterWindow; institutionCode?: string | null }): Promise<CountersSpec> {
    const scope = await this.structure.scopeForDomains();
    if (!scope.groupCodes.includes(key.groupCode)) throw notFound('County group', key.groupCode, 'groupCode');
    let institutionCode = key.institutionCode ?? undefined;
    if (scope.institutionCode) {
      // An institution sees the counters of its own referrals.
      if (institutionCode !== undefined && institutionCode !== scope.institutionCode) {
        throw notFound('Institution', institutionCode, 'institutionCode');
      }
      institutionCode = scope.institutionCode;
    } else if (institutionCode !== undefined) {
      const institution = await this.structure.institution(institutionCode);
      if (!institution || institution.groupCode !== key.groupCode) throw notFound('Institution', institutionCode, 'institutionCode');
    }
    return { groupCode: key.groupCode, window: key.window, institutionCode, timeZone: await this.timeZones.load(key.groupCode) };
  }

  // ------------------------------------------------------------------------------------------------
  // Writes
  // ------------------------------------------------------------------------------------------------

  /** Checks the two ends: known, distinct, of one group, in the caller's scope, at different levels. */
  private checkEnds(content: ReferralContent, refs: Map<string, InstitutionRef>): { groupCode: string; direction: Direction } {
    const from = refs.get(content.fromCode);
    const to = refs.get(content.toCode);
    if (!from) throw new RuleViolation('UNKNOWN_INSTITUTION', `Unknown institution "${content.fromCode}"`, 'fromCode');
    if (!to) throw new RuleViolation('UNKNOWN_INSTITUTION', `Unknown institution "${content.toCode}"`, 'toCode');
    if (from.code === to.code) throw new RuleViolation('SAME_INSTITUTION', 'fromCode and toCode must differ', 'toCode');
    const { role, scope } = this.principal;
    if (role === 'SOURCE_SYSTEM') {
      for (const [end, field] of [[from, 'fromCode'], [to, 'toCode']] as const) {
        if (end.groupCode !== scope) throw new RuleViolation('OUT_OF_SCOPE', `Institution "${end.code}" is not in the group ${scope} of this token`, field);
      }
    } else if (role === 'INSTITUTION' && from.code !== scope && to.code !== scope) {
      throw new RuleViolation('OUT_OF_SCOPE', `A referral of this token must be from or to ${scope}`, 'fromCode');
    }
    if (from.groupCode !== to.groupCode) {
      throw new RuleViolation('CROSS_GROUP', `"${from.code}" and "${to.code}" belong to different groups`, 'toCode');
    }
    const direction = directionOf(from.level, to.level);
    if (direction === Direction.LATERAL) {
      throw new RuleViolation(
        'LATERAL_REFERRAL',
        `"${from.code}" and "${to.code}" are at the same level (${from.level}): a referral goes up or down`,
        'toCode',
      );
    }
    return { groupCode: from.groupCode, direction };
  }

  /** Opens a referral; sending the same (source, externalId) and content again returns the stored one. */
  async create(input: CreateReferralInput): Promise<Referral> {
    requireRole(this.principal, 'SOURCE_SYSTEM', 'INSTITUTION');
    const now = new Date();
    try {
      const requestedAt = checkTime(input.requestedAt ?? now, 'requestedAt', now);
      const prepared = prepare(input, timesOfHistory(requestedAt, [], 'history', now));
      const ends = this.checkEnds(prepared.content, await this.structure.lookupForWrite([input.fromCode, input.toCode]));
      for (let attempt = 0; ; attempt++) {
        const existing = await this.prisma.referral.findUnique({
          where: { source_externalId: { source: prepared.source, externalId: prepared.externalId } },
        });
        if (existing) return toReferral(this.sameCreate(existing, prepared, input.requestedAt != null));
        try {
          const row = await this.prisma.referral.create({
            data: {
              source: prepared.source,
              externalId: prepared.externalId,
              ...columnsOf(prepared.content),
              groupCode: ends.groupCode,
              direction: ends.direction,
              status: ReferralStatus.REQUESTED,
              contentHash: contentHash(prepared.content),
              updatedAt: new Date(),
            },
          });
          this.live?.publishChanged([row.groupCode], row.updatedAt);
          return toReferral(row);
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 1) throw error;
        }
      }
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  /** A repeated create: the stored referral when it holds the same data, else an error on externalId. */
  private sameCreate(existing: ReferralRow, prepared: PreparedReferral, requestedAtGiven: boolean): ReferralRow {
    const scope = this.principal.role === 'SOURCE_SYSTEM' ? existing.groupCode === this.principal.scope : existing.fromCode === this.principal.scope || existing.toCode === this.principal.scope;
    const c = prepared.content;
    const same =
      scope &&
      existing.patientRef === c.patientRef &&
      existing.fromCode === c.fromCode &&
      existing.toCode === c.toCode &&
      existing.urgency === c.urgency &&
      existing.channel === c.channel &&
      existing.reason === c.reason &&
      existing.diagnosisCode === c.diagnosisCode &&
      (!requestedAtGiven || existing.requestedAt.getTime() === c.times.requestedAt.getTime());
    if (!same) {
      throw new RuleViolation(
        'DUPLICATE_EXTERNAL_ID',
        `A different referral with source "${prepared.source}" and externalId "${prepared.externalId}" already exists`,
        'externalId',
      );
    }
    return existing;
  }

  /** Moves a referral to `to` at `at` (now when omitted); repeating the current step is a no-op. */
  async transition(id: string, to: ReferralStatus, at: Date | null | undefined): Promise<Referral> {
    requireRole(this.principal, 'SOURCE_SYSTEM', 'INSTITUTION');
    const refId = parseId(id, 'id');
    try {
      const when = checkTime(at ?? new Date(), 'at');
      const scope = await this.scopeWhere();
      for (let attempt = 0; attempt < WRITE_RETRIES; attempt++) {
        const row = await this.prisma.referral.findFirst({ where: { AND: [{ id: refId }, scope] } });
        if (!row) throw notFound('Referral', id, 'id');
        this.checkParty(row, to);
        const times = timesOf(row);
        const latestAt = [...historyOf(times).map((s) => s.at), times.requestedAt].reduce((a, b) => (b > a ? b : a));
        const currentAt = times[STATUS_TIME[row.status]] ?? times.requestedAt;
        // A retry without `at` (the contract makes it optional) repeats the step it asked for.
        if (at == null && to === row.status) return toReferral(row);
        if (!checkTransition({ status: row.status, latestAt, currentAt }, to, when)) return toReferral(row);
        const next = { ...times, [STATUS_TIME[to]]: when };
        const updatedAt = new Date();
        const data = { status: to, [STATUS_TIME[to]]: when, contentHash: contentHash({ ...contentOf(row), times: next }), updatedAt };
        // Optimistic: applies only if nobody wrote the referral since it was read.
        const { count } = await this.prisma.referral.updateMany({ where: { id: refId, contentHash: row.contentHash }, data });
        if (count === 1) {
          this.live?.publishChanged([row.groupCode], updatedAt);
          return toReferral({ ...row, ...data });
        }
      }
      throw new Error(`Referral ${id} kept changing under ${WRITE_RETRIES} attempts to move it to ${to}`);
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  /** An institution accepts, rejects and receives referrals sent to it, and cancels those it sent. */
  private checkParty(row: ReferralRow, to: ReferralStatus): void {
    if (this.principal.role !== 'INSTITUTION') return;
    const code = this.principal.scope;
    if (to === ReferralStatus.CANCELLED ? row.fromCode !== code : row.toCode !== code) {
      const who = to === ReferralStatus.CANCELLED ? 'the referring institution' : 'the receiving institution';
      throw forbidden(`Only ${who} may move a referral to ${to}`);
    }
  }

  /** The batch: idempotent on (source, externalId), one outcome per record, bad records never stop good ones. */
  async record(records: RecordReferralInput[]): Promise<RecordReferralsPayload> {
    requireRole(this.principal, 'SOURCE_SYSTEM');
    if (records.length > MAX_BATCH_SIZE) {
      throw badUserInput(`A batch holds at most ${MAX_BATCH_SIZE} records, got ${records.length}`, 'input');
    }
    const now = new Date();
    const results: ReferralRecordResult[] = records.map((r, index) => ({ index, externalId: r.externalId, status: RecordStatus.UNCHANGED, referral: null, error: null }));
    const reject = (index: number, violation: RuleViolation) => {
      results[index].status = RecordStatus.REJECTED;
      results[index].error = recordError(violation.code, violation.message, violation.field);
    };

    // Form, then the ends (one lookup for the whole batch).
    const prepared = new Map<number, PreparedReferral & { groupCode: string; direction: Direction }>();
    const valid: { index: number; p: PreparedReferral }[] = [];
    records.forEach((record, index) => {
      try {
        const requestedAt = checkTime(record.requestedAt, 'requestedAt', now);
        const history: Transition[] = (record.history ?? []).map((s) => ({ status: s.status, at: s.at }));
        valid.push({ index, p: prepare(record, timesOfHistory(requestedAt, history, 'history', now)) });
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        reject(index, error);
      }
    });
    const refs = await this.structure.lookupForWrite(valid.flatMap(({ p }) => [p.content.fromCode, p.content.toCode]));
    const seen = new Map<string, number>();
    for (const { index, p } of valid) {
      try {
        const key = `${p.source}\u0000${p.externalId}`;
        const first = seen.get(key);
        if (first !== undefined) throw new RuleViolation('DUPLICATE_IN_BATCH', `The batch repeats source "${p.source}" and externalId "${p.externalId}" (record ${first})`, 'externalId');
        seen.set(key, index);
        prepared.set(index, { ...p, ...this.checkEnds(p.content, refs) });
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        reject(index, error);
      }
    }

    const changedGroups = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      try {
        changedGroups.clear();
        await this.writeBatch(prepared, results, reject, changedGroups);
        break;
      } catch (error) {
        // A concurrent writer created or changed one of the records: read again and redo.
        if (!(isUniqueViolation(error) || error instanceof ConcurrentChange) || attempt >= WRITE_RETRIES - 1) throw error;
        for (const index of prepared.keys()) results[index] = { ...results[index], status: RecordStatus.UNCHANGED, referral: null, error: null };
      }
    }
    if (changedGroups.size) this.live?.publishChanged(changedGroups);
    const count = (status: RecordStatus) => results.filter((r) => r.status === status).length;
    return {
      results,
      accepted: results.length - count(RecordStatus.REJECTED),
      created: count(RecordStatus.CREATED),
      updated: count(RecordStatus.UPDATED),
      unchanged: count(RecordStatus.UNCHANGED),
      rejected: count(RecordStatus.REJECTED),
    };
  }

  private async writeBatch(
    prepared: Map<number, PreparedReferral & { groupCode: string; direction: Direction }>,
    results: ReferralRecordResult[],
    reject: (index: number, violation: RuleViolation) => void,
    changedGroups: Set<string>,
  ): Promise<void> {
    if (!prepared.size) return;
    await this.prisma.$transaction(
      async (tx) => {
        const keys = [...prepared.values()];
        const stored = await tx.referral.findMany({ where: { OR: keys.map((p) => ({ source: p.source, externalId: p.externalId })) } });
        const byKey = new Map(stored.map((row) => [`${row.source}\u0000${row.externalId}`, row]));
        const creates: { index: number; data: Prisma.ReferralCreateManyInput }[] = [];
        const updatedAt = new Date();
        for (const [index, p] of prepared) {
          const row = byKey.get(`${p.source}\u0000${p.externalId}`);
          const base = { groupCode: p.groupCode, direction: p.direction };
          if (!row) {
            const times = p.content.times;
            creates.push({
              index,
              data: { source: p.source, externalId: p.externalId, ...columnsOf(p.content), ...base, status: statusOf(historyOf(times)), contentHash: contentHash(p.content), updatedAt },
            });
            continue;
          }
          try {
            if (row.groupCode !== this.principal.scope) {
              throw new RuleViolation('OUT_OF_SCOPE', `source "${p.source}" and externalId "${p.externalId}" belong to a referral of another group`, 'externalId');
            }
            const times = mergeHistories(timesOf(row), p.content.times);
            const content = { ...p.content, times };
            const hash = contentHash(content);
            if (hash === row.contentHash) {
              results[index].status = RecordStatus.UNCHANGED;
              results[index].referral = toReferral(row);
              continue;
            }
            const data = { ...columnsOf(content), ...base, status: statusOf(historyOf(times)), contentHash: hash, updatedAt };
            const { count } = await tx.referral.updateMany({ where: { id: row.id, contentHash: row.contentHash }, data });
            if (count !== 1) throw new ConcurrentChange();
            results[index].status = RecordStatus.UPDATED;
            results[index].referral = toReferral({ ...row, ...data });
            changedGroups.add(row.groupCode);
            if (row.groupCode !== p.groupCode) changedGroups.add(p.groupCode);
          } catch (error) {
            if (!(error instanceof RuleViolation)) throw error;
            reject(index, error);
          }
        }
        if (creates.length) {
          const rows = await tx.referral.createManyAndReturn({ data: creates.map((c) => c.data) });
          const byExternal = new Map(rows.map((row) => [`${row.source}\u0000${row.externalId}`, row]));
          for (const { index, data } of creates) {
            const row = byExternal.get(`${data.source}\u0000${data.externalId}`) as ReferralRow;
            results[index].status = RecordStatus.CREATED;
            results[index].referral = toReferral(row);
            changedGroups.add(row.groupCode);
          }
        }
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }
}

class ConcurrentChange extends Error {}

/**
 * The history of a stored referral combined with the one a record carries: either may extend the
 * other (a record sent before the gateway received later steps by transitionReferral leaves them in
 * place); any other difference in the steps is a conflict.
 */
function mergeHistories(stored: StatusTimes, record: StatusTimes): StatusTimes {
  const a = historyOf(stored);
  const b = historyOf(record);
  const [shorter, longer, longerTimes] = a.length <= b.length ? [a, b, record] : [b, a, stored];
  shorter.forEach((step, i) => {
    if (step.status !== longer[i].status || step.at.getTime() !== longer[i].at.getTime()) {
      throw new RuleViolation(
        'HISTORY_CONFLICT',
        `Step ${i} of the history (${step.status} at ${step.at.toISOString()}) differs from the stored one (${longer[i].status} at ${longer[i].at.toISOString()})`,
        `history.${i}`,
      );
    }
  });
  // requestedAt comes from the record (a correction); the combined history must still start after it.
  const merged: StatusTimes = { ...longerTimes, requestedAt: record.requestedAt };
  return timesOfHistory(record.requestedAt, historyOf(merged), 'history');
}
