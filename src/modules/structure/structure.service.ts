// Data access of the structure domain. One instance per request: its DataLoaders batch the lookups of
// one operation and never outlive it, so nothing cached crosses callers or scopes.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import { byKey } from '../../common/collections';
import { badUserInput, notFound } from '../../common/errors';
import { OwnerPages } from '../../common/owner-pages';
import { Page, pageRequest, type PageRequest } from '../../common/pagination';
import { provenanceKey, provenancesOf, provenanceSql, type Provenance, type ProvenanceFilter } from '../../common/provenance';
import type { CountyGroup, MemberCount } from './county-group.type';
import type { Institution } from './institution.type';
import type { InstitutionFilter } from './institution.input';
import type { MembershipOf } from './membership';
import type { Region } from './region.type';
import { InstitutionKind } from './structure.enums';

/** The kinds that count as members; EXTERNAL partners are listed apart. */
export const MEMBER_KINDS: InstitutionKind[] = [
  InstitutionKind.LEAD_HOSPITAL,
  InstitutionKind.COUNTY_HOSPITAL,
  InstitutionKind.TOWNSHIP_HEALTH_CENTER,
  InstitutionKind.VILLAGE_CLINIC,
];

export const MAX_NAME_FILTER_LENGTH = 50;

/**
 * Institutions under one owner: a group's members (by group_code), a group's partners (through
 * partnership) or an institution's children (by parent_code).
 */
interface InstitutionListShape {
  partition: 'group_code' | 'partnership' | 'parent_code';
  /** Only this kind; undefined = any kind. */
  kind?: InstitutionKind;
  /** Only these provenances; undefined = any. */
  provenances?: readonly Provenance[];
}

const INSTITUTION_COLUMNS = Prisma.sql`i.code, i.name, i.kind::text AS kind, i.level, i.group_code AS "groupCode",
  i.region_code AS "regionCode", i.parent_code AS "parentCode", i.provenance::text AS provenance, i.article,
  i.provenance_note AS "provenanceNote", i.updated_at AS "updatedAt"`;

// A NULL array column is [] to Prisma (the column allows NULL): the same here.
const GROUP_COLUMNS = Prisma.sql`g.code, g.name, COALESCE(g.unified_dimensions::text[], '{}') AS "unifiedDimensions",
  g.declared_dimension_count AS "declaredDimensionCount", g.time_zone AS "timeZone", g.practises_pairing AS "practisesPairing",
  g.since, g.region_code AS "regionCode", g.prefecture_code AS "prefectureCode", g.province_code AS "provinceCode",
  g.lead_code AS "leadCode", g.provenance::text AS provenance, g.article, g.provenance_note AS "provenanceNote"`;

/** What a write needs to know of an institution, whoever the caller is. */
export interface InstitutionRef extends MembershipOf {
  kind: InstitutionKind;
  level: number;
  parentCode: string | null;
}

