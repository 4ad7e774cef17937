// `npm run bench:subscriptions`: 1,000, 5,000 and 10,000 graphql-ws subscribers of one group's live
// referral counters on ONE gateway instance (a child process), while referrals change at 100 per
// second over HTTP. Prints, per step: delivery latency from commit to receipt (p50, p99, max), messages
// per second received, the gateway's memory per connection (RSS) and its CPU.
//
// Latency: every write returns the referral's `updatedAt`, written in the committing transaction a
// few milliseconds before the commit (so the figures slightly overstate). Every message carries the
// counters' `lastChangeAt` (the newest change they include); a change's latency at a subscriber is the
// receipt time of the first message whose lastChangeAt ≥ the change's updatedAt, minus that time.
// Every change is measured at every subscriber, coalesced ones included.
//
// Environment: BENCH_STEPS (default 1000,5000,10000), BENCH_SECONDS of writes per step (15),
// BENCH_RATE writes per second (100), DATABASE_URL (else a fresh database on TEST_DATABASE_URL's
// server, dropped afterwards), REDIS_URL (passed to the gateway when set; default in-process pub/sub).
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { issueToken } from '../src/auth/token';

const SECRET = 'bench-subscriptions';
const GROUP = 'YGT-340621-SX';
const FROM = '340621-SX-T01';
const TO = '340621-SX-L01';
const STEPS = (process.env.BENCH_STEPS ?? '1000,5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const CLK_TCK = 100;

const SUBSCRIPTION = `subscription Bench($groupCode: String!, $window: CounterWindow!) {
  referralCountsChanged(groupCode: $groupCode, window: $window) { groupCode window upward downward greenChannel pending updatedAt lastChangeAt }
}`;

function findRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('no package.json');
  }
}

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => undefined };
  const server = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const name = `bench_subs_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

function startGateway(databaseUrl: string, seed: boolean): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    SEED_DEMO: seed ? 'always' : 'never',
    NODE_ENV: 'production',
    // One token stands for thousands of screens and a source writing at BENCH_RATE: no per-caller limits.
    MAX_SOCKETS_PER_CALLER: '0',
    MAX_REQUESTS_PER_SECOND: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  };
  const child = spawn(process.execPath, [path.join(findRoot(), 'dist/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
    const poll = setInterval(() => {
      const m = /Gateway ready at (\S+)/.exec(output);
      if (m) {
        clearInterval(poll);
        resolve({ child, url: m[1].replace('localhost', '127.0.0.1') });
      }
    }, 50);
  });
}

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
function processStats(pid: number): { cpu: number; rss: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { cpu, rss: rssKb * 1024 };
}

interface Subscriber {
  socket: WebSocket;
  /** Receipt times and lastChangeAt (ms) of every message in this step. */
  received: number[];
  lastChange: number[];
  ready: Promise<void>;
}

function subscribe(url: string, token: string): Subscriber {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
  const s: Subscriber = { socket, received: [], lastChange: [], ready: Promise.resolve() };
  s.ready = new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`closed ${code}`)));
    socket.on('message', (raw: Buffer) => {
      const now = Date.now();
      const text = raw.toString();
      if (text.startsWith('{"id"') || text.includes('"type":"next"')) {
        // Cheap extraction: the client must not become the bottleneck on 2 cores.
        const at = text.indexOf('"lastChangeAt":"');
        s.received.push(now);
        s.lastChange.push(at < 0 ? 0 : Date.parse(text.slice(at + 16, text.indexOf('"', at + 16))));
        resolve();
        return;
      }
      const message = JSON.parse(text) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { groupCode: GROUP, window: 'TODAY' } } }));
      } else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
      else if (message.type === 'ping') socket.send('{"type":"pong"}');
    });
  });
  return s;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function post(url: string, token: string, query: string, variables: unknown): Promise<{ data?: Record<string, { id: string; updatedAt: string }>; errors?: unknown[] }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id updatedAt } }`;
