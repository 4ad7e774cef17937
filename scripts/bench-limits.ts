// `npm run bench:limits`: the worst single requests an attacker with a valid token can send within the
// body limit (repeated fields, aliases, directives, fragments, long strings, variables, deep nesting),
// over HTTP and over graphql-ws, on an in-process gateway over the embedded database (in memory) or
// DATABASE_URL. For each: the answer's code, wall time, the longest event-loop block while it ran
// (what every other caller waited) on the first run and the worst of BENCH_RUNS (3) more,
// the latency of a /healthz sent just after the first run's request, its SQL statements and RSS growth.
// `BENCH_CASES=name,name` runs only some; `BENCH_SKIP_WS=1` skips graphql-ws.
import 'reflect-metadata';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { issueToken } from '../src/auth/token';
import { loadConfig } from '../src/config';
import { startGateway } from '../src/server';

const SECRET = 'bench-limits';
const repeat = (n: number, f: (i: number) => string, sep = ' ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);

/** `parent` selected `width` times in each set, `depth` levels down: graphql-js compares every pair, level after level. */
const tree = (width: number, depth: number): string => (depth === 0 ? 'code' : repeat(width, () => `parent { ${tree(width, depth - 1)} }`));

const cases: Record<string, () => { query: string; variables?: Record<string, unknown> }> = {
  // The ceiling: the simplest request, through the same guards; every other row reads against it.
  'baseline: { viewer { role } }': () => ({ query: '{ viewer { role } }' }),
  'same field x10,000': () => ({ query: `{ viewer { ${repeat(10_000, () => 'scope')} } }` }),
  'same field x50,000': () => ({ query: `{ viewer { ${repeat(50_000, () => 'scope')} } }` }),
  'aliases x20,000': () => ({ query: `{ ${repeat(20_000, (i) => `a${i}: viewer { scope }`)} }` }),
  'directives x30,000': () => ({ query: `{ viewer { scope ${repeat(30_000, () => '@skip(if: false)')} } }` }),
  'referrals aliases x2,400 (distinct args)': () => ({
    query: `{ ${repeat(2400, (i) => `r${i}: referrals(first: 0, filter: { requestedSince: "2020-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0').slice(-3)}Z", groupCode: "G${i}" }) { totalCount }`)} }`,
  }),
  // The most aliases of referrals that the SQL budget accepts (2 statements each against 150), and one more.
  'referrals aliases x75 (distinct args)': () => ({ query: `{ ${repeat(75, (i) => `r${i}: referrals(first: 0, filter: { requestedSince: "2020-01-01T00:00:${String(i % 60).padStart(2, '0')}Z", groupCode: "G${i}" }) { totalCount }`)} }` }),
  'referrals aliases x76 (distinct args)': () => ({ query: `{ ${repeat(76, (i) => `r${i}: referrals(first: 0, filter: { requestedSince: "2020-01-01T00:00:${String(i % 60).padStart(2, '0')}Z", groupCode: "G${i}" }) { totalCount }`)} }` }),
  'fragments doubling x30 (2^30 paths)': () => ({
    query: `query { ...F30 } fragment F0 on Query { viewer { scope } } ${repeat(30, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} viewer { role } }`)}`,
  }),
  'fragments fanning out x10 (4 aliases each)': () => ({
    query: `{ institution(code: "340621-SX-L01") { ...I10 } } fragment I0 on Institution { code } ${repeat(10, (i) => `fragment I${i + 1} on Institution { ${repeat(4, (a) => `p${a}: parent { ...I${i} }`)} }`)}`,
  }),
  'distinct fragments x10,000 spread once': () => ({
    query: `{ ${repeat(10_000, (i) => `...F${i}`)} } ${repeat(10_000, (i) => `fragment F${i} on Query { viewer { scope } }`)}`,
  }),
  'fragment cycle x10,000': () => ({
    query: `{ ...F0 } ${repeat(10_000, (i) => `fragment F${i} on Query { ...F${(i + 1) % 10_000} }`)}`,
  }),
  'nesting x20,000': () => ({ query: `{ region(code: "340000") ${'{ parent '.repeat(20_000)}{ code }${' }'.repeat(20_000)} }` }),
  'long string 1,000,000 - 200 B': () => ({ query: `{ countyGroup(code: "${'x'.repeat(1_000_000 - 200)}") { code } }` }),
  'variables x30,000': () => ({ query: `query(${repeat(30_000, (i) => `$v${i}: Int`)}) { viewer { scope } }` }),
  'operations x20,000': () => ({ query: repeat(20_000, (i) => `query Q${i} { viewer { scope } }`), variables: {} }),
  'repeated nested fields (2 x 2 x … 10 levels)': () => ({ query: `{ region(code: "340000") { ${tree(2, 10)} } }` }),
  'repeated nested fields (3 x 3 x … 6 levels)': () => ({ query: `{ region(code: "340000") { ${tree(3, 6)} } }` }),
  'repeated nested fields (20 x 20 levels)': () => ({ query: `{ region(code: "340000") { ${tree(20, 2)} } }` }),
  // Accepted: just under the aliases, repeated fields and complexity limits (validated and executed).
  'accepted: 199 aliases x 10 repeats': () => ({ query: `{ ${repeat(199, (i) => `a${i}: viewer { ${repeat(10, () => 'scope')} }`)} }` }),
  'accepted: 150 aliases x 30 fields (4,800)': () => ({ query: `{ ${repeat(150, (i) => `a${i}: viewer { ${repeat(10, () => 'scope role subject')} }`)} }` }),
  'list literal x200,000': () => ({ query: `{ region(code: [${repeat(200_000, () => '1', ',')}]) { code } }` }),
};

async function main(): Promise<void> {
  const config = loadConfig(process.env, {
    port: 0, host: '127.0.0.1', jwtSecret: SECRET, seedDemo: 'always', printDemoTokens: false, production: true,
    pgliteDir: process.env.DATABASE_URL ? '' : 'memory://',
  });
  const gateway = await startGateway(config, () => undefined);
  const token = issueToken(SECRET, { role: 'PROVINCE', scope: '340000', ttlSeconds: 3600 });
  const only = process.env.BENCH_CASES?.split(',');
  const healthUrl = gateway.url.replace(/\/graphql$/, '/healthz');
  // The longest gap between 1 ms ticks: how long the event loop was busy at a stretch.
  let last = performance.now();
  let maxGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  const measure = async (run: () => Promise<string>) => {
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const statements = gateway.db.statementCount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = performance.now();
    maxGap = 0;
    const start = performance.now();
    // A health check sent just after the request: how long another caller waits meanwhile.
    const health = new Promise<number>((resolve) =>
      setTimeout(() => {
        const sent = performance.now();
        void fetch(healthUrl).then(() => resolve(performance.now() - sent));
      }, 2),
    );
    const outcome = await run();
    const healthMs = await health;
    return {
      outcome,
      healthMs: Math.round(healthMs),
      ms: Math.round(performance.now() - start),
      blockedMs: Math.round(maxGap),
      statements: gateway.db.statementCount() - statements,
      rssMb: Math.round((process.memoryUsage().rss - rss) / 1e6),
    };
  };
  const summary = (body: { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown }) =>
    body.errors?.length ? `${body.errors[0].extensions?.code ?? '?'}${body.errors.length > 1 ? ` (+${body.errors.length - 1})` : ''}: ${body.errors[0].message.slice(0, 60)}` : 'data';
  const ws = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` }, lazy: true });
  // Warm up (JIT, connections) so that the first case is not charged for them.
  for (let i = 0; i < 20; i++) {
    await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: `{ viewer { ${repeat(5000, () => 'scope')} } }` }) });
  }
  console.log(`store: ${gateway.db.kind}`);
  console.log('case'.padEnd(44), 'via'.padEnd(5), 'bytes'.padStart(8), 'ms'.padStart(7), 'blocked'.padStart(8), 'warm'.padStart(6), 'health'.padStart(7), 'SQL'.padStart(5), 'RSS+MB'.padStart(7), ' answer');
  try {
    for (const [name, build] of Object.entries(cases)) {
      if (only && !only.some((o) => name.startsWith(o))) continue;
      const request = build();
      const body = JSON.stringify(request);
      const overHttp = async () => {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        });
        const text = await response.text();
        try {
          return `${response.status} ${summary(JSON.parse(text))}`;
        } catch {
          return `${response.status} ${text.slice(0, 60)}`;
        }
      };
      const overWs = () =>
        new Promise<string>((resolve) => {
          let first: string | undefined;
          ws.subscribe(request, {
            next: (value) => (first ??= summary(value as never)),
            error: (error) => resolve(Array.isArray(error) ? summary({ errors: error }) : `closed: ${String((error as { reason?: string }).reason ?? error)}`),
            complete: () => resolve(first ?? 'complete'),
          });
        });
      // The first run (cold: the JIT has not seen this shape) and the worst of three more.
      const runs = Number(process.env.BENCH_RUNS ?? 3);
      const rows: [string, Awaited<ReturnType<typeof measure>>, number][] = [];
      for (const [via, run] of [['HTTP', overHttp], ['ws', overWs]] as const) {
        if (via === 'ws' && process.env.BENCH_SKIP_WS) continue;
        const cold = await measure(run);
        let warmBlocked = 0;
        for (let i = 0; i < runs && cold.ms < 5000; i++) warmBlocked = Math.max(warmBlocked, (await measure(run)).blockedMs);
        rows.push([via, cold, warmBlocked]);
      }
      for (const [via, r, warm] of rows) {
        console.log(name.padEnd(44), via.padEnd(5), String(body.length).padStart(8), String(r.ms).padStart(7), String(r.blockedMs).padStart(8), String(warm).padStart(6), String(r.healthMs).padStart(7), String(r.statements).padStart(5), String(r.rssMb).padStart(7), '', r.outcome.slice(0, 90));
      }
    }
  } finally {
    clearInterval(ticker);
    await ws.dispose();
    await gateway.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
