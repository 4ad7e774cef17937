// What one request may read and write, built once per request from its token. Every scope question
// the modules ask is answered here, each rule stated once (as a Condition, rendered for Prisma and
// for SQL alike); what each role may do at all is the table in policy.ts.
import { quoted } from '../common/errors';
import type { Prisma } from '../generated/prisma/client';
import { allOf, anyOf, equals, oneOf, rowFilter, type Condition, type RowFilter } from './condition';
import { Role, type Principal } from './principal';

/** Level of the county-level members (lead and county hospitals); external partners are above. */
const COUNTY_LEVEL = 3;

/** Turns a condition on county groups into their codes (the structure module answers it). */
export type GroupDirectory = (condition: Condition) => Promise<string[]>;

/** A table's columns the scope applies to: the group column, and the institution columns a row involves. */
export interface ScopedColumns {
  group: string;
  institutions: readonly string[];
}

/** One end of a record someone writes: an institution, its group, and where it sits in the group. */
export interface End {
  code: string;
  /** Null for an external partner, which belongs to no group. */
  groupCode: string | null;
  /** The groups an external partner partners with (empty for members). */
  partnerOf: readonly string[];
  level: number;
  parentCode: string | null;
}

/** Whether an end is a member or a partner of the group. */
function inGroup(end: End, groupCode: string | null): boolean {
  return groupCode !== null && (end.groupCode === groupCode || end.partnerOf.includes(groupCode));
}

/** Why a write falls outside the token's scope, and which input field says so. */
export interface ScopeViolation {
  field: string;
  message: string;
  /**
   * The named institution lies outside what the token reads: the writer answers as for an unknown
   * code (UNKNOWN_INSTITUTION, the same message), so the answer tells nothing of it.
   */
  unseen?: true;
}

/** The one message for an institution that is unknown or outside the caller's scope (as NOT_FOUND says it). */
export function unseenInstitution(code: string): string {
  return `Institution ${quoted(code)} was not found or is outside your scope`;
}

export class Access {
  private readableGroups?: Promise<readonly string[]>;

  constructor(
    readonly principal: Principal,
    private readonly directory: GroupDirectory,
  ) {}

  get role(): Role {
    return this.principal.role;
  }

  // --- Reads -------------------------------------------------------------------------------------

  /** The county groups the token reads (county_group rows). */
  groups(): RowFilter<Prisma.CountyGroupWhereInput> {
    return rowFilter(this.groupCondition());
  }

  /**
   * The institutions the token reads (institution rows): the members and the external partners of the
   * groups it reads, or one institution and those directly under it.
   */
  institutions(): RowFilter<Prisma.InstitutionWhereInput> {
    const { role, scope } = this.principal;
    switch (role) {
      case Role.PROVINCE:
      case Role.COUNTY:
      case Role.SOURCE_SYSTEM:
        return rowFilter(membersOrPartnersWhere(this.groupCondition()));
      case Role.INSTITUTION:
        return rowFilter(anyOf(equals('code', scope), equals('parentCode', scope)));
    }
  }

  /**
   * Every institution (member or partner) of a group the token reads: the two ends of a record the
   * token may read are visible with it, also when one lies outside its institution scope (a clinic's
   * referral to the lead hospital, the lead's referral to a partner).
   */
  endsOfReadableRecords(): RowFilter<Prisma.InstitutionWhereInput> {
    return rowFilter(membersOrPartnersWhere(this.groupCondition()));
  }

  /** Codes of the groups the token reads, sorted; one statement, once per request. */
  readableGroupCodes(): Promise<readonly string[]> {
    this.readableGroups ??= this.directory(this.groupCondition()).then((codes) => [...codes].sort());
    return this.readableGroups;
  }

  /** Whether the token reads whole groups (every role but an institution's, which reads its own part). */
  get readsWholeGroups(): boolean {
    return this.principal.role !== Role.INSTITUTION;
  }

  /** The institution an INSTITUTION token stands for; undefined for the other roles. */
  get ownInstitution(): string | undefined {
    return this.principal.role === Role.INSTITUTION ? this.principal.scope : undefined;
  }

  /**
   * Rows of another module's table: its group column within the groups the token reads, and for an
   * INSTITUTION token, rows that involve that institution in one of the named columns.
   */
  async rows<Where>(columns: ScopedColumns): Promise<RowFilter<Where>> {
    const groups = oneOf(columns.group, await this.readableGroupCodes());
    const own = this.ownInstitution;
    if (own === undefined) return rowFilter(groups);
    return rowFilter(allOf(groups, anyOf(...columns.institutions.map((column) => equals(column, own)))));
  }

  // --- Writes and row-level visibility -------------------------------------------------------------

  /** Whether the token writes the records of this group (a source system of the group). */
  writesForGroup(groupCode: string): boolean {
    return this.principal.role === Role.SOURCE_SYSTEM && this.principal.scope === groupCode;
  }

  /**
   * The source a token writes its new records as: the one its `source` claim names; without a claim,
   * an INSTITUTION token's own institution code (its HIS writes as `source: "<its code>"`), so that it
   * never writes, nor probes, the keys of the group's source systems. Undefined: a source system
   * without a claim writes any source of its group.
   */
  get ownSource(): string | undefined {
    return this.principal.source ?? this.ownInstitution;
  }

