// The HTTP surface: health endpoints, the offline browser page, GET queries, operation limits,
// body size, what errors carry in development and in production, and how connections are kept.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import vm from 'node:vm';
import { GroupOverviewDocument } from '../../src/generated/operations';
import { print } from 'graphql';
import { loadConfig } from '../../src/config';
import { startTestGateway, type TestGateway } from '../support/gateway';

describe('development gateway', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ maxQueryDepth: 8, maxQueryComplexity: 2000, maxBodyBytes: 4096 });
  });
  afterAll(() => t?.stop());
  const base = () => t.gateway.url.replace(/\/graphql$/, '');
  const token = () => t.token('COUNTY', 'YGT-340621-SX');

  test('/healthz and /readyz answer without a token', async () => {
    const health = await fetch(`${base()}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${base()}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  test('/readyz reports missing migrations', async () => {
    await t.gateway.db.prisma.$executeRawUnsafe(`UPDATE _prisma_migrations SET rolled_back_at = now()`);
    try {
      const ready = await fetch(`${base()}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reason: string }).reason).toMatch(/migrations not applied/);
    } finally {
      await t.gateway.db.prisma.$executeRawUnsafe(`UPDATE _prisma_migrations SET rolled_back_at = NULL`);
    }
  });

  test('the browser page at /graphql loads nothing from outside the machine', async () => {
    const page = await fetch(t.gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<textarea id="query"');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    // Its script compiles: the page is a template literal, where an escape like '\n' becomes a raw
    // line break inside a string and the whole script fails in the browser.
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(() => new vm.Script(scripts[0])).not.toThrow();
  });

  test('GET queries work with a token and the CSRF-safe header', async () => {
    const url = `${t.gateway.url}?query=${encodeURIComponent('{ viewer { scope } }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token()}`, 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { viewer: { scope: 'YGT-340621-SX' } } });
    const anonymous = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(anonymous.status).toBe(401);
  });

  test('too deep and too complex operations are refused before they run', async () => {
    const deep = await t.execute(
      '{ institutions(filter: {}) { edges { node { parent { parent { parent { parent { parent { code } } } } } } } } }',
      undefined,
      token(),
    );
    expect(deep.status).toBe(400);
    expect(deep.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', maxDepth: 8 });
    const before = t.gateway.db.statementCount();
    const complex = await t.execute(
      '{ institutions(filter: {}, first: 100) { edges { node { children(first: 100) { edges { node { code } } } } } } }',
      undefined,
      token(),
    );
    expect(complex.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxComplexity: 2000 });
    expect(t.gateway.db.statementCount()).toBe(before);
    // The contract's dashboard query fits within the limits (1,573 rows, 4 statements).
    const overview = await t.execute(GroupOverviewDocument, { groupCode: 'YGT-340621-SX' }, token());
    expect(overview.errors).toBeUndefined();
  });

  test('an oversized body is 413 PAYLOAD_TOO_LARGE, a broken one 400', async () => {
    const big = JSON.stringify({ query: print(GroupOverviewDocument), variables: { groupCode: 'x'.repeat(5000) } });
    const response = await fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: '{"query": ',
    });
    expect(broken.status).toBe(400);
  });

  test('errors carry a code; development responses include the stack trace', async () => {
    const r = await t.execute('{ countyGroup(code: "nope") { code } }', undefined, token());
    expect(r.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    expect(r.errors![0].extensions!.stacktrace).toBeDefined();
    const invalid = await t.execute('{ countyGroup(code: "x") { noSuchField } }', undefined, token());
    expect(invalid.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wrongType = await t.execute('query($n: Int) { countyGroups(first: $n) { totalCount } }', { n: 'ten' }, token());
    expect(wrongType.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('production gateway', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ production: true });
  });
  afterAll(() => t?.stop());

  test('errors carry no stack traces', async () => {
    const token = t.token('COUNTY', 'YGT-340621-SX');
    const r = await t.execute('{ countyGroup(code: "nope") { code } }', undefined, token);
    expect(r.errors![0].extensions).toEqual({ code: 'NOT_FOUND', field: 'code' });
    const tooMany = await t.execute('{ countyGroups(first: 1000) { totalCount } }', undefined, token);
    expect(tooMany.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(JSON.stringify(r)).not.toMatch(/\.ts:\d+/);
  });
});

describe('connections', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t?.stop());

  test('KEEP_ALIVE_TIMEOUT_MS and LISTEN_BACKLOG are read from the environment', () => {
    expect(loadConfig({})).toMatchObject({ keepAliveTimeoutMs: 65_000, listenBacklog: 4096 });
    expect(loadConfig({ KEEP_ALIVE_TIMEOUT_MS: '120000', LISTEN_BACKLOG: '1024' })).toMatchObject({ keepAliveTimeoutMs: 120_000, listenBacklog: 1024 });
  });

  test('an idle keep-alive connection outlives Node\'s 5 s default, as a proxy in front expects', async () => {
    const socket = net.connect(t.gateway.port, '127.0.0.1');
    try {
      const first = await exchange(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200 /);
      // Node closes an idle connection 6 s after a response by default (5 s advertised + 1 s): a
      // proxy that keeps connections for 60 s sends its next request into a closing one (502).
      await new Promise((resolve) => setTimeout(resolve, 7000));
      expect(await exchange(socket)).toMatch(/^HTTP\/1\.1 200 /);
      expect(first).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
    } finally {
      socket.destroy();
    }
  });

  // 1,000 connections opened at once while the gateway accepts none: this process is blocked in
  // execFileSync, as an event loop is on a loaded machine. With Node's default backlog (511) the
  // kernel drops the SYNs past it (retried after 1, 3, 7 s) and resets some of the connections it
  // half-opened: the CI flake of the live counters' 1,000-request test.
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  (somaxconn > 1000 ? test : test.skip)('1,000 connections at once all find room in the listen queue while the gateway is busy', () => {
    const connector = `
      const net = require('node:net');
      const [port, n] = process.argv.slice(1).map(Number);
      let connected = 0;
      const done = () => { process.stdout.write(JSON.stringify({ connected })); process.exit(0); };
      setTimeout(done, 20000); // only reached when some stay unconnected (the kernel dropped their SYNs)
      for (let i = 0; i < n; i++) {
        const s = net.connect(port, '127.0.0.1', () => { if (++connected === n) done(); });
        s.on('error', () => undefined);
      }`;
    const out = execFileSync(process.execPath, ['-e', connector, String(t.gateway.port), '1000'], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out)).toEqual({ connected: 1000 });
  });
});

/** Sends GET /healthz on a raw socket and resolves with the whole response; rejects if the connection is or gets closed first. */
function exchange(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let response = '';
    const onData = (chunk: Buffer) => {
      response += chunk.toString('latin1');
      const end = response.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(response.slice(0, end));
      if (end >= 0 && length && response.length >= end + 4 + Number(length[1])) finish(() => resolve(response));
    };
    const onEnd = () => finish(() => reject(new Error(`connection closed; got ${JSON.stringify(response)}`)));
    const onError = (error: Error) => finish(() => reject(error));
    const finish = (settle: () => void) => {
      socket.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
      settle();
    };
    if (socket.destroyed || socket.readableEnded) {
      reject(new Error('the gateway closed the connection while it was idle'));
      return;
    }
    socket.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', (error) => error && onError(error));
  });
}
