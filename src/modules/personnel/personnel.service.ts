// Reads of the personnel domain. One instance per request; its DataLoaders batch one operation's
// lookups and die with it. Counts are SQL aggregates: one statement whatever the number of flows,
// computing a period's started and active figures together.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import type { RowFilter } from '../../auth/condition';
import type { Direction } from '../../common/direction';
import { badUserInput, forbidden } from '../../common/errors';
import { type Page, pageRequest, type PageRequest } from '../../common/pagination';
import { GroupClock, isoDay } from '../../common/clock';
import { groupBy, loadAll } from '../../common/collections';
import { OwnerPages } from '../../common/owner-pages';
import { checkPeriod, periodKey, type Period, type PeriodInput } from '../../common/period';
import { provenanceKey, provenanceSql, provenancesOf, type Provenance, type ProvenanceFilter } from '../../common/provenance';
import { ratio, type Ratio } from '../../common/ratio';
import type { CountyGroup, StructureService } from '../structure';
import { FlowEnd } from './personnel.args';
import { INTERMEDIATE_OR_HIGHER, PersonnelFlowStatus, type PersonnelFlowKind } from './personnel.enums';
import type { PersonnelFlow } from './personnel-flow.type';
import type { GroupFlowCounts, GroupPersonnelSummary, MemberFlowCounts, MemberPersonnelSummary } from './personnel-summary.type';
import type { Staff } from './staff.type';

/** Six months, for "stationed down for six months or more in a year". */
export const LONG_TERM_DAYS = 183;

/** Whose flows a list holds: a group's, or an institution's by end. */
type FlowOwner = 'GROUP' | FlowEnd;

interface FlowListShape {
  owner: FlowOwner;
  period?: Period;
  startedIn?: Period;
  direction?: Direction;
  kind?: PersonnelFlowKind;
  outOfCounty?: boolean;
  cancelled?: boolean;
  provenances?: readonly Provenance[];
}

/** What a group's pairing rate depends on: whether it practises pairing at all. */
type PairingGroup = Pick<CountyGroup, 'code' | 'name' | 'practisesPairing'>;

interface GroupSummaryKey {
  group: PairingGroup;
  period: Period;
  provenances?: readonly Provenance[];
}

interface MemberSummaryKey {
  code: string;
  /** The member's group when the caller knows it (an Institution row); looked up otherwise. */
  groupCode?: string | null;
  period: Period;
  provenances?: readonly Provenance[];
}

type RawFlow = Omit<PersonnelFlow, 'id' | 'startDate' | 'endDate'> & { id: number; startDate: Date | string; endDate: Date | string | null };

const FLOW_COLUMNS = Prisma.sql`f.id, f.source, f.external_id AS "externalId", f.staff_id AS "staffId", f.group_code AS "groupCode",
  f.from_code AS "fromCode", f.to_code AS "toCode", f.direction::text AS direction, f.out_of_county AS "outOfCounty", f.kind::text AS kind,
  f.start_date AS "startDate", f.end_date AS "endDate", f.cancelled, f.paired_external_id AS "pairedExternalId",
  f.provenance::text AS provenance, f.article, f.provenance_note AS "provenanceNote"`;

/** The owner column(s) of a list: an institution's flows EITHER way belong to it at both ends. */
function ownerColumns(owner: FlowOwner): Prisma.Sql {
  switch (owner) {
    case 'GROUP':
      return Prisma.sql`(f.group_code)`;
    case FlowEnd.INTO:
      return Prisma.sql`(f.to_code)`;
    case FlowEnd.OUT_OF:
      return Prisma.sql`(f.from_code)`;
    case FlowEnd.EITHER:
      return Prisma.sql`(f.to_code), (f.from_code)`;
  }
}

function shapeKey(shape: FlowListShape): string {
  const period = shape.period ? periodKey(shape.period) : null;
  const startedIn = shape.startedIn ? periodKey(shape.startedIn) : null;
  const provenances = provenanceKey(shape.provenances);
  return JSON.stringify([shape.owner, period, startedIn, shape.direction ?? null, shape.kind ?? null, shape.outOfCounty ?? null, shape.cancelled ?? null, provenances]);
}

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(`${value.slice(0, 10)}T00:00:00Z`));

function fromRaw({ owner: _owner, position: _position, ...row }: RawFlow & { owner?: string; position?: unknown }): PersonnelFlow {
  return { ...row, id: String(row.id), startDate: asDate(row.startDate), endDate: row.endDate === null ? null : asDate(row.endDate) };
}

