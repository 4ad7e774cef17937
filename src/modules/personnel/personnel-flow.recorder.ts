// Batch ingestion of personnel flows (recordPersonnelFlows) on the shared batch engine: the rules
// are personnel-flow.rules.ts; this file reads what they are judged against and writes what passes.
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import { RecordStatus, RuleViolation, runBatch, SOURCE_MISMATCH, type BatchPayload, type BatchWriter, type Judgement, type Written } from '../../common/batch';
import { isoDay } from '../../common/clock';
import { groupBy } from '../../common/collections';
import { FROM_SOURCE_SYSTEM, Provenance, type ProvenanceColumns } from '../../common/provenance';
import { recordKey } from '../../common/record-key';
import type { StructureService } from '../structure';
import type { PersonnelFlowInput } from './personnel-flow.input';
import { checkFlow, judgeFlows, maskIdNumber, prepareFlow, stateOfStored, type Candidate, type EndRef, type PreparedFlow } from './personnel-flow.rules';
import type { PersonnelFlow } from './personnel-flow.type';

type StoredFlowRow = ProvenanceColumns & { id: number; contentHash: string; staffId: number };
type StoredStaffRow = {
  id: number;
  name: string;
  title: string;
  profession: string;
  homeCode: string;
  groupCode: string;
  phone: string | null;
  idNumberMasked: string | null;
  provenance: Provenance;
};

const STAFF_READ = {
  id: true, source: true, externalId: true, name: true, title: true, profession: true, homeCode: true, groupCode: true, phone: true, idNumberMasked: true, provenance: true,
} as const;
const FLOW_READ = {
  id: true, source: true, externalId: true, staffId: true, groupCode: true, fromCode: true, toCode: true, direction: true, outOfCounty: true, startDate: true, endDate: true,
  cancelled: true, pairedExternalId: true, contentHash: true, provenance: true, article: true, provenanceNote: true,
} as const;

/** An accepted record with the stored flow and person it replaces, if any. */
interface AcceptedFlow extends Candidate {
  stored?: StoredFlowRow;
  storedStaff?: StoredStaffRow;
}

export type RecordFlowsPayload = BatchPayload<PersonnelFlow, 'flow'>;

