// `npm run bench:startup`: cold start of the built gateway, from process spawn to /readyz = 200, on
// the embedded PGlite (empty data dir: migrations + demo data; then again on the existing data) and
// on PostgreSQL (a fresh database, demo data loaded; then again). Also times SIGTERM to exit.
// PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findProjectRoot } from '../src/db/migrate';

const root = findProjectRoot();
const main = path.join(root, 'dist/src/main.js');
const port = Number(process.env.BENCH_PORT ?? 4400);

async function run(label: string, env: Record<string, string>, cwd: string): Promise<void> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [main], { cwd, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let readyMs = -1;
  while (readyMs < 0) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.status === 200) readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    if (readyMs < 0) await new Promise((r) => setTimeout(r, 10));
    if (Number(process.hrtime.bigint() - started) / 1e6 > 120_000) throw new Error(`${label}: not ready after 120 s`);
  }
  const stopAt = process.hrtime.bigint();
  child.kill('SIGTERM');
  const code = await exited;
  const stopMs = Number(process.hrtime.bigint() - stopAt) / 1e6;
  console.log(`${label.padEnd(44)} ready ${readyMs.toFixed(0).padStart(6)} ms   SIGTERM→exit ${stopMs.toFixed(0).padStart(5)} ms (code ${code})`);
}

async function main_(): Promise<void> {
  if (!fs.existsSync(main)) throw new Error('build first: npm run build');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  try {
    await run('PGlite, empty data dir (migrate + demo data)', {}, tmp);
    await run('PGlite, existing data', {}, tmp);
    const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
    const name = `bench_startup_${process.pid}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const env = { DATABASE_URL: url.toString(), JWT_SECRET: 'bench', SEED_DEMO: 'always' };
    try {
      await run('PostgreSQL, empty database (migrate + demo data)', env, tmp);
      await run('PostgreSQL, existing data', env, tmp);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores`);
}

main_().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