function decodeFlowKey(key: string): { start: string; id: number } {
  // Signed, but maybe another list's: only a real day and an id of the int column are a key here.
  const [start, id, ...rest] = key.split('|');
  const day = /^\d{4}-\d{2}-\d{2}$/.test(start ?? '') ? new Date(`${start}T00:00:00Z`) : null;
  const valid = day !== null && !Number.isNaN(day.getTime()) && isoDay(day) === start && /^\d{1,12}$/.test(id ?? '') && Number(id) <= 2_147_483_647 && !rest.length;
  if (!valid) throw badUserInput('after is not a cursor of this list', 'after');
  return { start, id: Number(id) };
}

export interface FlowFilter {
  period?: PeriodInput;
  startedIn?: PeriodInput;
  direction?: Direction;
  kind?: PersonnelFlowKind;
  outOfCounty?: boolean;
  cancelled?: boolean | null;
  provenance?: ProvenanceFilter;
}

function toFlow(row: Omit<PersonnelFlow, 'id'> & { id: number }): PersonnelFlow {
  return { ...row, id: String(row.id) };
}

/** Cursor key of a flow in list order (start date, then id). */
function flowKey(flow: PersonnelFlow): string {
  return `${isoDay(flow.startDate)}|${flow.id.padStart(12, '0')}`;
}

