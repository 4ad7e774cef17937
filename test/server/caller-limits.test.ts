// Per-caller limits: requests per second (HTTP and graphql-ws operations) answered with 429,
// Retry-After and RATE_LIMITED; sockets per caller closed with 4429; and another caller is never held
// up by one over its limit. Across instances through Redis, in memory while Redis is unreachable.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Request, Response } from 'express';
import WebSocket from 'ws';
import type { Principal } from '../../src/auth/principal';
import { issueToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { CLOSE_TOO_MANY_SOCKETS, createCallerLimits, RATE_LIMITED } from '../../src/http/caller-limits';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { wsUrl } from '../support/ws';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_SECOND = 5;
const SOCKETS = 2;

let t: TestGateway;
beforeAll(async () => {
  // The rate alone here; the running-requests cap has its own gateway below.
  t = await startTestGateway({ maxRequestsPerSecond: PER_SECOND, maxSocketsPerCaller: SOCKETS, maxConcurrentRequestsPerCaller: 0 });
});
afterAll(() => t?.stop());

/** A token of its own subject: each caller here is a different screen of the same group. */
const caller = (subject: string) => issueToken(TEST_JWT_SECRET, { role: 'COUNTY', scope: 'YGT-340621-SX', subject });
const post = (token: string) =>
  fetch(t.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });

test('defaults: 50 requests a second (a burst of 100 more in 10 s), 8 running at once and 20 sockets per caller; all configurable', () => {
  expect(loadConfig({})).toMatchObject({ maxRequestsPerSecond: 50, maxSocketsPerCaller: 20, maxConcurrentRequestsPerCaller: 16 });
  expect(loadConfig({ MAX_CONCURRENT_REQUESTS_PER_CALLER: '3' })).toMatchObject({ maxConcurrentRequestsPerCaller: 3 });
  expect(loadConfig({ MAX_REQUESTS_PER_SECOND: '200', MAX_SOCKETS_PER_CALLER: '0' })).toMatchObject({ maxRequestsPerSecond: 200, maxSocketsPerCaller: 0 });
});

describe('HTTP', () => {
  test('a caller over its rate gets 429 with Retry-After and RATE_LIMITED, while another caller gets through', async () => {
    const busy = caller('busy-screen');
    const quiet = caller('quiet-screen');
    const [quietResponse, ...burst] = await Promise.all([post(quiet), ...Array.from({ length: 6 * PER_SECOND }, () => post(busy))]);
    expect(quietResponse.status).toBe(200);
    expect(await quietResponse.json()).toEqual({ data: { viewer: { role: 'COUNTY' } } });
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(PER_SECOND);
    expect(burst.filter((r) => r.status !== 429).every((r) => r.status === 200)).toBe(true);
    const retryAfter = Number(limited[0].headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = (await limited[0].json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toEqual({ code: RATE_LIMITED, retryAfter });
    expect(body.errors[0].message).toMatch(new RegExp(`at most ${PER_SECOND} a second \\(and a burst of ${2 * PER_SECOND} more in 10 s\\)`));
    expect(limited[0].headers.get('x-content-type-options')).toBe('nosniff');

    // After Retry-After the caller gets through again.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await post(busy)).status).toBe(200);
  });

  test('a new token for the same subject does not reset the count', async () => {
    const tokens = Array.from({ length: 6 * PER_SECOND }, () => caller('reissued'));
    const statuses = (await Promise.all(tokens.map(post))).map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(PER_SECOND);
  });
});

interface Socket {
  socket: WebSocket;
  /** The close code, once closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** True on connection_ack, false when closed first. */
  acked: Promise<boolean>;
  messages: { id?: string; type: string; payload?: unknown }[];
}

function open(token: string): Socket {
  return openAt(t.gateway.url, token);
}

function openAt(url: string, token: string): Socket {
  const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const messages: Socket['messages'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const acked = new Promise<boolean>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      if (message.type === 'connection_ack') resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  socket.on('error', () => undefined); // the close event follows
  return { socket, closed, acked, messages };
}

describe('graphql-ws', () => {
  test(`a caller holds at most ${SOCKETS} sockets: the next closes with 4429 and a reason; others connect; a closed socket frees its place`, async () => {
    const screen = caller('wall-screen');
    const first = Array.from({ length: SOCKETS }, () => open(screen));
    expect(await Promise.all(first.map((s) => s.acked))).toEqual(Array(SOCKETS).fill(true));
    const extra = open(screen);
    expect(await extra.acked).toBe(false);
    expect(await extra.closed).toEqual({ code: CLOSE_TOO_MANY_SOCKETS, reason: `Too many sockets for this token: at most ${SOCKETS} open at once` });

    const other = open(caller('other-screen'));
    expect(await other.acked).toBe(true);

    first[0].socket.close();
    await first[0].closed;
    // The server notices the close a moment later: try again until it has (generous deadline).
    let again: Socket | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      again = open(screen);
      if (await again.acked) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await again!.acked).toBe(true);
    for (const s of [...first, other, again!]) s.socket.close();
  });

  test('operations over a socket count against the same rate: RATE_LIMITED errors, the socket stays open', async () => {
    const s = open(caller('ws-poller'));
    expect(await s.acked).toBe(true);
    const count = 6 * PER_SECOND;
    for (let i = 1; i <= count; i++) s.socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: '{ viewer { role } }' } }));
    const deadline = Date.now() + 30_000;
    const finished = () => s.messages.filter((m) => m.type === 'complete' || m.type === 'error').length;
    while (finished() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const errors = s.messages.filter((m) => m.type === 'error').map((m) => (m.payload as { extensions: { code: string } }[])[0].extensions.code);
    expect(errors.length).toBeGreaterThanOrEqual(PER_SECOND);
    expect(new Set(errors)).toEqual(new Set([RATE_LIMITED]));
    expect(s.socket.readyState).toBe(WebSocket.OPEN);
    s.socket.close();
  });
});

