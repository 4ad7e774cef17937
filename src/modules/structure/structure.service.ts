// Data access of the structure domain. One instance per request: its DataLoaders batch the lookups of
// one operation and never outlive it, so nothing cached crosses callers or scopes.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import { byKey } from '../../common/collections';
import { badUserInput, notFound } from '../../common/errors';
import { OwnerPages } from '../../common/owner-pages';
import { Page, pageRequest, type PageRequest } from '../../common/pagination';
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

/** Institutions under one parent: a group's members (by group_code) or an institution's children. */
interface InstitutionListShape {
  partition: 'group_code' | 'parent_code';
  /** Only this kind; undefined = any kind. */
  kind?: InstitutionKind;
  /** Leave out EXTERNAL partners (members are never external). */
  membersOnly: boolean;
}

const INSTITUTION_COLUMNS = Prisma.sql`i.code, i.name, i.kind::text AS kind, i.level, i.group_code AS "groupCode",
  i.parent_code AS "parentCode", i.invented, i.updated_at AS "updatedAt"`;

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
    this.lists = new OwnerPages({
      shapeKey: (shape) => JSON.stringify([shape.partition, shape.kind ?? null, shape.membersOnly]),
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
    const rows = await this.prisma.institution.findMany({
      where: { code: { in: [...new Set(codes)] } },
      select: { code: true, groupCode: true, kind: true, level: true, parentCode: true },
    });
    // Until partnerships have their own table, an EXTERNAL row's group_code names the one group it partners.
    return new Map(
      rows.map((row) => [
        row.code,
        row.kind === InstitutionKind.EXTERNAL ? { ...row, groupCode: null, partnerOf: [row.groupCode] } : { ...row, partnerOf: [] },
      ]),
    );
  }

  /** Every institution (member or partner) of these groups that the caller reads, by code. */
  async institutionCodesOfGroups(groupCodes: readonly string[]): Promise<string[]> {
    if (!groupCodes.length) return [];
    const rows = await this.prisma.institution.findMany({
      where: { AND: [{ groupCode: { in: [...groupCodes] } }, this.access.institutions().where] },
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
    if (filter.groupCode) conditions.push({ groupCode: filter.groupCode });
    if (filter.kind) conditions.push({ kind: filter.kind });
    if (filter.parentCode) conditions.push({ parentCode: filter.parentCode });
    if (filter.nameContains) conditions.push({ name: { contains: likeLiteral(filter.nameContains), mode: 'insensitive' } });
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
    return this.partitionedPage({ partition: 'group_code', kind, membersOnly: true }, groupCode, args);
  }

  /** A group's external partner hospitals. */
  partners(groupCode: string, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage({ partition: 'group_code', kind: InstitutionKind.EXTERNAL, membersOnly: false }, groupCode, args);
  }

  /** The institutions directly under one (a township's village clinics; a lead hospital's branches). */
  children(parentCode: string, kind: InstitutionKind | undefined, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.partitionedPage({ partition: 'parent_code', kind, membersOnly: false }, parentCode, args);
  }

  private partitionedPage(shape: InstitutionListShape, owner: string, args: { first?: number; after?: string }): Promise<Page<Institution>> {
    return this.lists.page(shape, owner, pageRequest(args));
  }

  /** One SQL statement per list shape and page, whatever the number of owners. */
  private async loadPages(shape: InstitutionListShape, page: PageRequest, owners: string[]): Promise<{ owner: string; row: Institution }[]> {
    const column = Prisma.raw(`i.${shape.partition}`);
    const rows = await this.prisma.$queryRaw<(Institution & { owner: string; position?: unknown })[]>`
      SELECT * FROM (
        SELECT ${INSTITUTION_COLUMNS}, ${column} AS owner,
               row_number() OVER (PARTITION BY ${column} ORDER BY i.code) AS position
        FROM institution i
        WHERE ${column} IN (${Prisma.join(owners)})
          AND ${shape.kind ? Prisma.sql`i.kind::text = ${shape.kind}` : Prisma.sql`TRUE`}
          AND ${shape.membersOnly ? Prisma.sql`i.kind::text <> 'EXTERNAL'` : Prisma.sql`TRUE`}
          AND ${page.afterKey ? Prisma.sql`i.code > ${page.afterKey}` : Prisma.sql`TRUE`}
          AND ${this.access.institutions().sql('i')}
      ) ranked
      WHERE position <= ${page.take + 1}
      ORDER BY owner, code`;
    return rows.map(({ owner, position: _position, ...row }) => ({ owner, row }));
  }

  private async loadTotals(shape: InstitutionListShape, owners: string[]): Promise<Map<string, number>> {
    const field = shape.partition === 'group_code' ? 'groupCode' : 'parentCode';
    const conditions: Prisma.InstitutionWhereInput[] = [{ [field]: { in: owners } }, this.access.institutions().where];
    if (shape.kind) conditions.push({ kind: shape.kind });
    if (shape.membersOnly) conditions.push({ kind: { not: InstitutionKind.EXTERNAL } });
    const rows = await this.prisma.institution.groupBy({ by: [field], where: { AND: conditions }, _count: { _all: true } });
    return new Map(rows.map((row) => [String(row[field]), row._count._all]));
  }
}

/**
 * Text matched literally by Prisma's `contains` (SQL ILIKE, whose escape character is the backslash):
 * without it, `%` or `_` matched every institution.
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