export class PersonnelService {
  private readonly staffById: DataLoader<number, Staff | null>;
  private readonly partners: DataLoader<PersonnelFlow, PersonnelFlow | null, string>;
  private readonly groupSummaries: DataLoader<GroupSummaryKey, GroupPersonnelSummary, string>;
  private readonly memberSummaries: DataLoader<MemberSummaryKey, MemberPersonnelSummary, string>;
  private readonly lists: OwnerPages<FlowListShape, PersonnelFlow>;
  private readonly longTerm: DataLoader<{ groupCode: string; year: number; provenances?: readonly Provenance[] }, number, string>;
  private readonly clock: GroupClock;
  private scope?: Promise<RowFilter<Prisma.PersonnelFlowWhereInput>>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
    private readonly structure: StructureService,
  ) {
    this.clock = new GroupClock((codes) => structure.timeZones(codes), () => access.readableGroupCodes());
    this.staffById = new DataLoader(async (ids) => {
      const rows = await prisma.staff.findMany({ where: { id: { in: [...ids] } } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
    this.partners = new DataLoader((flows) => this.loadPartners(flows), { cacheKeyFn: (f) => f.id });
    this.groupSummaries = new DataLoader((keys) => this.loadGroupSummaries(keys), {
      cacheKeyFn: (k) => summaryKey(k.group.code, k),
    });
    this.memberSummaries = new DataLoader((keys) => this.loadMemberSummaries(keys), {
      cacheKeyFn: (k) => summaryKey(k.code, k),
    });
    this.longTerm = new DataLoader((keys) => this.loadLongTerm(keys), { cacheKeyFn: (k) => `${k.groupCode}@${k.year}@${provenanceKey(k.provenances)}` });
    this.lists = new OwnerPages({
      shapeKey,
      loadPages: (shape, page, owners) => this.loadFlowPages(shape, page, owners),
      loadTotals: (shape, owners) => this.loadFlowTotals(shape, owners),
      cursorKey: flowKey,
    });
  }

  /** The flows the caller reads: of its groups; for an institution, those into or out of it. Once per request. */
  private flowScope(): Promise<RowFilter<Prisma.PersonnelFlowWhereInput>> {
    this.scope ??= this.access.rows({ group: 'groupCode', institutions: ['fromCode', 'toCode'] });
    return this.scope;
  }

  private todaySql(): Promise<Prisma.Sql> {
    return this.clock.todaySql('f.group_code');
  }

  staff(id: number): Promise<Staff | null> {
    return this.staffById.load(id);
  }

  /** Contact data goes only to the person's group and home institution; others get FORBIDDEN. */
  staffContact(staff: Staff, field: 'phone' | 'idNumberMasked'): string | null {
    if (!this.access.seesStaffContact(staff)) {
      throw forbidden(`Staff contact data (${field}) is visible only to the person's group and home institution`);
    }
    return staff[field];
  }

  /** The flow paired with this one, whichever side declared the pair (null when out of scope). */
  pairedWith(flow: PersonnelFlow): Promise<PersonnelFlow | null> {
    // A cancelled flow pairs with nothing (its partner's side already shows no partner).
    if (flow.cancelled) return Promise.resolve(null);
    return this.partners.load(flow);
  }

  async status(flow: PersonnelFlow): Promise<PersonnelFlowStatus> {
    if (flow.cancelled) return PersonnelFlowStatus.CANCELLED;
    const today = (await this.clock.today(flow.groupCode)).getTime();
    if (flow.startDate.getTime() > today) return PersonnelFlowStatus.PLANNED;
    if (flow.endDate && flow.endDate.getTime() < today) return PersonnelFlowStatus.COMPLETED;
    return PersonnelFlowStatus.ACTIVE;
  }

  /** The group's figures for the period; its pairing rate needs the group's practisesPairing (the row the caller holds). */
  groupSummary(group: PairingGroup, period: PeriodInput, provenance?: ProvenanceFilter): Promise<GroupPersonnelSummary> {
    return this.groupSummaries.load({ group, period: checkPeriod(period), provenances: provenancesOf(provenance) });
  }

  /** An institution's figures for the period; `groupCode` is its group (null for an external partner). */
  memberSummary(institution: { code: string; groupCode: string | null }, period: PeriodInput, provenance?: ProvenanceFilter): Promise<MemberPersonnelSummary> {
    return this.memberSummaries.load({ code: institution.code, groupCode: institution.groupCode, period: checkPeriod(period), provenances: provenancesOf(provenance) });
  }

  /** A group's flows, in start-date order; batched across every group of the operation. */
  groupFlows(groupCode: string, filter: FlowFilter, args: { first?: number; after?: string }): Promise<Page<PersonnelFlow>> {
    return this.flowPage('GROUP', groupCode, filter, args);
  }

  /** Flows into, out of, or either way through one institution; batched across institutions. */
  institutionFlows(code: string, end: FlowEnd, filter: FlowFilter, args: { first?: number; after?: string }): Promise<Page<PersonnelFlow>> {
    return this.flowPage(end, code, filter, args);
  }

  /** Distinct intermediate-or-higher physicians of the group with ≥ 183 days stationed down in the year. */
  longTermStationedPhysicians(groupCode: string, year: number, provenance?: ProvenanceFilter): Promise<number> {
    if (!Number.isInteger(year) || year < 1990 || year > 2100) throw badUserInput('year must be a calendar year between 1990 and 2100', 'year');
    return this.longTerm.load({ groupCode, year, provenances: provenancesOf(provenance) });
  }

  /** One statement per year (and provenance filter) asked, covering every group; in-group flows only. */
  private async loadLongTerm(keys: readonly { groupCode: string; year: number; provenances?: readonly Provenance[] }[]): Promise<number[]> {
    const scope = await this.flowScope();
    const today = await this.todaySql();
    const results = new Map<string, number>();
    const keyOf = (k: { groupCode: string; year: number; provenances?: readonly Provenance[] }) => `${k.groupCode}@${k.year}@${provenanceKey(k.provenances)}`;
    for (const items of groupBy(keys, (k) => `${k.year}@${provenanceKey(k.provenances)}`).values()) {
      const { year, provenances } = items[0];
      const codes = items.map((k) => k.groupCode);
      const from = new Date(Date.UTC(year, 0, 1));
      const to = new Date(Date.UTC(year, 11, 31));
      const rows = await this.prisma.$queryRaw<{ group_code: string; physicians: number }[]>`
        SELECT d.group_code, count(*)::int AS physicians FROM (
          SELECT f.group_code, f.staff_id, sum(${clippedDays(from, to, today)}) AS days
          FROM personnel_flow f JOIN staff s ON s.id = f.staff_id
          WHERE f.group_code IN (${Prisma.join(codes)}) AND ${scope.sql('f')}
            AND f.direction = 'DOWNWARD' AND NOT f.out_of_county AND NOT f.cancelled AND ${provenanceSql('f.provenance', provenances)}
            AND s.profession = 'PHYSICIAN' AND s.title::text IN (${Prisma.join(INTERMEDIATE_OR_HIGHER)})
            AND ${overlaps(from, to)}
          GROUP BY f.group_code, f.staff_id
        ) d WHERE d.days >= ${LONG_TERM_DAYS}
        GROUP BY d.group_code`;
      for (const row of rows) results.set(keyOf({ groupCode: row.group_code, year, provenances }), row.physicians);
    }
    return keys.map((k) => results.get(keyOf(k)) ?? 0);
  }

  private flowPage(owner: FlowOwner, code: string, filter: FlowFilter, args: { first?: number; after?: string }): Promise<Page<PersonnelFlow>> {
    const page = pageRequest(args);
    if (page.afterKey) decodeFlowKey(page.afterKey); // a bad cursor is the caller's error, before any SQL
    const shape: FlowListShape = {
      owner,
      period: filter.period ? checkPeriod(filter.period) : undefined,
      startedIn: filter.startedIn ? checkPeriod(filter.startedIn, 'startedIn') : undefined,
      direction: filter.direction,
      kind: filter.kind,
      outOfCounty: filter.outOfCounty ?? undefined,
      cancelled: filter.cancelled ?? undefined,
      provenances: provenancesOf(filter.provenance),
    };
    return this.lists.page(shape, code, page);
  }

  /** The WHERE of a list shape over `personnel_flow f` joined to its owners `e(owner)`. */
  private async listConditions(shape: FlowListShape, codes: string[]): Promise<Prisma.Sql> {
    const scope = await this.flowScope();
    const parts = [Prisma.sql`e.owner IN (${Prisma.join(codes)})`, scope.sql('f')];
    if (shape.period) parts.push(overlaps(shape.period.from, shape.period.to));
    if (shape.startedIn) parts.push(startsIn(shape.startedIn.from, shape.startedIn.to));
    if (shape.direction) parts.push(Prisma.sql`f.direction::text = ${shape.direction}`);
    if (shape.kind) parts.push(Prisma.sql`f.kind::text = ${shape.kind}`);
    if (shape.outOfCounty !== undefined) parts.push(shape.outOfCounty ? Prisma.sql`f.out_of_county` : Prisma.sql`NOT f.out_of_county`);
    if (shape.cancelled !== undefined) parts.push(shape.cancelled ? Prisma.sql`f.cancelled` : Prisma.sql`NOT f.cancelled`);
    parts.push(provenanceSql('f.provenance', shape.provenances));
    return Prisma.join(parts, ' AND ');
  }

  /** One statement per list shape and page, whatever the number of owners (groups or institutions). */
  private async loadFlowPages(shape: FlowListShape, page: PageRequest, codes: string[]): Promise<{ owner: string; row: PersonnelFlow }[]> {
    let after = Prisma.sql`TRUE`;
    if (page.afterKey) {
      const { start, id } = decodeFlowKey(page.afterKey);
      after = Prisma.sql`(f.start_date > ${start}::date OR (f.start_date = ${start}::date AND f.id > ${id}))`;
    }
    const rows = await this.prisma.$queryRaw<(RawFlow & { owner: string })[]>`
      SELECT * FROM (
        SELECT ${FLOW_COLUMNS}, e.owner, row_number() OVER (PARTITION BY e.owner ORDER BY f.start_date, f.id) AS position
        FROM personnel_flow f CROSS JOIN LATERAL (VALUES ${ownerColumns(shape.owner)}) AS e(owner)
        WHERE ${await this.listConditions(shape, codes)} AND ${after}
      ) ranked
      WHERE position <= ${page.take + 1}
      ORDER BY owner, "startDate", id`;
    return rows.map((row) => ({ owner: row.owner, row: fromRaw(row) }));
  }

  private async loadFlowTotals(shape: FlowListShape, codes: string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ owner: string; total: number }[]>`
      SELECT e.owner, count(*)::int AS total
      FROM personnel_flow f CROSS JOIN LATERAL (VALUES ${ownerColumns(shape.owner)}) AS e(owner)
      WHERE ${await this.listConditions(shape, codes)}
      GROUP BY e.owner`;
    return new Map(rows.map((row) => [row.owner, row.total]));
  }

  private async loadGroupSummaries(keys: readonly GroupSummaryKey[]): Promise<GroupPersonnelSummary[]> {
    const scope = await this.flowScope();
    const today = await this.todaySql();
    const results = new Map<string, GroupPersonnelSummary>();
    // One statement per distinct period and filter (a dashboard asks for one), covering every group asked.
    for (const items of groupBy(keys, (k) => summaryKey('', k)).values()) {
      const { period, provenances } = items[0];
      const counts = (prefix: string, when: Prisma.Sql) => [
        count(`${prefix}_down`, Prisma.sql`${when} AND ${IN_GROUP} AND f.direction = 'DOWNWARD'`),
        count(`${prefix}_up`, Prisma.sql`${when} AND ${IN_GROUP} AND f.direction = 'UPWARD'`),
        count(`${prefix}_lateral`, Prisma.sql`${when} AND f.direction = 'LATERAL'`),
        count(`${prefix}_paired`, Prisma.sql`${when} AND ${IN_GROUP} AND f.direction = 'DOWNWARD' AND ${hasPartner(provenances)}`),
        count(`${prefix}_sent_out`, Prisma.sql`${when} AND f.out_of_county AND f.direction = 'UPWARD'`),
        count(`${prefix}_received_in`, Prisma.sql`${when} AND f.out_of_county AND f.direction = 'DOWNWARD'`),
      ];
      const rows = await this.prisma.$queryRaw<({ group_code: string } & Record<string, number>)[]>`
        SELECT f.group_code,
               ${Prisma.join([...counts('s', startsIn(period.from, period.to)), ...counts('a', Prisma.sql`TRUE`)], ',\n               ')},
               coalesce(sum(${clippedDays(period.from, period.to, today)}) FILTER (WHERE ${IN_GROUP} AND f.direction = 'DOWNWARD'), 0)::int AS days
        FROM personnel_flow f
        WHERE f.group_code IN (${Prisma.join(items.map((k) => k.group.code))}) AND ${scope.sql('f')}
          AND NOT f.cancelled AND ${overlaps(period.from, period.to)} AND ${provenanceSql('f.provenance', provenances)}
        GROUP BY f.group_code`;
      for (const k of items) {
        const row: Record<string, number> = rows.find((r) => r.group_code === k.group.code) ?? {};
        const note = pairingNote(k.group);
        const started = groupCounts(row, 's', note === null);
        const active = { ...groupCounts(row, 'a', note === null), personDaysDown: row.days ?? 0 };
        results.set(summaryKey(k.group.code, k), { ...started, pairingRateNote: note, personDaysDown: active.personDaysDown, started, active });
      }
    }
    return keys.map((k) => results.get(summaryKey(k.group.code, k))!);
  }

  private async loadMemberSummaries(keys: readonly MemberSummaryKey[]): Promise<MemberPersonnelSummary[]> {
    const scope = await this.flowScope();
    // "Today" reads the time zones of every group the caller reads: their rows are then loaded, and
    // the groups' practisesPairing below costs no statement.
    const today = await this.todaySql();
    const groupCodes = await Promise.all(keys.map(async (k) => (k.groupCode !== undefined ? k.groupCode : ((await this.structure.institution(k.code))?.groupCode ?? null))));
    const groups = await Promise.all(groupCodes.map((code) => (code === null ? null : this.structure.group(code))));
    // Lookups by key and by code, not by scanning: a provincial pull asks for thousands of members.
    const groupOfKey = new Map(keys.map((k, i) => [k, groups[i]]));
    const results = new Map<string, MemberPersonnelSummary>();
    for (const items of groupBy(keys, (k) => summaryKey('', k)).values()) {
      const { period, provenances } = items[0];
      const codes = items.map((k) => k.code);
      // Each flow counts once at its receiving end ('to') and once at its sending end ('from').
      const counts = (prefix: string, when: Prisma.Sql) => [
        count(`${prefix}_received_down`, Prisma.sql`${when} AND e.end_kind = 'to' AND ${IN_GROUP} AND f.direction = 'DOWNWARD'`),
        count(`${prefix}_sent_up`, Prisma.sql`${when} AND e.end_kind = 'from' AND ${IN_GROUP} AND f.direction = 'UPWARD'`),
        count(`${prefix}_sent_down`, Prisma.sql`${when} AND e.end_kind = 'from' AND ${IN_GROUP} AND f.direction = 'DOWNWARD'`),
        count(`${prefix}_received_up`, Prisma.sql`${when} AND e.end_kind = 'to' AND ${IN_GROUP} AND f.direction = 'UPWARD'`),
        count(`${prefix}_sent_lateral`, Prisma.sql`${when} AND e.end_kind = 'from' AND f.direction = 'LATERAL'`),
        count(`${prefix}_received_lateral`, Prisma.sql`${when} AND e.end_kind = 'to' AND f.direction = 'LATERAL'`),
        count(`${prefix}_paired`, Prisma.sql`${when} AND e.end_kind = 'to' AND ${IN_GROUP} AND f.direction = 'DOWNWARD' AND ${hasPartner(provenances)}`),
        count(`${prefix}_sent_out`, Prisma.sql`${when} AND e.end_kind = 'from' AND f.out_of_county`),
        count(`${prefix}_received_in`, Prisma.sql`${when} AND e.end_kind = 'to' AND f.out_of_county`),
      ];
      const rows = await this.prisma.$queryRaw<({ code: string } & Record<string, number>)[]>`
        SELECT e.code,
               ${Prisma.join([...counts('s', startsIn(period.from, period.to)), ...counts('a', Prisma.sql`TRUE`)], ',\n               ')},
               coalesce(sum(${clippedDays(period.from, period.to, today)}) FILTER (WHERE e.end_kind = 'to' AND ${IN_GROUP} AND f.direction = 'DOWNWARD'), 0)::int AS days
        FROM personnel_flow f
        CROSS JOIN LATERAL (VALUES (f.to_code, 'to'), (f.from_code, 'from')) AS e(code, end_kind)
        WHERE e.code IN (${Prisma.join(codes)})
          AND (f.to_code IN (${Prisma.join(codes)}) OR f.from_code IN (${Prisma.join(codes)}))
          AND ${scope.sql('f')} AND NOT f.cancelled AND ${overlaps(period.from, period.to)} AND ${provenanceSql('f.provenance', provenances)}
        GROUP BY e.code`;
      const byCode = new Map(rows.map((r) => [r.code, r]));
      for (const k of items) {
        const row: Record<string, number> = byCode.get(k.code) ?? {};
        const group = groupOfKey.get(k) ?? null;
        const note = group ? pairingNote(group) : `${k.code} is no member of a group the caller reads (an external partner has no pairing rate)`;
        const started = memberCounts(row, 's', note === null);
        const active = { ...memberCounts(row, 'a', note === null), personDaysReceived: row.days ?? 0 };
        results.set(summaryKey(k.code, k), { ...started, pairingRateNote: note, personDaysReceived: active.personDaysReceived, started, active });
      }
    }
    return keys.map((k) => results.get(summaryKey(k.code, k))!);
  }

  /**
   * The provincial pull's source: each member's summary for the period (one statement for all of
   * them, and one for their groups); its top-level figures are the flows started in the period, which
   * a province may sum across periods.
   */
  async forMembers(codes: readonly string[], period: Period): Promise<Map<string, MemberPersonnelSummary>> {
    const summaries = await loadAll(this.memberSummaries, codes.map((code) => ({ code, period })));
    return new Map(codes.map((code, i) => [code, summaries[i]]));
  }

  /**
   * Members whose figures for the period may have changed since the instant: the ends of flows
   * created since then that overlap the period (a flow started in the period overlaps it, so this
   * covers the started figures the pull sums as well as the active ones), and, since an update may
   * have moved a flow's ends or dates and the earlier ones are not kept, every institution of a group
   * with a flow updated since then (more than changed, never less). Active person-days also grow with
   * the days (clipped to today) without any write: the started figures do not.
   */
  async changedSince(instant: Date, period: Period): Promise<string[]> {
    const scope = await this.flowScope();
    const created = await this.prisma.$queryRaw<{ code: string }[]>`
      SELECT DISTINCT e.code
      FROM personnel_flow f CROSS JOIN LATERAL (VALUES (f.to_code), (f.from_code)) AS e(code)
      WHERE f.created_at > ${instant} AND ${scope.sql('f')} AND ${overlaps(period.from, period.to)}`;
    const updated = await this.prisma.$queryRaw<{ group_code: string }[]>`
      SELECT DISTINCT f.group_code FROM personnel_flow f WHERE f.updated_at > ${instant} AND f.created_at <= ${instant} AND ${scope.sql('f')}`;
    const moved = await this.structure.institutionCodesOfGroups(updated.map((row) => row.group_code));
    return [...new Set([...created.map((row) => row.code), ...moved])].sort();
  }

  private async loadPartners(flows: readonly PersonnelFlow[]): Promise<(PersonnelFlow | null)[]> {
    const scope = await this.flowScope();
    const declared = flows.filter((f) => f.pairedExternalId);
    const conditions: Prisma.PersonnelFlowWhereInput[] = [
      ...declared.map((f) => ({ groupCode: f.groupCode, source: f.source, externalId: f.pairedExternalId! })),
      ...flows.map((f) => ({ groupCode: f.groupCode, source: f.source, pairedExternalId: f.externalId })),
    ];
    const rows = (
      await this.prisma.personnelFlow.findMany({ where: { AND: [{ OR: conditions }, { cancelled: false }, scope.where] } })
    ).map(toFlow);
    return flows.map(
      (f) =>
        rows.find((r) => r.groupCode === f.groupCode && r.source === f.source && r.id !== f.id && (r.externalId === f.pairedExternalId || r.pairedExternalId === f.externalId)) ??
        null,
    );
  }
}

/** Days of flow `f` inside [from, to] that have passed (up to `today`, an SQL date); 0 when none. */
function clippedDays(from: Date, to: Date, today: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`GREATEST(0, LEAST(COALESCE(f.end_date, ${today}), ${today}, ${to}::date) - GREATEST(f.start_date, ${from}::date) + 1)`;
}

/** Flow `f` overlaps [from, to]. */
function overlaps(from: Date, to: Date): Prisma.Sql {
  return Prisma.sql`f.start_date <= ${to}::date AND (f.end_date IS NULL OR f.end_date >= ${from}::date)`;
}

/** Flow `f` is inside the group: neither end is an external partner. */
const IN_GROUP = Prisma.sql`NOT f.out_of_county`;

/** Flow `f` starts inside [from, to]: an event of the period. */
function startsIn(from: Date, to: Date): Prisma.Sql {
  return Prisma.sql`f.start_date BETWEEN ${from}::date AND ${to}::date`;
}

/** `count(*) FILTER (WHERE …)::int AS alias`. */
function count(alias: string, when: Prisma.Sql): Prisma.Sql {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`Not an alias: ${alias}`);
  return Prisma.sql`count(*) FILTER (WHERE ${when})::int AS ${Prisma.raw(alias)}`;
}

/**
 * Downward flow `f` (in-group) has a partner by the pairing rules: an upward in-group flow of its
 * group and source, declared by either side, out of the member `f` goes to, starting in the same
 * calendar year (dates are the group's local days), not cancelled and of the provenances counted.
 * The rules are checked again here so that a pair stored before they held does not count.
 */
function hasPartner(provenances: readonly Provenance[] | undefined): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM personnel_flow p WHERE p.group_code = f.group_code AND p.source = f.source AND NOT p.cancelled AND p.id <> f.id
    AND (p.external_id = f.paired_external_id OR p.paired_external_id = f.external_id)
    AND p.direction = 'UPWARD' AND NOT p.out_of_county AND p.from_code = f.to_code
    AND date_part('year', p.start_date) = date_part('year', f.start_date) AND ${provenanceSql('p.provenance', provenances)})`;
}

/** Why a group has no pairing rate, or null when it has one. */
function pairingNote(group: PairingGroup): string | null {
  return group.practisesPairing ? null : `${group.name} does not practise pairing (派一送一): no pairing rate`;
}

function rateOf(applies: boolean, paired: number, downward: number): Ratio | null {
  return applies ? ratio(paired, downward) : null;
}

function groupCounts(row: Record<string, number>, prefix: string, pairing: boolean): GroupFlowCounts {
  const n = (name: string) => row[`${prefix}_${name}`] ?? 0;
  return {
    downward: n('down'),
    upward: n('up'),
    lateral: n('lateral'),
    paired: n('paired'),
    pairingRate: rateOf(pairing, n('paired'), n('down')),
    outOfCounty: { sentOut: n('sent_out'), receivedIn: n('received_in') },
  };
}

function memberCounts(row: Record<string, number>, prefix: string, pairing: boolean): MemberFlowCounts {
  const n = (name: string) => row[`${prefix}_${name}`] ?? 0;
  return {
    receivedDown: n('received_down'),
    sentUp: n('sent_up'),
    sentDown: n('sent_down'),
    receivedUp: n('received_up'),
    sentLateral: n('sent_lateral'),
    receivedLateral: n('received_lateral'),
    paired: n('paired'),
    pairingRate: rateOf(pairing, n('paired'), n('received_down')),
    outOfCounty: { sentOut: n('sent_out'), receivedIn: n('received_in') },
  };
}

function summaryKey(owner: string, key: { period: Period; provenances?: readonly Provenance[] }): string {
  return `${owner}@${periodKey(key.period)}@${provenanceKey(key.provenances)}`;
}
