// A graphql-ws subscriber of the live counters for the tests: keeps every message, waits for one.
import { type Client } from 'graphql-ws';
import { print } from 'graphql';
import { LiveReferralCountsDocument, type LiveReferralCountsSubscription } from '../../src/generated/operations';
import { connect } from '../support/ws';

export type LiveCounts = LiveReferralCountsSubscription['referralCountsChanged'];

export interface Subscriber {
  client: Client;
  messages: LiveCounts[];
  errors: unknown[];
  completed: boolean;
  /** Resolves with the first message (from now on, or already received) that satisfies `test`. */
  waitFor(test: (m: LiveCounts) => boolean, timeoutMs?: number): Promise<LiveCounts>;
  close(): Promise<void>;
}

/** The contract's LiveReferralCounts, and the same for one member (the gateway's optional argument). */
const MEMBER_QUERY = `subscription LiveMemberCounts($groupCode: String!, $window: CounterWindow!, $institutionCode: String) {
  referralCountsChanged(groupCode: $groupCode, window: $window, institutionCode: $institutionCode) {
    groupCode window upward downward greenChannel pending updatedAt
  }
}`;

/** `query`: another subscription document with its own variables (e.g. a period and a provenance filter). */
export function subscribeCounts(url: string, token: string, variables: { groupCode: string; window?: string; institutionCode?: string } & Record<string, unknown>, query?: string): Subscriber {
  query ??= variables.institutionCode ? MEMBER_QUERY : print(LiveReferralCountsDocument);
  const client = connect(url, `Bearer ${token}`);
  const waiters = new Set<() => void>();
  const s: Subscriber = {
    client,
    messages: [],
    errors: [],
    completed: false,
    waitFor: (test, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = s.messages.find(test);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          } else if (s.errors.length || s.completed) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`subscription ended: ${JSON.stringify(s.errors)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${timeoutMs} ms; last: ${JSON.stringify(s.messages.at(-1))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      await client.dispose();
    },
  };
  const notify = () => [...waiters].forEach((w) => w());
  client.subscribe<{ referralCountsChanged: LiveCounts }>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) s.errors.push(...value.errors);
        if (value.data) s.messages.push(value.data.referralCountsChanged);
        notify();
      },
      error: (error) => {
        s.errors.push(error);
        notify();
      },
      complete: () => {
        s.completed = true;
        notify();
      },
    },
  );
  return s;
}

/** The figures of a message, without its read time. */
export function figures(m: Pick<LiveCounts, 'upward' | 'downward' | 'greenChannel' | 'pending'>) {
  return { upward: m.upward, downward: m.downward, greenChannel: m.greenChannel, pending: m.pending };
}
