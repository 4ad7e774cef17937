// Who a caller is for per-caller limits (src/http/caller-limits.ts): a token subject with its role and
// scope (and source, for a token bound to one source system), so that the tokens issued to one subject
// share one count and a reissued token buys nothing, while two source systems of a group count apart.
import type { Principal } from './principal';

export function callerKey(principal: Principal): string {
  return `${principal.role}|${principal.scope}|${principal.source ?? ''}|${principal.subject}`;
}
