// Data access of the structure domain. One instance per request: its DataLoaders batch the lookups of
// one operation and never outlive it, so nothing cached crosses callers or scopes.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Principal } from '../../auth/principal';
import { badUserInput, notFound } from '../../common/errors';
import { Page, pageRequest, type PageRequest } from '../../common/pagination';
import type { CountyGroup, MemberCount } from './county-group.type';
import type { Institution } from './institution.type';
import type { InstitutionFilter } from './institution.input';
import type { Region } from './region.type';
import { groupScope, institutionScope, institutionScopeSql } from './structure.scope';
import { InstitutionKind } from './structure.enums';

/** The kinds that count as members; EXTERNAL partners are listed apart. */
export const MEMBER_KINDS: InstitutionKind[] = [
  InstitutionKind.LEAD_HOSPITAL,
  InstitutionKind.COUNTY_HOSPITAL,
  InstitutionKind.TOWNSHIP_HEALTH_CENTER,
  InstitutionKind.VILLAGE_CLINIC,
];

export const MAX_NAME_FILTER_LENGTH = 50;

/** Institutions under one parent: a group's members (by group_code) or an institution's children. */
type Partition = 'group_code' | 'parent_code';

interface PartitionedPageKey {
  partition: Partition;
  owner: string;
  /** Only this kind; undefined = any kind. */
  kind?: InstitutionKind;
  /** Leave out EXTERNAL partners (members are never external). */
  membersOnly: boolean;
  page: PageRequest;
}

const INSTITUTION_COLUMNS = Prisma.sql`i.code, i.name, i.kind::text AS kind, i.level, i.group_code AS "groupCode",
  i.parent_code AS "parentCode", i.invented, i.updated_at AS "updatedAt"`;

function keyString(key: { partition: Partition; kind?: string; membersOnly: boolean; page?: PageRequest }): string {
  return JSON.stringify([key.partition, key.kind ?? null, key.membersOnly, key.page?.take ?? null, key.page?.afterKey ?? null]);
}

/** What other domains filter their own rows by: group codes, and for an INSTITUTION token its code. */
export interface DomainScope {
  groupCodes: string[];
  /** Set for INSTITUTION tokens: rows must involve this institution. */
  institutionCode?: string;
}

/** What a write needs to know of an institution, whoever the caller is. */
export interface InstitutionRef {
  code: string;
  groupCode: string;
  kind: InstitutionKind;
  level: number;
}