describe('requests running at once', () => {
  const RUNNING = 4;
  let g: TestGateway;
  beforeAll(async () => {
    g = await startTestGateway({ maxRequestsPerSecond: 1000, maxConcurrentRequestsPerCaller: RUNNING });
  });
  afterAll(() => g?.stop());
  const groupOverview = fs.readFileSync('schema/operations/frontend.graphql', 'utf8');
  const send = (token: string, body: unknown) =>
    fetch(g.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  test(`a caller runs at most ${RUNNING} requests at once (429 RATE_LIMITED with Retry-After past it), and another caller's query is not held up by its flood`, async () => {
    // Within its rate, one caller's 150 concurrent GroupOverviews held another's trivial query up from 10 ms to 2.7 s.
    const flooder = caller('flooding-dashboard');
    const victim = caller('quiet-dashboard');
    expect((await send(victim, { query: '{ viewer { role } }' })).status).toBe(200);
    const flood = Promise.all(Array.from({ length: 150 }, () => send(flooder, { query: groupOverview, operationName: 'GroupOverview', variables: { groupCode: 'YGT-340621-SX' } })));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const response = await send(victim, { query: '{ viewer { role } }' });
      expect(response.status).toBe(200);
      latencies.push(Date.now() - started);
    }
    const responses = await flood;
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(RUNNING);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0].headers.get('retry-after')).toBe('1');
    const body = (await limited[0].json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toEqual({ code: RATE_LIMITED, retryAfter: 1 });
    expect(body.errors[0].message).toMatch(new RegExp(`at most ${RUNNING}`));
    // The other caller's latency while the flood runs is measured from another process (the bench
    // note in README "Per-caller limits"): here client and gateway share one event loop.
    expect(latencies).toHaveLength(5);
    // Finished requests free their places.
    expect((await send(flooder, { query: '{ viewer { role } }' })).status).toBe(200);
  }, 60_000);

  test('graphql-ws queries count too, subscriptions do not, and finished operations free their places', async () => {
    const s = openAt(g.gateway.url, caller('ws-dashboard'));
    expect(await s.acked).toBe(true);
    // Long-lived subscriptions hold no place.
    for (let i = 1; i <= RUNNING + 1; i++) {
      s.socket.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { referralCountsChanged(groupCode: "YGT-340621-SX", window: TODAY) { upward } }' } }));
    }
    const count = 20;
    for (let i = 1; i <= count; i++) {
      s.socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: groupOverview, operationName: 'GroupOverview', variables: { groupCode: 'YGT-340621-SX' } } }));
    }
    const finished = (prefix: RegExp) => s.messages.filter((m) => prefix.test(m.id ?? '') && (m.type === 'complete' || m.type === 'error'));
    const deadline = Date.now() + 30_000;
    while (finished(/^\d+$/).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const errors = finished(/^\d+$/).filter((m) => m.type === 'error').map((m) => (m.payload as { extensions: { code: string } }[])[0].extensions.code);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(count - errors.length).toBeGreaterThanOrEqual(RUNNING);
    expect(new Set(errors)).toEqual(new Set([RATE_LIMITED]));
    expect(finished(/^s/)).toEqual([]); // the subscriptions run on
    s.socket.send(JSON.stringify({ id: 'after', type: 'subscribe', payload: { query: '{ viewer { role } }' } }));
    while (!finished(/^after$/).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished(/^after$/).map((m) => m.type)).toEqual(['complete']);
    s.socket.close();
  }, 60_000);

  test('over graphql-ws, an operation over the rate is refused before it is parsed or validated', async () => {
    const limits = createCallerLimits({ maxRequestsPerSecond: 1, maxSocketsPerCaller: 0, maxConcurrentRequestsPerCaller: 0, log: () => undefined });
    const prepared: string[] = [];
    const guarded = limits.guard<Record<string, unknown> | undefined, { principal?: Principal }>({
      schema: undefined,
      onSubscribe: (_ctx, id) => void prepared.push(id),
    });
    const who: Principal = { role: 'COUNTY', scope: 'YGT-340621-SX', subject: `parse-${randomUUID()}`, expiresAt: 0 };
    const ctx = { extra: { principal: who }, subscriptions: {} } as unknown as Parameters<NonNullable<typeof guarded.onSubscribe>>[0];
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await guarded.onSubscribe!(ctx, String(i), { query: '{ viewer { role } }' }));
    // 1 a second and a burst of 2 more: the last two are refused, and never reach the parser.
    expect(prepared).toEqual(['0', '1', '2']);
    expect(answers.slice(3).map((a) => (a as unknown as { extensions: { code: string } }[])[0].extensions.code)).toEqual([RATE_LIMITED, RATE_LIMITED]);
    await limits.close();
  });
});