export class PersonnelFlowRecorder implements BatchWriter<PersonnelFlowInput, PreparedFlow, Map<string, EndRef>, Candidate, AcceptedFlow, PersonnelFlow> {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
    private readonly structure: StructureService,
  ) {}

  record(inputs: PersonnelFlowInput[]): Promise<RecordFlowsPayload> {
    return runBatch(this.prisma, this, inputs, 'flow', { transaction: { maxWait: 30_000, timeout: 120_000 } });
  }

  prepare = prepareFlow;

  lookup(records: readonly PreparedFlow[]): Promise<Map<string, EndRef>> {
    return this.structure.lookupForWrite(records.flatMap(({ input: i }) => [i.fromCode, i.toCode, i.staff.homeCode]));
  }

  check(record: PreparedFlow, refs: Map<string, EndRef>): Candidate {
    const otherSource = this.access.writeSource(record.input.source);
    if (otherSource) throw new RuleViolation(SOURCE_MISMATCH, otherSource.message, otherSource.field);
    return checkFlow(record, refs, (groupCode) => this.access.writesForGroup(groupCode));
  }

  /** Batches of one source of a group are serialised, so two of them cannot both pass the overlap check. */
  lockKeys(records: readonly Candidate[]): string[] {
    return records.map((c) => `personnel:${c.groupCode}:${c.input.source}`);
  }

  /**
   * Reads the stored flows and people the batch touches (two statements), then applies the rules.
   * Sources belong to their group: every lookup (same keys, pair partners, people) stays within the
   * records' group (the token's), so the rules never see, and no message names, another group's rows.
   * A batch writes for one group, so keys of (source, externalId) are unique in it.
   */
  async judge(tx: Prisma.TransactionClient, candidates: Candidate[]): Promise<Judgement<AcceptedFlow>> {
    const bySource = [...groupBy(candidates, (c) => recordKey(c.groupCode, c.input.source))].map(([, cs]) => ({
      groupCode: cs[0].groupCode,
      source: cs[0].input.source,
      cs,
    }));
    // Only the columns the rules and the writes read: every column read back costs Prisma's query compiler work on each batch.
    const staffRows = await tx.staff.findMany({
      where: { OR: bySource.map(({ groupCode, source, cs }) => ({ groupCode, source, externalId: { in: cs.map((c) => c.input.staff.externalId) } })) },
      select: STAFF_READ,
    });
    const staffByKey = new Map(staffRows.map((s) => [recordKey(s.source, s.externalId), s]));
    const staffKeyById = new Map(staffRows.map((s) => [s.id, recordKey(s.source, s.externalId)]));
    const flowIds = bySource.flatMap(({ groupCode, source, cs }) => [
      { groupCode, source, externalId: { in: cs.map((c) => c.input.externalId) } },
      { groupCode, source, externalId: { in: cs.flatMap((c) => (c.input.pairedExternalId ? [c.input.pairedExternalId] : [])) } },
      { groupCode, source, pairedExternalId: { in: cs.flatMap((c) => [c.input.externalId, ...(c.input.pairedExternalId ? [c.input.pairedExternalId] : [])]) } },
    ]);
    const related = await tx.personnelFlow.findMany({
      where: { OR: [...flowIds, { staffId: { in: staffRows.map((s) => s.id) }, cancelled: false }] },
      select: FLOW_READ,
    });
    const storedRows = new Map(related.map((f) => [recordKey(f.source, f.externalId), f]));
    const staffOf = new Map<string, string>();
    for (const f of related) {
      const staffKey = staffKeyById.get(f.staffId);
      if (staffKey) staffOf.set(recordKey(f.source, f.externalId), staffKey);
    }
    const { accepted, rejected } = judgeFlows(
      candidates,
      {
        flows: new Map(related.map((f) => [recordKey(f.source, f.externalId), stateOfStored(f)])),
        staffOf,
        staffGroups: new Map(staffRows.map((s) => [recordKey(s.source, s.externalId), s.groupCode])),
      },
      (groupCode) => this.access.writesForGroup(groupCode),
    );
    return { accepted: accepted.map((c) => ({ ...c, stored: storedRows.get(c.key), storedStaff: staffByKey.get(c.staffKey) })), rejected };
  }

  async write(tx: Prisma.TransactionClient, accepted: AcceptedFlow[]): Promise<Map<number, Written<PersonnelFlow>>> {
    const results = new Map<number, Written<PersonnelFlow>>();
    // Staff: the last record of the batch that changes something and names a person says who they
    // are now. A replayed (UNCHANGED) record carries old staff data and must not roll it back.
    const changing = accepted.filter((c) => c.stored?.contentHash !== c.contentHash);
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
      const existing = c.storedStaff;
      if (!existing) {
        newStaff.push({ source: c.input.source, externalId: s.externalId, ...data }); // provenance: the default, SOURCE_SYSTEM
        continue;
      }
      staffIds.set(staffKey, existing.id);
      // A person the demo loaded whom a source system now sends is the source system's record.
      const changed = (Object.keys(data) as (keyof typeof data)[]).some((k) => existing[k] !== data[k]) || existing.provenance !== Provenance.SOURCE_SYSTEM;
      if (changed) changedStaff.push({ id: existing.id, source: c.input.source, externalId: s.externalId, ...data });
    }
    if (changedStaff.length) {
      const rows = changedStaff.map(
        (r) => Prisma.sql`(${r.id}::int, ${r.name}, ${r.title}, ${r.profession}, ${r.homeCode}, ${r.groupCode}, ${r.phone ?? null}, ${r.idNumberMasked ?? null})`,
      );
      await tx.$executeRaw`
        UPDATE staff AS s SET name = v.name, title = v.title::"StaffTitle", profession = v.profession::"Profession",
          home_code = v.home_code, group_code = v.group_code, phone = v.phone, id_number_masked = v.id_number_masked,
          provenance = ${FROM_SOURCE_SYSTEM.provenance}::"Provenance", article = NULL, provenance_note = NULL, updated_at = (now() AT TIME ZONE 'UTC')
        FROM (VALUES ${Prisma.join(rows)}) AS v(id, name, title, profession, home_code, group_code, phone, id_number_masked)
        WHERE s.id = v.id`;
    }
    if (newStaff.length) {
      for (const s of await tx.staff.createManyAndReturn({ data: newStaff, select: { id: true, source: true, externalId: true } })) {
        staffIds.set(recordKey(s.source, s.externalId), s.id);
      }
    }

    const creates: Prisma.PersonnelFlowCreateManyInput[] = [];
    const updates: (Prisma.PersonnelFlowCreateManyInput & { id: number })[] = [];
    /** The index and item (all but the id) of each record created, by key. */
    const created = new Map<string, { index: number; item: Omit<PersonnelFlow, 'id'> }>();
    for (const c of accepted) {
      const i = c.input;
      const data = {
        staffId: staffIds.get(c.staffKey) ?? c.stored!.staffId,
        groupCode: c.groupCode,
        fromCode: i.fromCode,
        toCode: i.toCode,
        direction: c.direction,
        outOfCounty: c.outOfCounty,
        kind: i.kind,
        startDate: i.startDate,
        endDate: i.endDate ?? null,
        cancelled: c.cancelled,
        pairedExternalId: i.pairedExternalId ?? null,
      };
      const contentHash = c.contentHash;
      const existing = c.stored;
      if (existing && existing.contentHash === contentHash) {
        const provenance = { provenance: existing.provenance, article: existing.article, provenanceNote: existing.provenanceNote };
        results.set(c.index, { status: RecordStatus.UNCHANGED, item: { id: String(existing.id), source: i.source, externalId: i.externalId, ...data, ...provenance } });
      } else if (existing) {
        updates.push({ id: existing.id, source: i.source, externalId: i.externalId, ...data, contentHash });
        results.set(c.index, { status: RecordStatus.UPDATED, item: { id: String(existing.id), source: i.source, externalId: i.externalId, ...data, ...FROM_SOURCE_SYSTEM } });
      } else {
        // Provenance: the columns' default (SOURCE_SYSTEM). Passing the enum to createMany made
        // bench:personnel 20 % slower.
        creates.push({ source: i.source, externalId: i.externalId, ...data, contentHash });
        created.set(c.key, { index: c.index, item: { source: i.source, externalId: i.externalId, ...data, ...FROM_SOURCE_SYSTEM } });
      }
    }
    // One statement for all updates and one for all creates, whatever the size of the batch.
    if (updates.length) {
      const rows = updates.map(
        (u) => Prisma.sql`(${u.id}::int, ${u.staffId}::int, ${u.groupCode}, ${u.fromCode}, ${u.toCode}, ${u.direction}, ${u.outOfCounty ?? false}::boolean, ${u.kind},
          ${isoDay(u.startDate as Date)}::date, ${u.endDate ? isoDay(u.endDate as Date) : null}::date, ${u.cancelled ?? false}::boolean,
          ${u.pairedExternalId ?? null}, ${u.contentHash})`,
      );
      await tx.$executeRaw`
        UPDATE personnel_flow AS f SET staff_id = v.staff_id, group_code = v.group_code, from_code = v.from_code, to_code = v.to_code,
          direction = v.direction::"Direction", out_of_county = v.out_of_county, kind = v.kind::"PersonnelFlowKind", start_date = v.start_date,
          end_date = v.end_date, cancelled = v.cancelled, paired_external_id = v.paired_external_id, content_hash = v.content_hash,
          provenance = ${FROM_SOURCE_SYSTEM.provenance}::"Provenance", article = NULL, provenance_note = NULL, updated_at = (now() AT TIME ZONE 'UTC')
        FROM (VALUES ${Prisma.join(rows)})
          AS v(id, staff_id, group_code, from_code, to_code, direction, out_of_county, kind, start_date, end_date, cancelled, paired_external_id, content_hash)
        WHERE f.id = v.id`;
    }
    if (creates.length) {
      // Only the generated ids come back: the rest of each item is what was written (reading every
      // column back cost a tenth of bench:personnel).
      for (const row of await tx.personnelFlow.createManyAndReturn({ data: creates, select: { id: true, source: true, externalId: true } })) {
        const { index, item } = created.get(recordKey(row.source, row.externalId))!;
        results.set(index, { status: RecordStatus.CREATED, item: { ...item, id: String(row.id) } });
      }
    }
    return results;
  }
}
