// The one access policy: what each role may do, as data. Field and mutation gates name a permission
// with type-graphql's @Authorized(...), checked by the one authChecker below; row-level rules (which
// groups a token reads, whose contact data it sees) are answered by Access (access.ts), which reads
// this table too. Nothing outside src/auth/ compares role strings.
import type { AuthCheckerFn } from 'type-graphql';
import { forbidden } from '../common/errors';
import { Role, ROLES } from './principal';

export const Permission = {
  /** The record… batch mutations of a source system, for its own group. */
  RECORD_BATCHES: 'RECORD_BATCHES',
  /** Opening and moving single referrals (an institution for its own, a source system for its group). */
  WRITE_REFERRALS: 'WRITE_REFERRALS',
  /** Pseudonymous patient references: the group's own systems and the parties of a referral, never a province. */
  SEE_PATIENT_REFS: 'SEE_PATIENT_REFS',
  /** Staff phone and masked ID number; further limited per row to the person's group and home institution. */
  SEE_STAFF_CONTACTS: 'SEE_STAFF_CONTACTS',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export const POLICY: Readonly<Record<Role, readonly Permission[]>> = {
  PROVINCE: [],
  COUNTY: [Permission.SEE_PATIENT_REFS, Permission.SEE_STAFF_CONTACTS],
  INSTITUTION: [Permission.WRITE_REFERRALS, Permission.SEE_PATIENT_REFS, Permission.SEE_STAFF_CONTACTS],
  SOURCE_SYSTEM: [Permission.RECORD_BATCHES, Permission.WRITE_REFERRALS, Permission.SEE_PATIENT_REFS, Permission.SEE_STAFF_CONTACTS],
};

const WHY: Readonly<Record<Permission, string>> = {
  RECORD_BATCHES: 'Batch ingestion is for the source systems of a group',
  WRITE_REFERRALS: 'Referrals are written by the institutions that send and receive them and by the group\'s source systems',
  SEE_PATIENT_REFS: 'patientRef is visible to the group and the institutions of the referral, not to a province',
  SEE_STAFF_CONTACTS: 'Staff contact data is visible only to the person\'s group and home institution',
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return POLICY[role].includes(permission);
}

/** The FORBIDDEN error for a missing permission: why, and which roles have it. */
export function permissionDenied(role: Role, permission: Permission): Error {
  const holders = ROLES.filter((r) => hasPermission(r, permission));
  return forbidden(`${WHY[permission]} (${permission}: ${holders.join(' or ')} tokens; this token is ${role})`);
}

/** The authChecker of @Authorized(permission, …): any one of the listed permissions suffices. */
export const authChecker: AuthCheckerFn<{ principal: { role: Role } }, Permission> = ({ context }, permissions) => {
  const role = context.principal.role;
  if (permissions.some((p) => hasPermission(role, p))) return true;
  throw permissionDenied(role, permissions[0]);
};

export { Role };