describe('across instances', () => {
  const principal = (): Principal => ({ role: 'COUNTY', scope: 'YGT-340621-SX', subject: `redis-${randomUUID()}`, expiresAt: 0 });
  /** Runs the HTTP middleware for a caller; the status it answered, or 200 when it let the request through. */
  const request = (limits: ReturnType<typeof createCallerLimits>, who: Principal) =>
    new Promise<number>((resolve, reject) => {
      const res = { locals: { principal: who }, once: () => res, setHeader: () => res, status: (code: number) => ({ json: () => resolve(code) }) };
      limits.http({} as Request, res as unknown as Response, (error?: unknown) => (error ? reject(error) : resolve(200)));
    });

  test('with REDIS_URL two instances share one caller\'s count', async () => {
    const log = () => undefined;
    const a = createCallerLimits({ maxRequestsPerSecond: PER_SECOND, maxSocketsPerCaller: SOCKETS, redisUrl: REDIS_URL, log });
    const b = createCallerLimits({ maxRequestsPerSecond: PER_SECOND, maxSocketsPerCaller: SOCKETS, redisUrl: REDIS_URL, log });
    try {
      const who = principal();
      // Wait for both connections, so that neither counts in its in-memory insurance.
      for (let i = 0; i < 200 && !(a.countingInRedis() && b.countingInRedis()); i++) await new Promise((r) => setTimeout(r, 50));
      expect([a.countingInRedis(), b.countingInRedis()]).toEqual([true, true]);
      // 4 × the rate, half through each: either alone would let all through (rate + burst = 3 × the rate).
      const statuses = await Promise.all(Array.from({ length: 4 * PER_SECOND }, (_, i) => request(i % 2 ? a : b, who)));
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(PER_SECOND - 1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('while Redis is unreachable, each instance still limits in memory', async () => {
    const lines: string[] = [];
    const limits = createCallerLimits({ maxRequestsPerSecond: PER_SECOND, maxSocketsPerCaller: SOCKETS, redisUrl: 'redis://127.0.0.1:1', log: (line) => lines.push(line) });
    try {
      const who = principal();
      const statuses = await Promise.all(Array.from({ length: 6 * PER_SECOND }, () => request(limits, who)));
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(PER_SECOND);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      expect(limits.countingInRedis()).toBe(false);
    } finally {
      await limits.close();
    }
  });
});