const MOVE = `mutation($id: ID!, $to: ReferralStatus!) { transitionReferral(id: $id, to: $to) { id updatedAt } }`;

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runStep(url: string, pid: number, n: number, step: number): Promise<string> {
  const countyToken = issueToken(SECRET, { role: 'COUNTY', scope: GROUP, ttlSeconds: 3600 });
  const sourceToken = issueToken(SECRET, { role: 'SOURCE_SYSTEM', scope: GROUP, ttlSeconds: 3600 });
  await new Promise((r) => setTimeout(r, 1000));
  const before = processStats(pid);
  const subscribers: Subscriber[] = [];
  const connectStart = Date.now();
  for (let i = 0; i < n; i += 250) {
    const batch = Array.from({ length: Math.min(250, n - i) }, () => subscribe(url, countyToken));
    subscribers.push(...batch);
    await Promise.all(batch.map((s) => s.ready));
  }
  const connectMs = Date.now() - connectStart;
  await new Promise((r) => setTimeout(r, 1500));
  const connected = processStats(pid);
  for (const s of subscribers) {
    s.received.length = 0;
    s.lastChange.length = 0;
  }

  // Writes at RATE per second: half creates, half transitions of the referrals just created.
  const changes: number[] = [];
  let failures = 0;
  const open: string[] = [];
  const total = RATE * SECONDS;
  const writesStart = Date.now();
  const cpuStart = processStats(pid).cpu;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = writesStart + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const move = i % 2 === 1 && open.length > 0;
    const request = move
      ? post(url, sourceToken, MOVE, { id: open.shift(), to: 'ACCEPTED' })
      : post(url, sourceToken, CREATE, {
          input: { source: 'bench', externalId: `S${step}-${i}`, patientRef: `BP-${step}-${i}`, fromCode: FROM, toCode: TO, urgency: 'ROUTINE' },
        });
    pending.push(
      request.then(
        (r) => {
          const result = r.data?.createReferral ?? r.data?.transitionReferral;
          if (!result) {
            failures++;
            return;
          }
          changes.push(Date.parse(result.updatedAt));
          if (r.data?.createReferral) open.push(result.id);
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(pending);
  const writeSeconds = (Date.now() - writesStart) / 1000;
  const cpuWrites = processStats(pid).cpu - cpuStart;
  await new Promise((r) => setTimeout(r, 3000)); // let the last messages arrive
  const after = processStats(pid);

  // Latency of every change at every subscriber.
  changes.sort((a, b) => a - b);
  const latencies = new Float64Array(changes.length * n);
  let k = 0;
  let lost = 0;
  let messages = 0;
  for (const s of subscribers) {
    messages += s.received.length;
    let m = 0;
    for (const u of changes) {
      while (m < s.lastChange.length && s.lastChange[m] < u) m++;
      if (m === s.lastChange.length) lost++;
      else latencies[k++] = s.received[m] - u;
    }
  }
  const sorted = latencies.subarray(0, k).sort();
  const line = [
    `${String(n).padStart(6)} subscribers`,
    `connect ${(connectMs / 1000).toFixed(1)} s`,
    `writes ${changes.length}/${total} (${(changes.length / writeSeconds).toFixed(0)}/s, ${failures} failed)`,
    `latency p50 ${percentile(sorted, 50).toFixed(0)} ms p99 ${percentile(sorted, 99).toFixed(0)} ms max ${sorted.length ? sorted[sorted.length - 1].toFixed(0) : '-'} ms`,
    `undelivered ${lost}`,
    `messages ${(messages / writeSeconds).toFixed(0)}/s (${(messages / n).toFixed(1)} per subscriber)`,
    `server RSS ${(connected.rss / 2 ** 20).toFixed(0)} MiB, ${((connected.rss - before.rss) / n / 1024).toFixed(1)} KiB/connection`,
    `server CPU ${((cpuWrites / writeSeconds) * 100).toFixed(0)} % of one core while writing`,
  ].join(' | ');
  console.log(line);
  if (after.rss > connected.rss * 1.5) console.log(`  (server RSS grew to ${(after.rss / 2 ** 20).toFixed(0)} MiB while writing)`);
  await Promise.all(
    subscribers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.socket.readyState === WebSocket.CLOSED) return resolve();
          s.socket.once('close', () => resolve());
          s.socket.close(1000);
        }),
    ),
  );
  return line;
}

async function main(): Promise<void> {
  const database = await freshDatabase();
  // Seed with a first process, then bench a fresh one: its memory holds no garbage of the seed.
  const seeder = await startGateway(database.url, true);
  seeder.child.kill('SIGTERM');
  await new Promise((r) => seeder.child.once('exit', r));
  const gateway = await startGateway(database.url, false);
  const pid = gateway.child.pid!;
  console.log(`gateway pid ${pid} at ${gateway.url} (${process.env.REDIS_URL ? 'Redis pub/sub' : 'in-process pub/sub'}); ${RATE} writes/s for ${SECONDS} s per step; group ${GROUP}, window TODAY`);
  try {
    for (const [i, n] of STEPS.entries()) await runStep(gateway.url, pid, n, i);
  } finally {
    gateway.child.kill('SIGTERM');
    await new Promise((r) => gateway.child.once('exit', r));
    await database.drop();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
