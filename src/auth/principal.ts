// Who is calling, as proven by a bearer token. Scope is what the token may see; every read applies it
// in SQL (see modules/structure/structure.scope.ts).
import { ErrorCode, gatewayError } from '../common/errors';

export const Role = {
  /** A provincial platform: every group whose county lies in the province `scope` (a GB/T 2260 code). */
  PROVINCE: 'PROVINCE',
  /** A county dashboard: one group (`scope` = group code). */
  COUNTY: 'COUNTY',
  /** One institution (`scope` = institution code): itself and the clinics under it. */
  INSTITUTION: 'INSTITUTION',
  /** A feeding system of one group (`scope` = group code): reads that group, writes through batch mutations. */
  SOURCE_SYSTEM: 'SOURCE_SYSTEM',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ROLES = Object.values(Role) as Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as string[]).includes(value);
}

export interface Principal {
  role: Role;
  scope: string;
  /** Token subject, for audit logs. */
  subject: string;
  /** Expiry as epoch seconds. */
  expiresAt: number;
}

/** Throws FORBIDDEN unless the caller has one of the roles (e.g. batch writes are for SOURCE_SYSTEM). */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) {
    throw gatewayError(ErrorCode.FORBIDDEN, `This operation needs the role ${roles.join(' or ')}; the token has ${principal.role}`);
  }
}
