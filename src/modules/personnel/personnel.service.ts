// Reads of the personnel domain. One instance per request; its DataLoaders batch one operation's
// lookups and die with it. Counts are SQL aggregates: one statement whatever the number of flows.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Principal } from '../../auth/principal';
import type { Direction } from '../../common/direction';
import { badUserInput, forbidden } from '../../common/errors';
import { Page, pageRequest, type PageRequest } from '../../common/pagination';
import { checkPeriod, isoDay, todayIn, type Period, type PeriodInput } from '../../common/period';
import { ratio } from '../../common/ratio';
import type { StructureService } from '../structure/structure.service';
import { FlowEnd } from './personnel.args';
import { INTERMEDIATE_OR_HIGHER, PersonnelFlowStatus, type PersonnelFlowKind } from './personnel.enums';
import type { PersonnelFlow } from './personnel-flow.type';
import type { GroupPersonnelSummary, MemberPersonnelSummary } from './personnel-summary.type';
import { flowScope, flowScopeSql, maySeeContact } from './personnel.scope';
import type { Staff } from './staff.type';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** Six months, for "stationed down for six months or more in a year". */
export const LONG_TERM_DAYS = 183;

/** Whose flows a list holds: a group's, or an institution's by end. */
type FlowOwner = 'GROUP' | FlowEnd;

interface FlowListShape {
  owner: FlowOwner;
  period?: Period;
  direction?: Direction;
  kind?: PersonnelFlowKind;
}

interface FlowPageKey {
  shape: FlowListShape;
  code: string;
  page: PageRequest;
}

type RawFlow = Omit<PersonnelFlow, 'id' | 'startDate' | 'endDate'> & { id: number; startDate: Date | string; endDate: Date | string | null };

const FLOW_COLUMNS = Prisma.sql`f.id, f.source, f.external_id AS "externalId", f.staff_id AS "staffId", f.group_code AS "groupCode",
  f.from_code AS "fromCode", f.to_code AS "toCode", f.direction::text AS direction, f.kind::text AS kind,
  f.start_date AS "startDate", f.end_date AS "endDate", f.cancelled, f.paired_external_id AS "pairedExternalId"`;

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

function shapeKey(shape: FlowListShape, page?: PageRequest): string {
  const period = shape.period ? `${isoDay(shape.period.from)}..${isoDay(shape.period.to)}` : null;
  return JSON.stringify([shape.owner, period, shape.direction ?? null, shape.kind ?? null, page?.take ?? null, page?.afterKey ?? null]);
}

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(`${value.slice(0, 10)}T00:00:00Z`));

function fromRaw({ owner: _owner, position: _position, ...row }: RawFlow & { owner?: string; position?: unknown }): PersonnelFlow {
  return { ...row, id: String(row.id), startDate: asDate(row.startDate), endDate: row.endDate === null ? null : asDate(row.endDate) };
}

function decodeFlowKey(key: string): { start: string; id: number } {
  const [start, id] = key.split('|');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start ?? '') || !/^\d+$/.test(id ?? '')) throw badUserInput('after is not a cursor of this list', 'after');
  return { start, id: Number(id) };
}

function groupByKey<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.values()];
}