export class StructureService {
  private readonly regions: DataLoader<string, Region | null>;
  private readonly groups: DataLoader<string, CountyGroup | null>;
  private readonly institutions: DataLoader<string, Institution | null>;
  private readonly ends: DataLoader<string, Institution | null>;
  private readonly memberCountsByGroup: DataLoader<string, MemberCount[]>;
  private readonly partnerGroups: DataLoader<string, CountyGroup[]>;
  private readonly lists: OwnerPages<InstitutionListShape, Institution>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
  ) {
    this.regions = new DataLoader(async (codes) => {
      const rows = await prisma.region.findMany({ where: { code: { in: [...codes] } } });
      return byKey(codes, rows, (r) => r.code);
    });
    this.groups = new DataLoader(async (codes) => {
      const rows = await prisma.countyGroup.findMany({ where: { AND: [{ code: { in: [...codes] } }, access.groups().where] } });
      return byKey(codes, rows, (g) => g.code);
    });
    this.institutions = new DataLoader(async (codes) => {
      const rows = await prisma.institution.findMany({ where: { AND: [{ code: { in: [...codes] } }, access.institutions().where] } });
      return byKey(codes, rows, (i) => i.code);
    });
    this.ends = new DataLoader(async (codes) => {
      const rows = await prisma.institution.findMany({ where: { AND: [{ code: { in: [...codes] } }, access.endsOfReadableRecords().where] } });
      return byKey(codes, rows, (i) => i.code);
    });
    this.memberCountsByGroup = new DataLoader(async (groupCodes) => {
      const rows = await prisma.institution.groupBy({
        by: ['groupCode', 'kind'],
        where: { AND: [{ groupCode: { in: [...groupCodes] }, kind: { in: MEMBER_KINDS } }, access.institutions().where] },
        _count: { _all: true },
      });
      return groupCodes.map((groupCode) =>
        MEMBER_KINDS.map((kind) => ({
          kind,
          count: rows.find((r) => r.groupCode === groupCode && r.kind === kind)?._count._all ?? 0,
        })),
      );
    });
    // The groups each partner partners with, among those the caller reads: one statement.
    this.partnerGroups = new DataLoader(async (codes) => {
      const rows = await prisma.$queryRaw<(CountyGroup & { institutionCode: string })[]>`
        SELECT p.institution_code AS "institutionCode", ${GROUP_COLUMNS}
        FROM partnership p JOIN county_group g ON g.code = p.group_code
        WHERE p.institution_code IN (${Prisma.join([...codes])}) AND ${access.groups().sql('g')}
        ORDER BY g.code`;
      return codes.map((code) => rows.filter((r) => r.institutionCode === code).map(({ institutionCode: _code, ...group }) => group));
    });
    this.lists = new OwnerPages({
      shapeKey: (shape) => JSON.stringify([shape.partition, shape.kind ?? null, provenanceKey(shape.provenances)]),
      loadPages: (shape, page, owners) => this.loadPages(shape, page, owners),
      loadTotals: (shape, owners) => this.loadTotals(shape, owners),
      cursorKey: (institution) => institution.code,
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
   * An institution named by a record the caller may read (a referral's end): any member or partner of
   * a group the caller reads, also outside its institution scope. NOT_FOUND otherwise.
   */
  async requireEndOfRecord(code: string, field: string): Promise<Institution> {
    // Only an institution token reads less than whole groups; for the others the ends are among the
    // institutions it reads anyway, and share their lookups.
    const loader = this.access.ownInstitution === undefined ? this.institutions : this.ends;
    return (await loader.load(code)) ?? Promise.reject(notFound('Institution', code, field));
  }

  /**
   * Institutions by code for validating writes, whatever the caller's scope: the writing domain tells
   * an unknown code from one outside the caller's scope. Never returned to clients as such.
   */
  async lookupForWrite(codes: readonly string[]): Promise<Map<string, InstitutionRef>> {
    if (!codes.length) return new Map();
    // One statement: a partner's groups come along as an array.
    const rows = await this.prisma.$queryRaw<InstitutionRef[]>`
      SELECT i.code, i.group_code AS "groupCode", i.kind::text AS kind, i.level, i.parent_code AS "parentCode",
             ARRAY(SELECT p.group_code FROM partnership p WHERE p.institution_code = i.code ORDER BY p.group_code) AS "partnerOf"
      FROM institution i
      WHERE i.code IN (${Prisma.join([...new Set(codes)])})`;
    return new Map(rows.map((row) => [row.code, row]));
  }

  /** Every institution (member or partner) of these groups that the caller reads, by code. */
  async institutionCodesOfGroups(groupCodes: readonly string[]): Promise<string[]> {
    if (!groupCodes.length) return [];
    const groups = [...groupCodes];
    const rows = await this.prisma.institution.findMany({
      where: { AND: [{ OR: [{ groupCode: { in: groups } }, { partnerships: { some: { groupCode: { in: groups } } } }] }, this.access.institutions().where] },
      select: { code: true },
      orderBy: { code: 'asc' },
    });
    return rows.map((row) => row.code);
  }

  /**
   * Time zones of groups the caller reads, by code (days and periods turn at local midnight); through
   * the groups' lookup, so a group already loaded in the operation costs nothing more.
   */
  async timeZones(groupCodes: readonly string[]): Promise<Map<string, string>> {
    const groups = await Promise.all(groupCodes.map((code) => this.groups.load(code)));
    return new Map(groups.flatMap((g) => (g ? [[g.code, g.timeZone] as const] : [])));
  }

  memberCounts(groupCode: string): Promise<MemberCount[]> {
    return this.memberCountsByGroup.load(groupCode);
  }

  /** The groups the caller reads that an external partner partners with (none for a member). */
  partnerOf(institution: Pick<Institution, 'code' | 'groupCode'>): Promise<CountyGroup[]> | CountyGroup[] {
    return institution.groupCode === null ? this.partnerGroups.load(institution.code) : [];
  }

  /**
   * Where an institution lies: a partner's own region; a member's group's county. Through the lookups
   * by code, so it batches with every other group and region of the operation.
   */
  async regionOf(institution: Pick<Institution, 'code' | 'groupCode' | 'regionCode'>): Promise<Region> {
    if (institution.regionCode !== null) return this.requireRegion(institution.regionCode, 'region');
    const group = institution.groupCode === null ? null : await this.groups.load(institution.groupCode);
    if (!group) throw notFound('County group', institution.groupCode ?? institution.code, 'region');
    return this.requireRegion(group.regionCode, 'region');
  }

  /** Groups the caller may see, by code. */
  async listGroups(args: { first?: number; after?: string; provinceCode?: string }): Promise<Page<CountyGroup>> {
    const page = pageRequest(args);
    const where: Prisma.CountyGroupWhereInput = {
      AND: [this.access.groups().where, args.provinceCode ? { provinceCode: args.provinceCode } : {}],
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
    const conditions: Prisma.InstitutionWhereInput[] = [this.access.institutions().where];
    if (filter.groupCode) {
      // A group's members; its partners (members of no group) when EXTERNAL ones are asked for.
      conditions.push(filter.kind === InstitutionKind.EXTERNAL ? { partnerships: { some: { groupCode: filter.groupCode } } } : { groupCode: filter.groupCode });
    }
    if (filter.kind) conditions.push({ kind: filter.kind });
    if (filter.parentCode) conditions.push({ parentCode: filter.parentCode });
    if (filter.nameContains) conditions.push({ name: { contains: likeLiteral(filter.nameContains), mode: 'insensitive' } });
    if (filter.regionCode) {
      const code = filter.regionCode;
      // Members lie in their group's region; a partner in its own (any level: a prefecture or a county).
      conditions.push({
        OR: [
          { group: { OR: [{ regionCode: code }, { prefectureCode: code }, { provinceCode: code }] } },
          { region: { OR: [{ code }, { parentCode: code }, { parent: { parentCode: code } }] } },
        ],
      });
    }
    const provenances = provenancesOf(filter.provenance);
    if (provenances) conditions.push({ provenance: { in: [...provenances] } });
    const where: Prisma.InstitutionWhereInput = { AND: conditions };
    const rows = await this.prisma.institution.findMany({
      where: { AND: [where, page.afterKey ? { code: { gt: page.afterKey } } : {}] },
      orderBy: { code: 'asc' },
      take: page.take + 1,
    });
    return Page.fromRows(rows, page.take, (i) => i.code, () => this.prisma.institution.count({ where }));
  }

  /** A group's members (never its external partners), batched across every group in the operation. */
  members(
    groupCode: string,
    kind: InstitutionKind | undefined,
    args: { first?: number; after?: string; provenance?: ProvenanceFilter | null },
  ): Promise<Page<Institution>> {
    if (kind === InstitutionKind.EXTERNAL) {
      throw badUserInput('External partners are not members of a group: query `partners` instead', 'kind');
    }
    // A partner's group_code is NULL: partitioning by group_code never reaches one.
    return this.partitionedPage({ partition: 'group_code', kind, provenances: provenancesOf(args.provenance) }, groupCode, args);
  }

  /** A group's external partner hospitals, through the partnership table. */
  partners(groupCode: string, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage({ partition: 'partnership' }, groupCode, args);
  }

  /** The institutions directly under one (a township's village clinics; a lead hospital's branches). */
  children(parentCode: string, kind: InstitutionKind | undefined, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage({ partition: 'parent_code', kind }, parentCode, args);
  }

  private partitionedPage(shape: InstitutionListShape, owner: string, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.lists.page(shape, owner, pageRequest(args));
  }

  /** The rows of a list shape for these owners (FROM and WHERE), with the owner column. */
  private listSql(shape: InstitutionListShape, owners: string[]): { owner: Prisma.Sql; fromWhere: Prisma.Sql } {
    const owner = Prisma.raw(shape.partition === 'partnership' ? 'p.group_code' : `i.${shape.partition}`);
    const from = shape.partition === 'partnership' ? Prisma.sql`institution i JOIN partnership p ON p.institution_code = i.code` : Prisma.sql`institution i`;
    return {
      owner,
      fromWhere: Prisma.sql`FROM ${from}
        WHERE ${owner} IN (${Prisma.join(owners)})
          AND ${shape.kind ? Prisma.sql`i.kind::text = ${shape.kind}` : Prisma.sql`TRUE`}
          AND ${provenanceSql('i.provenance', shape.provenances)}
          AND ${this.access.institutions().sql('i')}`,
    };
  }

  /** One SQL statement per list shape and page, whatever the number of owners. */
  private async loadPages(shape: InstitutionListShape, page: PageRequest, owners: string[]): Promise<{ owner: string; row: Institution }[]> {
    const { owner, fromWhere } = this.listSql(shape, owners);
    const rows = await this.prisma.$queryRaw<(Institution & { owner: string; position?: unknown })[]>`
      SELECT * FROM (
        SELECT ${INSTITUTION_COLUMNS}, ${owner} AS owner,
               row_number() OVER (PARTITION BY ${owner} ORDER BY i.code) AS position
        ${fromWhere}
          AND ${page.afterKey ? Prisma.sql`i.code > ${page.afterKey}` : Prisma.sql`TRUE`}
      ) ranked
      WHERE position <= ${page.take + 1}
      ORDER BY owner, code`;
    return rows.map(({ owner, position: _position, ...row }) => ({ owner, row }));
  }

  private async loadTotals(shape: InstitutionListShape, owners: string[]): Promise<Map<string, number>> {
    const { owner, fromWhere } = this.listSql(shape, owners);
    const rows = await this.prisma.$queryRaw<{ owner: string; count: number }[]>`SELECT ${owner} AS owner, count(*)::int AS count ${fromWhere} GROUP BY 1`;
    return new Map(rows.map((row) => [row.owner, row.count]));
  }
}

/**
 * Text matched literally by Prisma's `contains` (SQL ILIKE, whose escape character is the backslash):
 * without it, `%` or `_` matched every institution.
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
