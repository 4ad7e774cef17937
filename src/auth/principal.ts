// Who is calling, as proven by a bearer token. Scope is what the token may see; every read applies it
// in SQL through Access (access.ts).
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
  /** The one source system a token writes as (records' `source`); undefined: any source of its scope. */
  source?: string;
  /** Token subject, for audit logs. */
  subject: string;
  /** Expiry as epoch seconds. */
  expiresAt: number;
}
