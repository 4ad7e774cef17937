// Members and partners. A member belongs to exactly one group; an EXTERNAL hospital is a partner, of
// no group, and may partner with several (one institution, whatever the number of groups). A record
// between two institutions (a referral, a personnel flow) belongs to the group of its member end;
// its other end is a member of that group or one of its partners. Pure rules, unit-tested.
import { InstitutionKind } from '../../generated/prisma/enums';

/** What a rule needs to know of one end of a record. */
export interface MembershipOf {
  code: string;
  /** The group it is a member of; null for an external partner. */
  groupCode: string | null;
  /** The groups it partners with (external partners only; empty for members). */
  partnerOf: readonly string[];
}

/** Whether an institution is a member of the group or one of its partners. */
export function belongsTo(end: MembershipOf, groupCode: string): boolean {
  return end.groupCode === groupCode || end.partnerOf.includes(groupCode);
}

export type RecordGroup =
  | { ok: true; groupCode: string; outOfCounty: boolean }
  | { ok: false; code: 'NO_MEMBER_END' | 'CROSS_GROUP'; message: string; field: 'fromCode' | 'toCode' };

/**
 * The group a record between two institutions belongs to: the group of its member end, the other end
 * a member or partner of it. `outOfCounty` when one end is an external partner (县外转诊 / 外出进修).
 */
export function recordGroup(from: MembershipOf, to: MembershipOf): RecordGroup {
  const groupCode = from.groupCode ?? to.groupCode;
  if (groupCode === null) {
    return { ok: false, code: 'NO_MEMBER_END', message: `Both "${from.code}" and "${to.code}" are external partners: a record needs a member end`, field: 'fromCode' };
  }
  const other = from.groupCode === groupCode ? to : from;
  if (!belongsTo(other, groupCode)) {
    const relation = other.groupCode === null ? 'is not a partner of' : 'is not a member of';
    return { ok: false, code: 'CROSS_GROUP', message: `"${other.code}" ${relation} the group ${groupCode} of "${from.groupCode === groupCode ? from.code : to.code}"`, field: other === to ? 'toCode' : 'fromCode' };
  }
  return { ok: true, groupCode, outOfCounty: from.groupCode === null || to.groupCode === null };
}

/** An external partner (no member of any group): it has no member figures of its own. */
export function isPartner(institution: { kind: InstitutionKind }): boolean {
  return institution.kind === InstitutionKind.EXTERNAL;
}
