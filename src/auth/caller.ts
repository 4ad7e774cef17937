// Who a caller is for per-caller limits (src/http/caller-limits.ts): a token subject with its role and
// scope, so that the tokens issued to one subject share one count and a reissued token buys nothing.
import type { Principal } from './principal';

export function callerKey(principal: Principal): string {
  return `${principal.role}|${principal.scope}|${principal.subject}`;
}