export class StructureService {
  private domainScope?: Promise<DomainScope>;
  private readonly regions: DataLoader<string, Region | null>;
  private readonly groups: DataLoader<string, CountyGroup | null>;
  private readonly institutions: DataLoader<string, Institution | null>;
  private readonly memberCountsByGroup: DataLoader<string, MemberCount[]>;
  private readonly pages: DataLoader<PartitionedPageKey, Institution[], string>;
  private readonly totals: DataLoader<Omit<PartitionedPageKey, 'page'>, number, string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly principal: Principal,
  ) {
    this.regions = new DataLoader(async (codes) => {
      const rows = await prisma.region.findMany({ where: { code: { in: [...codes] } } });
      return byKey(codes, rows, (r) => r.code);
    });
    this.groups = new DataLoader(async (codes) => {
      const rows = await prisma.countyGroup.findMany({ where: { AND: [{ code: { in: [...codes] } }, groupScope(principal)] } });
      return byKey(codes, rows, (g) => g.code);
    });
    this.institutions = new DataLoader(async (codes) => {
      const rows = await prisma.institution.findMany({
        where: { AND: [{ code: { in: [...codes] } }, institutionScope(principal)] },
      });
      return byKey(codes, rows, (i) => i.code);
    });
    this.memberCountsByGroup = new DataLoader(async (groupCodes) => {
      const rows = await prisma.institution.groupBy({
        by: ['groupCode', 'kind'],
        where: { AND: [{ groupCode: { in: [...groupCodes] }, kind: { in: MEMBER_KINDS } }, institutionScope(principal)] },
        _count: { _all: true },
      });
      return groupCodes.map((groupCode) =>
        MEMBER_KINDS.map((kind) => ({
          kind,
          count: rows.find((r) => r.groupCode === groupCode && r.kind === kind)?._count._all ?? 0,
        })),
      );
    });
    this.pages = new DataLoader((keys) => this.loadPages(keys), {
      cacheKeyFn: (key) => keyString(key) + key.owner,
    });
    this.totals = new DataLoader((keys) => this.loadTotals(keys), {
      cacheKeyFn: (key) => keyString(key) + key.owner,
    });
  }

  region(code: string): Promise<Region | null> {
    return this.regions.load(code);
  }

  group(code: string): Promise<CountyGroup | null> {
    return this.groups.load(code);
  }

  institution(code: string): Promise<Institution | null> {
    return this.institutions.load(code);
  }

  async requireGroup(code: string, field = 'code'): Promise<CountyGroup> {
    return (await this.groups.load(code)) ?? Promise.reject(notFound('County group', code, field));
  }

  async requireInstitution(code: string, field = 'code'): Promise<Institution> {
    return (await this.institutions.load(code)) ?? Promise.reject(notFound('Institution', code, field));
  }

  async requireRegion(code: string, field = 'code'): Promise<Region> {
    return (await this.regions.load(code)) ?? Promise.reject(notFound('Region', code, field));
  }

  /**
   * The caller's scope as other domains apply it to their own tables (they never read structure's
   * tables). One statement, once per request.
   */
  scopeForDomains(): Promise<DomainScope> {
    this.domainScope ??= this.prisma.countyGroup
      .findMany({ where: groupScope(this.principal), select: { code: true }, orderBy: { code: 'asc' } })
      .then((groups) => ({
        groupCodes: groups.map((g) => g.code),
        institutionCode: this.principal.role === 'INSTITUTION' ? this.principal.scope : undefined,
      }));
    return this.domainScope;
  }

  /**
   * Institutions by code for validating writes, whatever the caller's scope: the writing domain tells
   * an unknown code from one outside the caller's scope. Never returned to clients as such.
   */
  async lookupForWrite(codes: readonly string[]): Promise<Map<string, InstitutionRef>> {
    if (!codes.length) return new Map();
    const rows = await this.prisma.institution.findMany({
      where: { code: { in: [...new Set(codes)] } },
      select: { code: true, groupCode: true, kind: true, level: true },
    });
    return new Map(rows.map((row) => [row.code, row]));
  }

  /** Time zones of groups by code (days and periods turn at local midnight). */
  async timeZones(groupCodes: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.countyGroup.findMany({ where: { code: { in: [...groupCodes] } }, select: { code: true, timeZone: true } });
    return new Map(rows.map((row) => [row.code, row.timeZone]));
  }

  memberCounts(groupCode: string): Promise<MemberCount[]> {
    return this.memberCountsByGroup.load(groupCode);
  }

  /** Groups the caller may see, by code. */
  async listGroups(args: { first?: number; after?: string; provinceCode?: string }): Promise<Page<CountyGroup>> {
    const page = pageRequest(args);
    const where: Prisma.CountyGroupWhereInput = {
      AND: [groupScope(this.principal), args.provinceCode ? { provinceCode: args.provinceCode } : {}],
    };
    const rows = await this.prisma.countyGroup.findMany({
      where: { AND: [where, page.afterKey ? { code: { gt: page.afterKey } } : {}] },
      orderBy: { code: 'asc' },
      take: page.take + 1,
    });
    return Page.fromRows(rows, page.take, (g) => g.code, () => this.prisma.countyGroup.count({ where }));
  }

  /** Search across every institution the caller may see, by code. */
  async searchInstitutions(filter: InstitutionFilter, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    const page = pageRequest(args);
    if (filter.nameContains !== undefined && filter.nameContains !== null && filter.nameContains.length > MAX_NAME_FILTER_LENGTH) {
      throw badUserInput(`nameContains may hold at most ${MAX_NAME_FILTER_LENGTH} characters`, 'filter.nameContains');
    }
    const conditions: Prisma.InstitutionWhereInput[] = [institutionScope(this.principal)];
    if (filter.groupCode) conditions.push({ groupCode: filter.groupCode });
    if (filter.kind) conditions.push({ kind: filter.kind });
    if (filter.parentCode) conditions.push({ parentCode: filter.parentCode });
    if (filter.nameContains) conditions.push({ name: { contains: filter.nameContains, mode: 'insensitive' } });
    if (filter.regionCode) {
      const code = filter.regionCode;
      conditions.push({ group: { OR: [{ regionCode: code }, { prefectureCode: code }, { provinceCode: code }] } });
    }
    const where: Prisma.InstitutionWhereInput = { AND: conditions };
    const rows = await this.prisma.institution.findMany({
      where: { AND: [where, page.afterKey ? { code: { gt: page.afterKey } } : {}] },
      orderBy: { code: 'asc' },
      take: page.take + 1,
    });
    return Page.fromRows(rows, page.take, (i) => i.code, () => this.prisma.institution.count({ where }));
  }

  /** A group's members (never its external partners), batched across every group in the operation. */
  members(groupCode: string, kind: InstitutionKind | undefined, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    if (kind === InstitutionKind.EXTERNAL) {
      throw badUserInput('External partners are not members of a group: query `partners` instead', 'kind');
    }
    return this.partitionedPage({ partition: 'group_code', owner: groupCode, kind, membersOnly: true }, args);
  }

  /** A group's external partner hospitals. */
  partners(groupCode: string, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage(
      { partition: 'group_code', owner: groupCode, kind: InstitutionKind.EXTERNAL, membersOnly: false },
      args,
    );
  }

  /** The institutions directly under one (a township's village clinics; a lead hospital's branches). */
  children(parentCode: string, kind: InstitutionKind | undefined, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage({ partition: 'parent_code', owner: parentCode, kind, membersOnly: false }, args);
  }

  private async partitionedPage(
    key: Omit<PartitionedPageKey, 'page'>,
    args: { first?: number; after?: string },
  ): Promise<Page<Institution>> {
    const page = pageRequest(args);
    const rows = await this.pages.load({ ...key, page });
    return Page.fromRows(rows, page.take, (i) => i.code, () => this.totals.load(key));
  }

  /** One SQL statement per distinct (partition, kind, page) shape, whatever the number of owners. */
  private async loadPages(keys: readonly PartitionedPageKey[]): Promise<Institution[][]> {
    const results = new Map<string, Institution[]>();
    for (const group of groupBy(keys, keyString).values()) {
      const { partition, kind, membersOnly, page } = group[0];
      const owners = group.map((k) => k.owner);
      const column = Prisma.raw(`i.${partition}`);
      const rows = await this.prisma.$queryRaw<(Institution & { owner: string })[]>`
        SELECT * FROM (
          SELECT ${INSTITUTION_COLUMNS}, ${column} AS owner,
                 row_number() OVER (PARTITION BY ${column} ORDER BY i.code) AS position
          FROM institution i
          WHERE ${column} IN (${Prisma.join(owners)})
            AND ${kind ? Prisma.sql`i.kind::text = ${kind}` : Prisma.sql`TRUE`}
            AND ${membersOnly ? Prisma.sql`i.kind::text <> 'EXTERNAL'` : Prisma.sql`TRUE`}
            AND ${page.afterKey ? Prisma.sql`i.code > ${page.afterKey}` : Prisma.sql`TRUE`}
            AND ${institutionScopeSql(this.principal)}
        ) ranked
        WHERE position <= ${page.take + 1}
        ORDER BY owner, code`;
      for (const owner of owners) results.set(keyString(group[0]) + owner, []);
      for (const { owner, ...row } of rows) {
        delete (row as { position?: unknown }).position;
        results.get(keyString(group[0]) + owner)?.push(row as Institution);
      }
    }
    return keys.map((key) => results.get(keyString(key) + key.owner) ?? []);
  }

  private async loadTotals(keys: readonly Omit<PartitionedPageKey, 'page'>[]): Promise<number[]> {
    const results = new Map<string, number>();
    for (const group of groupBy(keys, keyString).values()) {
      const { partition, kind, membersOnly } = group[0];
      const field = partition === 'group_code' ? 'groupCode' : 'parentCode';
      const conditions: Prisma.InstitutionWhereInput[] = [
        { [field]: { in: group.map((k) => k.owner) } },
        institutionScope(this.principal),
      ];
      if (kind) conditions.push({ kind });
      if (membersOnly) conditions.push({ kind: { not: InstitutionKind.EXTERNAL } });
      const rows = await this.prisma.institution.groupBy({ by: [field], where: { AND: conditions }, _count: { _all: true } });
      for (const row of rows) results.set(keyString(group[0]) + String(row[field]), row._count._all);
    }
    return keys.map((key) => results.get(keyString(key) + key.owner) ?? 0);
  }
}

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
