// The recordReferrals batch on the shared batch engine: idempotent on (source, externalId) within the
// group, one outcome per record, bad records never stop good ones. A stored referral may only be extended by a
// replay (mergeHistories); writes are optimistic and the batch is judged again if another writer got
// in between.
import { type Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import { RecordStatus, RuleViolation, runBatch, type BatchPayload, type BatchWriter, type Judgement, type Written } from '../../common/batch';
import { FROM_SOURCE_SYSTEM } from '../../common/provenance';
import { recordKey } from '../../common/record-key';
import type { InstitutionRef, StructureService } from '../structure';
import { ReferralStatus } from './referral.enums';
import type { RecordReferralInput } from './referral.input';
import type { ReferralCountersHub } from './referral.live';
import { columnsOf, momentsOf, timesOf, toReferral, type ReferralRow } from './referral.rows';
import {
  checkMoments,
  checkTime,
  contentHash,
  historyOf,
  mergeHistories,
  mergeMoments,
  prepareReferral,
  statusOf,
  timesOfHistory,
  type ClinicalMoments,
  type MomentFields,
  type PreparedReferral,
  type StatusTimes,
  type Transition,
} from './referral.rules';
import type { Referral } from './referral.type';
import { checkEnds, checkSource, isUniqueViolation, WRITE_RETRIES, type ReferralEnds } from './referral.writer';

/** A referral's identity: (group, source, externalId). */
function groupKey(r: { groupCode: string; source: string; externalId: string }): string {
  return recordKey(r.groupCode, recordKey(r.source, r.externalId));
}

/**
 * Where a conflict between the merged moments and history is reported (see MomentFields): on a moment
 * the record brings to the referral; a stored one (sent again or not) cannot change, so the record's
 * request or COMPLETED step is at fault.
 */
function momentFieldsOf(stored: ClinicalMoments, sent: ClinicalMoments, times: StatusTimes): MomentFields {
  const completion = historyOf(times).findIndex((step) => step.status === ReferralStatus.COMPLETED);
  return {
    firstContactAt: sent.firstContactAt && !stored.firstContactAt ? 'firstContactAt' : 'requestedAt',
    admittedAt: (sent.admittedAt && !stored.admittedAt) || completion < 0 ? 'admittedAt' : `history.${completion}.at`,
  };
}

/** A record whose own fields passed, normalised, with its history's times. */
interface PreparedRecord extends PreparedReferral {
  index: number;
  key: string;
  lateral: boolean;
}

type CheckedReferral = PreparedRecord & ReferralEnds;

/** What the write does with an accepted record. */
type Plan =
  | { index: number; action: 'create'; data: Prisma.ReferralCreateManyInput }
  | { index: number; action: 'update'; row: ReferralRow; data: Prisma.ReferralUpdateManyMutationInput & { groupCode: string } }
  | { index: number; action: 'keep'; row: ReferralRow };

/** Another writer changed a referral between the judgement and the write: judge the batch again. */
class ConcurrentChange extends Error {}

export type RecordReferralsResult = BatchPayload<Referral, 'referral'>;

export class ReferralRecorder implements BatchWriter<RecordReferralInput, PreparedRecord, Map<string, InstitutionRef>, CheckedReferral, Plan, Referral> {
  private now = new Date();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
    private readonly structure: StructureService,
    private readonly live?: ReferralCountersHub,
  ) {}

  async record(records: RecordReferralInput[]): Promise<RecordReferralsResult> {
    this.now = new Date();
    const payload = await runBatch(this.prisma, this, records, 'referral', { transaction: { maxWait: 10_000, timeout: 30_000 } });
    const changed = payload.results.filter((r) => r.status === RecordStatus.CREATED || r.status === RecordStatus.UPDATED);
    this.live?.publishChanged(changed.map((r) => r.referral!.groupCode));
    return payload;
  }

  readonly retry = { attempts: WRITE_RETRIES, when: (error: unknown) => isUniqueViolation(error) || error instanceof ConcurrentChange };

  /** Times first, then the history, then the referral's own fields (as createReferral checks them). */
  prepare(record: RecordReferralInput, index: number): PreparedRecord {
    const requestedAt = checkTime(record.requestedAt, 'requestedAt', this.now);
    const history: Transition[] = (record.history ?? []).map((s) => ({ status: s.status, at: s.at }));
    const prepared = prepareReferral(record, timesOfHistory(requestedAt, history, 'history', this.now), this.now);
    return { index, key: recordKey(prepared.source, prepared.externalId), lateral: record.lateral === true, ...prepared };
  }

  lookup(records: readonly PreparedRecord[]): Promise<Map<string, InstitutionRef>> {
    return this.structure.lookupForWrite(records.flatMap((r) => [r.content.fromCode, r.content.toCode]));
  }

  check(record: PreparedRecord, refs: Map<string, InstitutionRef>): CheckedReferral {
    checkSource(this.access, record.source);
    return { ...record, ...checkEnds(this.access, record.content, refs, record.lateral) };
  }

  /**
   * Against the stored referrals with the same keys in the record's group (one statement): create,
   * update, or nothing to do. Another group's referral with the same source and externalId is a
   * different referral and never looked at.
   */
  async judge(tx: Prisma.TransactionClient, records: CheckedReferral[]): Promise<Judgement<Plan>> {
    const stored = await tx.referral.findMany({
      where: { OR: records.map((p) => ({ groupCode: p.groupCode, source: p.source, externalId: p.externalId })) },
    });
    const byKey = new Map(stored.map((row) => [groupKey(row), row]));
    const accepted: Plan[] = [];
    const rejected = new Map<number, RuleViolation>();
    const updatedAt = new Date();
    for (const p of records) {
      const row = byKey.get(groupKey(p));
      const base = { groupCode: p.groupCode, direction: p.direction, outOfCounty: p.outOfCounty, ...FROM_SOURCE_SYSTEM };
      if (!row) {
        const data = { source: p.source, externalId: p.externalId, ...columnsOf(p.content), ...base, status: statusOf(historyOf(p.content.times)), contentHash: contentHash(p.content), updatedAt };
        accepted.push({ index: p.index, action: 'create', data });
        continue;
      }
      try {
        const times = mergeHistories(timesOf(row), p.content.times);
        // A moment the record omits keeps its stored value (a stored one never changes); the merged ones
        // must fit the merged history, and a stored one that does not is the fault of the time the record sent.
        const stored = momentsOf(row);
        const moments = checkMoments(times, mergeMoments(stored, p.content.moments), this.now, momentFieldsOf(stored, p.content.moments, times));
        const content = { ...p.content, times, moments };
        const hash = contentHash(content);
        if (hash === row.contentHash) accepted.push({ index: p.index, action: 'keep', row });
        else accepted.push({ index: p.index, action: 'update', row, data: { ...columnsOf(content), ...base, status: statusOf(historyOf(times)), contentHash: hash, updatedAt } });
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        rejected.set(p.index, error);
      }
    }
    return { accepted, rejected };
  }

  /** Updates apply only to the referral as judged (optimistic); creates go in one statement. */
  async write(tx: Prisma.TransactionClient, plans: Plan[]): Promise<Map<number, Written<Referral>>> {
    const written = new Map<number, Written<Referral>>();
    for (const plan of plans) {
      if (plan.action === 'keep') written.set(plan.index, { status: RecordStatus.UNCHANGED, item: toReferral(plan.row) });
      if (plan.action !== 'update') continue;
      const { count } = await tx.referral.updateMany({ where: { id: plan.row.id, contentHash: plan.row.contentHash }, data: plan.data });
      if (count !== 1) throw new ConcurrentChange();
      written.set(plan.index, { status: RecordStatus.UPDATED, item: toReferral({ ...plan.row, ...(plan.data as Partial<ReferralRow>) }) });
    }
    const creates = plans.filter((p) => p.action === 'create');
    if (creates.length) {
      const rows = await tx.referral.createManyAndReturn({ data: creates.map((c) => c.data) });
      const byKey = new Map(rows.map((row) => [groupKey(row), row]));
      for (const { index, data } of creates) {
        written.set(index, { status: RecordStatus.CREATED, item: toReferral(byKey.get(groupKey(data))!) });
      }
    }
    return written;
  }
}
