// `npm run bench:personnel`: 100,000 personnel flows ingested through recordPersonnelFlows over HTTP,
// in batches of the documented maximum, into a gateway process on a fresh PostgreSQL database.
// Prints records per second and the server's peak memory (VmHWM of the gateway process).
// Options (environment): BENCH_FLOWS (100000), BENCH_CONCURRENCY (2 clients, one source each),
// BENCH_DATABASE_URL / TEST_DATABASE_URL (the server to create the database on), BENCH_PORT (4500).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { issueToken } from '../src/auth/token';
import { MAX_BATCH_SIZE } from '../src/common/batch';
import { findProjectRoot } from '../src/db/migrate';
import { buildStructureDemo } from '../src/modules/structure';

const TOTAL = Number(process.env.BENCH_FLOWS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const PORT = Number(process.env.BENCH_PORT ?? 4500);
const GROUP = 'YGT-340621-SX';
const SECRET = 'bench-personnel';
const FLOWS_PER_PERSON = 5;

const mutation = `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) {
  accepted rejected results { status error { code field } } } }`;

interface FlowRecord {
  source: string;
  externalId: string;
  staff: { externalId: string; name: string; homeCode: string; title: string; profession: string };
  fromCode: string;
  toCode: string;
  kind: string;
  startDate: string;
  endDate: string;
  pairedExternalId?: string;
}

/** Deterministic flows: each person has five consecutive 30-day postings; pairs join down and up. */
function* flows(worker: number, count: number): Generator<FlowRecord> {
  const demo = buildStructureDemo();
  const lead = demo.groups.find((g) => g.code === GROUP)!.leadCode;
  const townships = demo.institutions.filter((i) => i.groupCode === GROUP && i.kind === 'TOWNSHIP_HEALTH_CENTER').map((i) => i.code);
  const source = `bench-hr-${worker}`;
  for (let n = 0; n < count; n++) {
    const person = Math.floor(n / FLOWS_PER_PERSON);
    const slot = n % FLOWS_PER_PERSON;
    // A downward person and the upward one after it share a township: a pair stays inside one member.
    const township = townships[Math.floor(person / 2) % townships.length];
    const down = person % 2 === 0;
    const start = new Date(Date.UTC(2020, 0, 1) + slot * 31 * 86_400_000);
    yield {
      source,
      externalId: `F${n}`,
      staff: { externalId: `P${person}`, name: `员工${person}`, homeCode: down ? lead : township, title: down ? 'INTERMEDIATE' : 'JUNIOR', profession: 'PHYSICIAN' },
      fromCode: down ? lead : township,
      toCode: down ? township : lead,
      kind: down ? 'STATIONED' : 'TRAINING',
      startDate: start.toISOString().slice(0, 10),
      endDate: new Date(start.getTime() + 29 * 86_400_000).toISOString().slice(0, 10),
      // A downward posting pairs with the same slot of the next (upward) person, in the same batch.
      pairedExternalId: down && slot < 2 && (n + FLOWS_PER_PERSON) % MAX_BATCH_SIZE >= FLOWS_PER_PERSON && n + FLOWS_PER_PERSON < count ? `F${n + FLOWS_PER_PERSON}` : undefined,
    };
  }
}

function peakMemoryKb(pid: number): { hwm: number; rss: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { hwm: read('VmHWM'), rss: read('VmRSS') };
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const name = `bench_personnel_${process.pid}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const server = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString(), JWT_SECRET: SECRET, SEED_DEMO: 'always', PORT: String(PORT), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const endpoint = `http://127.0.0.1:${PORT}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${endpoint}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (i > 600) throw new Error('gateway not ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    const baseline = peakMemoryKb(server.pid!);
    const token = issueToken(SECRET, { role: 'SOURCE_SYSTEM', scope: GROUP });
    let accepted = 0;
    let rejected = 0;
    let requests = 0;
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        const share = Math.floor(TOTAL / CONCURRENCY) + (worker < TOTAL % CONCURRENCY ? 1 : 0);
        let batch: FlowRecord[] = [];
        const send = async () => {
          const t0 = process.hrtime.bigint();
          const response = await fetch(`${endpoint}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: mutation, variables: { input: batch } }),
          });
          const body = (await response.json()) as { data?: { recordPersonnelFlows: { accepted: number; rejected: number; results: { error: unknown }[] } }; errors?: unknown };
          if (!body.data) throw new Error(JSON.stringify(body.errors));
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          accepted += body.data.recordPersonnelFlows.accepted;
          rejected += body.data.recordPersonnelFlows.rejected;
          if (body.data.recordPersonnelFlows.rejected && rejected <= body.data.recordPersonnelFlows.rejected) {
            console.error('first rejections:', JSON.stringify(body.data.recordPersonnelFlows.results.filter((r) => r.error).slice(0, 3)));
          }
          requests++;
          batch = [];
        };
        for (const record of flows(worker, share)) {
          batch.push(record);
          if (batch.length === MAX_BATCH_SIZE) await send();
        }
        if (batch.length) await send();
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const memory = peakMemoryKb(server.pid!);
    const stored = await new Client({ connectionString: url.toString() });
    await stored.connect();
    const { rows } = await stored.query(`SELECT count(*)::int AS n FROM personnel_flow WHERE source LIKE 'bench-hr-%'`);
    await stored.end();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(0);
    console.log(`flows sent          ${TOTAL} in ${requests} batches of ≤ ${MAX_BATCH_SIZE}, ${CONCURRENCY} concurrent clients`);
    console.log(`accepted / rejected ${accepted} / ${rejected}; rows stored ${rows[0].n}`);
    console.log(`throughput          ${(TOTAL / seconds).toFixed(0)} records/s (${seconds.toFixed(1)} s)`);
    console.log(`batch latency       p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
    console.log(`server memory       peak RSS ${(memory.hwm / 1024).toFixed(0)} MiB (at ready ${(baseline.rss / 1024).toFixed(0)} MiB, now ${(memory.rss / 1024).toFixed(0)} MiB)`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
