// A newcomer's first run: the built gateway started with no environment at all (embedded PGlite,
// demo data, printed tokens), queried over HTTP with a printed token, and stopped with SIGTERM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { GroupListDocument } from '../../src/generated/operations';
import { buildGateway, spawnGateway, stopGateway, type GatewayProcess } from '../support/process';

interface Running extends GatewayProcess {
  tokens: Map<string, string>;
}

const demoTokens = (output: string) => new Map([...output.matchAll(/^\s+(\w+) (\S+) \(.*\): (\S+)$/gm)].map((m) => [m[1], m[3]]));

/** Starts the built gateway with no environment at all, and waits for its four demo tokens too. */
async function start(cwd: string): Promise<Running> {
  const running = await spawnGateway({ cwd, env: {}, isReady: (output) => demoTokens(output).size === 4 });
  return { ...running, tokens: demoTokens(running.output()) };
}

const stop = stopGateway;

let cwd: string;
beforeAll(() => {
  buildGateway();
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-newcomer-'));
}, 120_000);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

async function groupList(running: Running, role: string) {
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${running.tokens.get(role)}` },
    body: JSON.stringify({ query: print(GroupListDocument), variables: { first: 10 } }),
  });
  return (await response.json()) as { data: { countyGroups: { totalCount: number; edges: { node: { name: string } }[] } } };
}

test('starts with no environment, serves a printed demo token, and stops cleanly twice', async () => {
  const first = await start(cwd);
  expect(first.url).toBe('http://localhost:4000/graphql');
  expect(first.output()).toContain('Loaded the demo data');
  expect([...first.tokens.keys()].sort()).toEqual(['COUNTY', 'INSTITUTION', 'PROVINCE', 'SOURCE_SYSTEM']);
  expect((await fetch('http://localhost:4000/readyz')).status).toBe(200);
  const body = await groupList(first, 'COUNTY');
  expect(body.data.countyGroups.totalCount).toBe(1);
  expect(body.data.countyGroups.edges[0].node.name).toBe('濉溪县医院紧密型县域医共体');
  expect(await stop(first)).toBe(0);
  expect(first.output()).toContain('Gateway stopped');

  // The data and the generated secret persist under ./data: no second seeding, old tokens still work.
  const second = await start(cwd);
  expect(second.output()).not.toContain('Loaded the demo data');
  expect((await groupList(second, 'COUNTY')).data.countyGroups.totalCount).toBe(1);
  const oldToken = await fetch(second.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${first.tokens.get('PROVINCE')}` },
    body: JSON.stringify({ query: '{ viewer { scope } }' }),
  });
  expect(await oldToken.json()).toEqual({ data: { viewer: { scope: '340000' } } });
  expect(await stop(second)).toBe(0);
  expect(fs.existsSync(path.join(cwd, 'data/pglite'))).toBe(true);
});