  /**
   * Whether the token writes new records of this source (ownSource), asked before anything is looked
   * up: the answer names the token's own source only, never whether the key exists. Undefined when it may.
   */
  writeSource(source: string): ScopeViolation | undefined {
    const own = this.ownSource;
    if (own === undefined || own === source) return undefined;
    return { field: 'source', message: `This token writes as source "${own}" only` };
  }

  /**
   * Whether the token moves a stored record of this source: a source system that names its source
   * moves that source's records only. An institution moves any source's referral it is an end of
   * (moveBetween decides which): its HIS accepts the referrals the platform sends it. Undefined when
   * it may.
   */
  moveSource(source: string): ScopeViolation | undefined {
    const own = this.principal.source;
    if (own === undefined || own === source || this.principal.role === Role.INSTITUTION) return undefined;
    return { field: 'source', message: `This token writes as source "${own}" only` };
  }

  /**
   * Whether the token may open a record from an institution, asked before the institution is looked
   * up (so that the answer is the same for an unknown code): an institution token opens referrals
   * from itself only. Undefined when it may.
   */
  writeFrom(code: string): ScopeViolation | undefined {
    const { role, scope } = this.principal;
    if (role !== Role.INSTITUTION || code === scope) return undefined;
    return { field: 'fromCode', message: `An INSTITUTION token opens referrals from its own institution (${scope}) only` };
  }

  /**
   * Whether the token may write a record between two institutions (a referral): a source system for
   * two ends in its group; an institution from itself (writeFrom) to an institution it deals with in
   * its group: one directly under it, the one it is under, one of the same level under the same parent
   * (a sibling township or village clinic: a lateral referral), or a county-level member or external
   * partner (level 3 and up). Any other receiver is answered as unknown. Undefined when it may.
   */
  writeBetween(from: End, to: End): ScopeViolation | undefined {
    const { role, scope } = this.principal;
    if (role === Role.SOURCE_SYSTEM) {
      for (const [end, field] of [[from, 'fromCode'], [to, 'toCode']] as const) {
        if (!inGroup(end, scope)) return { field, message: `Institution ${quoted(end.code)} is not in the group ${scope} of this token` };
      }
      return undefined;
    }
    if (role === Role.INSTITUTION) {
      const fromItself = this.writeFrom(from.code);
      if (fromItself) return fromItself;
      const sibling = from.parentCode !== null && to.parentCode === from.parentCode && to.level === from.level;
      const dealsWith = to.parentCode === from.code || to.code === from.parentCode || sibling || to.level >= COUNTY_LEVEL;
      if (inGroup(to, from.groupCode) && dealsWith) return undefined;
      return { field: 'toCode', message: unseenInstitution(to.code), unseen: true };
    }
    return { field: 'fromCode', message: `A ${role} token writes no referrals` };
  }

  /**
   * Whether the token may move a record between two institutions to its next step: an institution
   * takes the steps of the receiving end, or of the sending end when `bySender` (a cancellation); a
   * source system takes any step of its group's records. Undefined when it may.
   */
  moveBetween(ends: { fromCode: string; toCode: string }, bySender: boolean): string | undefined {
    if (this.principal.role !== Role.INSTITUTION) return undefined;
    const code = bySender ? ends.fromCode : ends.toCode;
    if (code === this.principal.scope) return undefined;
    return bySender ? 'the referring institution' : 'the receiving institution';
  }

  /** Staff contact data: the person's group (county dashboard, source system) and home institution only. */
  seesStaffContact(staff: { groupCode: string; homeCode: string }): boolean {
    const { role, scope } = this.principal;
    switch (role) {
      case Role.COUNTY:
      case Role.SOURCE_SYSTEM:
        return scope === staff.groupCode;
      case Role.INSTITUTION:
        return scope === staff.homeCode;
      case Role.PROVINCE:
        return false;
    }
  }

  private groupCondition(): Condition {
    const { role, scope } = this.principal;
    switch (role) {
      case Role.PROVINCE:
        return equals('provinceCode', scope);
      case Role.COUNTY:
      case Role.SOURCE_SYSTEM:
        return equals('code', scope);
      case Role.INSTITUTION:
        return { kind: 'related', relation: 'institutions', many: true, table: 'institution', local: 'code', remote: 'groupCode', where: equals('code', scope) };
    }
  }
}

/** Rows (institutions, partnerships) whose group_code names a group matching a condition on county groups. */
function inGroupsWhere(groups: Condition): Condition {
  if (groups.kind === 'equals' && groups.field === 'code') return equals('groupCode', groups.value);
  return { kind: 'related', relation: 'group', many: false, table: 'county_group', local: 'groupCode', remote: 'code', where: groups };
}

/**
 * Institutions that are members of a group matching a condition on county groups, or partners of one
 * (an external partner belongs to no group: its groups are its partnership rows).
 */
function membersOrPartnersWhere(groups: Condition): Condition {
  const partners: Condition = {
    kind: 'related',
    relation: 'partnerships',
    many: true,
    table: 'partnership',
    local: 'code',
    remote: 'institutionCode',
    where: inGroupsWhere(groups),
  };
  return anyOf(inGroupsWhere(groups), partners);
}