export interface FlowFilter {
  period?: PeriodInput;
  direction?: Direction;
  kind?: PersonnelFlowKind;
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
  private readonly groupSummaries: DataLoader<{ groupCode: string; period: Period }, GroupPersonnelSummary, string>;
  private readonly memberSummaries: DataLoader<{ code: string; period: Period }, MemberPersonnelSummary, string>;
  private readonly flowPages: DataLoader<FlowPageKey, PersonnelFlow[], string>;
  private readonly longTerm: DataLoader<{ groupCode: string; year: number }, number, string>;
  private today?: Promise<Prisma.Sql>;
  private readonly flowTotals: DataLoader<Omit<FlowPageKey, 'page'>, number, string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly principal: Principal,
    private readonly structure: StructureService,
  ) {
    this.staffById = new DataLoader(async (ids) => {
      const rows = await prisma.staff.findMany({ where: { id: { in: [...ids] } } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
    this.partners = new DataLoader((flows) => this.loadPartners(flows), { cacheKeyFn: (f) => f.id });
    this.groupSummaries = new DataLoader((keys) => this.loadGroupSummaries(keys), {
      cacheKeyFn: (k) => summaryKey(k.groupCode, k.period),
    });
    this.memberSummaries = new DataLoader((keys) => this.loadMemberSummaries(keys), {
      cacheKeyFn: (k) => summaryKey(k.code, k.period),
    });
    this.longTerm = new DataLoader((keys) => this.loadLongTerm(keys), { cacheKeyFn: (k) => `${k.groupCode}@${k.year}` });
    this.flowPages = new DataLoader((keys) => this.loadFlowPages(keys), { cacheKeyFn: (k) => shapeKey(k.shape, k.page) + k.code });
    this.flowTotals = new DataLoader((keys) => this.loadFlowTotals(keys), { cacheKeyFn: (k) => shapeKey(k.shape) + k.code });
  }

  /**
   * Today's date in each flow's group's time zone, as an SQL expression over `f` (a constant when all
   * the groups in scope share a zone). Once per request.
   */
  private todaySql(): Promise<Prisma.Sql> {
    this.today ??= (async () => {
      const scope = await this.structure.scopeForDomains();
      const zones = await this.structure.timeZones(scope.groupCodes);
      const days = new Map(scope.groupCodes.map((code) => [code, isoDay(todayIn(zones.get(code) ?? DEFAULT_TIME_ZONE))]));
      const fallback = isoDay(todayIn(DEFAULT_TIME_ZONE));
      if (new Set([...days.values(), fallback]).size === 1) return Prisma.sql`${fallback}::date`;
      const branches = [...days].map(([code, day]) => Prisma.sql`WHEN ${code} THEN ${day}::date`);
      return Prisma.sql`(CASE f.group_code ${Prisma.join(branches, ' ')} ELSE ${fallback}::date END)`;
    })();
    return this.today;
  }

  staff(id: number): Promise<Staff | null> {
    return this.staffById.load(id);
  }

  /** Contact data goes only to the person's group and home institution; others get FORBIDDEN. */
  async staffContact(staff: Staff, field: 'phone' | 'idNumberMasked'): Promise<string | null> {
    const scope = await this.structure.scopeForDomains();
    if (!maySeeContact(scope, this.principal.role, staff)) {
      throw forbidden(`Staff contact data (${field}) is visible only to the person's group and home institution`);
    }
    return staff[field];
  }

  /** The flow paired with this one, whichever side declared the pair (null when out of scope). */
  pairedWith(flow: PersonnelFlow): Promise<PersonnelFlow | null> {
    return this.partners.load(flow);
  }

  async status(flow: PersonnelFlow): Promise<PersonnelFlowStatus> {
    if (flow.cancelled) return PersonnelFlowStatus.CANCELLED;
    const group = await this.structure.group(flow.groupCode);
    const today = todayIn(group?.timeZone ?? DEFAULT_TIME_ZONE).getTime();
    if (flow.startDate.getTime() > today) return PersonnelFlowStatus.PLANNED;
    if (flow.endDate && flow.endDate.getTime() < today) return PersonnelFlowStatus.COMPLETED;
    return PersonnelFlowStatus.ACTIVE;
  }

  groupSummary(groupCode: string, period: PeriodInput): Promise<GroupPersonnelSummary> {
    return this.groupSummaries.load({ groupCode, period: checkPeriod(period) });
  }

  memberSummary(code: string, period: PeriodInput): Promise<MemberPersonnelSummary> {
    return this.memberSummaries.load({ code, period: checkPeriod(period) });
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
  longTermStationedPhysicians(groupCode: string, year: number): Promise<number> {
    if (!Number.isInteger(year) || year < 1990 || year > 2100) throw badUserInput('year must be a calendar year between 1990 and 2100', 'year');
    return this.longTerm.load({ groupCode, year });
  }

  /** One statement per year asked, covering every group. */
  private async loadLongTerm(keys: readonly { groupCode: string; year: number }[]): Promise<number[]> {
    const scope = await this.structure.scopeForDomains();
    const today = await this.todaySql();
    const results = new Map<string, number>();
    for (const year of new Set(keys.map((k) => k.year))) {
      const codes = keys.filter((k) => k.year === year).map((k) => k.groupCode);
      const from = new Date(Date.UTC(year, 0, 1));
      const to = new Date(Date.UTC(year, 11, 31));
      const rows = await this.prisma.$queryRaw<{ group_code: string; physicians: number }[]>`
        SELECT d.group_code, count(*)::int AS physicians FROM (
          SELECT f.group_code, f.staff_id, sum(${clippedDays(from, to, today)}) AS days
          FROM personnel_flow f JOIN staff s ON s.id = f.staff_id
          WHERE f.group_code IN (${Prisma.join(codes)}) AND ${flowScopeSql(scope)}
            AND f.direction = 'DOWNWARD' AND NOT f.cancelled
            AND s.profession = 'PHYSICIAN' AND s.title::text IN (${Prisma.join(INTERMEDIATE_OR_HIGHER)})
            AND ${overlaps(from, to)}
          GROUP BY f.group_code, f.staff_id
        ) d WHERE d.days >= ${LONG_TERM_DAYS}
        GROUP BY d.group_code`;
      for (const row of rows) results.set(`${row.group_code}@${year}`, row.physicians);
    }
    return keys.map((k) => results.get(`${k.groupCode}@${k.year}`) ?? 0);
  }

  private flowPage(owner: FlowOwner, code: string, filter: FlowFilter, args: { first?: number; after?: string }): Promise<Page<PersonnelFlow>> {
    const page = pageRequest(args);
    if (page.afterKey) decodeFlowKey(page.afterKey); // a bad cursor is the caller's error, before any SQL
    const shape: FlowListShape = {
      owner,
      period: filter.period ? checkPeriod(filter.period) : undefined,
      direction: filter.direction,
      kind: filter.kind,
    };
    return this.flowPages.load({ shape, code, page }).then((rows) =>
      Page.fromRows(rows, page.take, flowKey, () => this.flowTotals.load({ shape, code })),
    );
  }

  /** The WHERE of a list shape over `personnel_flow f` joined to its owners `e(owner)`. */
  private async listConditions(shape: FlowListShape, codes: string[]): Promise<Prisma.Sql> {
    const scope = await this.structure.scopeForDomains();
    const parts = [Prisma.sql`e.owner IN (${Prisma.join(codes)})`, flowScopeSql(scope)];
    if (shape.period) parts.push(overlaps(shape.period.from, shape.period.to));
    if (shape.direction) parts.push(Prisma.sql`f.direction::text = ${shape.direction}`);
    if (shape.kind) parts.push(Prisma.sql`f.kind::text = ${shape.kind}`);
    return Prisma.join(parts, ' AND ');
  }

  /** One statement per list shape, whatever the number of owners (groups or institutions). */
  private async loadFlowPages(keys: readonly FlowPageKey[]): Promise<PersonnelFlow[][]> {
    const results = new Map<string, PersonnelFlow[]>();
    for (const group of groupByKey(keys, (k) => shapeKey(k.shape, k.page))) {
      const { shape, page } = group[0];
      const codes = group.map((k) => k.code);
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
      for (const code of codes) results.set(shapeKey(shape, page) + code, []);
      for (const row of rows) results.get(shapeKey(shape, page) + row.owner)?.push(fromRaw(row));
    }
    return keys.map((k) => results.get(shapeKey(k.shape, k.page) + k.code) ?? []);
  }

  private async loadFlowTotals(keys: readonly Omit<FlowPageKey, 'page'>[]): Promise<number[]> {
    const results = new Map<string, number>();
    for (const group of groupByKey(keys, (k) => shapeKey(k.shape))) {
      const { shape } = group[0];
      const codes = group.map((k) => k.code);
      const rows = await this.prisma.$queryRaw<{ owner: string; total: number }[]>`
        SELECT e.owner, count(*)::int AS total
        FROM personnel_flow f CROSS JOIN LATERAL (VALUES ${ownerColumns(shape.owner)}) AS e(owner)
        WHERE ${await this.listConditions(shape, codes)}
        GROUP BY e.owner`;
      for (const row of rows) results.set(shapeKey(shape) + row.owner, row.total);
    }
    return keys.map((k) => results.get(shapeKey(k.shape) + k.code) ?? 0);
  }

  private async loadGroupSummaries(keys: readonly { groupCode: string; period: Period }[]): Promise<GroupPersonnelSummary[]> {
    const scope = await this.structure.scopeForDomains();
    const today = await this.todaySql();
    const results = new Map<string, GroupPersonnelSummary>();
    // One statement per distinct period (a dashboard asks for one), covering every group asked.
    for (const { period, items } of groupByPeriod(keys)) {
      const rows = await this.prisma.$queryRaw<{ group_code: string; downward: number; upward: number; paired: number; days: number }[]>`
        SELECT f.group_code,
               count(*) FILTER (WHERE f.direction = 'DOWNWARD')::int AS downward,
               count(*) FILTER (WHERE f.direction = 'UPWARD')::int AS upward,
               count(*) FILTER (WHERE f.direction = 'DOWNWARD' AND ${hasPartner()})::int AS paired,
               coalesce(sum(${clippedDays(period.from, period.to, today)}) FILTER (WHERE f.direction = 'DOWNWARD'), 0)::int AS days
        FROM personnel_flow f
        WHERE f.group_code IN (${Prisma.join(items.map((k) => k.groupCode))}) AND ${flowScopeSql(scope)}
          AND NOT f.cancelled AND ${overlaps(period.from, period.to)}
        GROUP BY f.group_code`;
      for (const k of items) {
        const row = rows.find((r) => r.group_code === k.groupCode);
        const downward = row?.downward ?? 0;
        const paired = row?.paired ?? 0;
        results.set(summaryKey(k.groupCode, period), {
          downward,
          upward: row?.upward ?? 0,
          paired,
          pairingRate: ratio(paired, downward),
          personDaysDown: row?.days ?? 0,
        });
      }
    }
    return keys.map((k) => results.get(summaryKey(k.groupCode, k.period))!);
  }

  private async loadMemberSummaries(keys: readonly { code: string; period: Period }[]): Promise<MemberPersonnelSummary[]> {
    const scope = await this.structure.scopeForDomains();
    const today = await this.todaySql();
    const results = new Map<string, MemberPersonnelSummary>();
    for (const { period, items } of groupByPeriod(keys)) {
      const codes = items.map((k) => k.code);
      // Each flow counts once at its receiving end and once at its sending end.
      const rows = await this.prisma.$queryRaw<
        { code: string; received_down: number; sent_up: number; sent_down: number; received_up: number; paired: number; days: number }[]
      >`
        SELECT e.code,
               count(*) FILTER (WHERE e.end_kind = 'to' AND f.direction = 'DOWNWARD')::int AS received_down,
               count(*) FILTER (WHERE e.end_kind = 'from' AND f.direction = 'UPWARD')::int AS sent_up,
               count(*) FILTER (WHERE e.end_kind = 'from' AND f.direction = 'DOWNWARD')::int AS sent_down,
               count(*) FILTER (WHERE e.end_kind = 'to' AND f.direction = 'UPWARD')::int AS received_up,
               count(*) FILTER (WHERE e.end_kind = 'to' AND f.direction = 'DOWNWARD' AND ${hasPartner()})::int AS paired,
               coalesce(sum(${clippedDays(period.from, period.to, today)}) FILTER (WHERE e.end_kind = 'to' AND f.direction = 'DOWNWARD'), 0)::int AS days
        FROM personnel_flow f
        CROSS JOIN LATERAL (VALUES (f.to_code, 'to'), (f.from_code, 'from')) AS e(code, end_kind)
        WHERE e.code IN (${Prisma.join(codes)})
          AND (f.to_code IN (${Prisma.join(codes)}) OR f.from_code IN (${Prisma.join(codes)}))
          AND ${flowScopeSql(scope)} AND NOT f.cancelled AND ${overlaps(period.from, period.to)}
        GROUP BY e.code`;
      for (const k of items) {
        const row = rows.find((r) => r.code === k.code);
        const receivedDown = row?.received_down ?? 0;
        const paired = row?.paired ?? 0;
        results.set(summaryKey(k.code, period), {
          receivedDown,
          sentUp: row?.sent_up ?? 0,
          sentDown: row?.sent_down ?? 0,
          receivedUp: row?.received_up ?? 0,
          paired,
          pairingRate: ratio(paired, receivedDown),
          personDaysReceived: row?.days ?? 0,
        });
      }
    }
    return keys.map((k) => results.get(summaryKey(k.code, k.period))!);
  }

  private async loadPartners(flows: readonly PersonnelFlow[]): Promise<(PersonnelFlow | null)[]> {
    const scope = await this.structure.scopeForDomains();
    const declared = flows.filter((f) => f.pairedExternalId);
    const conditions: Prisma.PersonnelFlowWhereInput[] = [
      ...declared.map((f) => ({ source: f.source, externalId: f.pairedExternalId! })),
      ...flows.map((f) => ({ source: f.source, pairedExternalId: f.externalId })),
    ];
    const rows = (
      await this.prisma.personnelFlow.findMany({ where: { AND: [{ OR: conditions }, { cancelled: false }, flowScope(scope)] } })
    ).map(toFlow);
    return flows.map(
      (f) =>
        rows.find((r) => r.source === f.source && r.id !== f.id && (r.externalId === f.pairedExternalId || r.pairedExternalId === f.externalId)) ??
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

/** Flow `f` has a partner, declared by either side (cancelled partners do not count). */
function hasPartner(): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM personnel_flow p WHERE p.source = f.source AND NOT p.cancelled AND p.id <> f.id
    AND (p.external_id = f.paired_external_id OR p.paired_external_id = f.external_id))`;
}

function groupByPeriod<K extends { period: Period }>(keys: readonly K[]): { period: Period; items: K[] }[] {
  const groups = new Map<string, { period: Period; items: K[] }>();
  for (const key of keys) {
    const id = isoDay(key.period.from) + isoDay(key.period.to);
    if (!groups.has(id)) groups.set(id, { period: key.period, items: [] });
    groups.get(id)!.items.push(key);
  }
  return [...groups.values()];
}

function summaryKey(owner: string, period: Period): string {
  return `${owner}@${isoDay(period.from)}..${isoDay(period.to)}`;
}
