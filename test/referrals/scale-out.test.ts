// Scale-out: two gateway processes on one PostgreSQL database and one Redis. A change taken by
// instance A reaches a subscriber connected to instance B, and the reverse.
import { print } from 'graphql';
import { issueToken } from '../../src/auth/token';
import { CreateReferralDocument, TransitionReferralDocument } from '../../src/generated/operations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_JWT_SECRET } from '../support/gateway';
import { buildGateway, ROOT, spawnGateway, stopGateway, type GatewayProcess } from '../support/process';
import { figures, subscribeCounts, type Subscriber } from './live-support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HK = 'YGT-610902-HK';

type Instance = GatewayProcess;

function startInstance(database: TestDatabase, seed: boolean): Promise<Instance> {
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_URL,
    SEED_DEMO: seed ? 'always' : 'never',
  };
  return spawnGateway({ cwd: ROOT, env }).then((running) => ({ ...running, url: running.url.replace('localhost', '127.0.0.1') }));
}

let database: TestDatabase;
let a: Instance;
let b: Instance;
const subscribers: Subscriber[] = [];
const token = (role: 'COUNTY' | 'SOURCE_SYSTEM') => issueToken(TEST_JWT_SECRET, { role, scope: HK });

beforeAll(async () => {
  buildGateway();
  database = await createTestDatabase('scaleout');
  a = await startInstance(database, true);
  b = await startInstance(database, false);
});
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await Promise.all([stopGateway(a), stopGateway(b)]);
  await database?.drop();
});

async function execute<T>(instance: Instance, document: Parameters<typeof print>[0], variables: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }> {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token('SOURCE_SYSTEM')}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

test('a change taken by one instance reaches the subscribers of the other', async () => {
  expect(a.url).not.toBe(b.url);
  const onA = subscribeCounts(a.url, token('COUNTY'), { groupCode: HK, window: 'TODAY' });
  const onB = subscribeCounts(b.url, token('COUNTY'), { groupCode: HK, window: 'TODAY' });
  subscribers.push(onA, onB);
  const [firstA, firstB] = await Promise.all([onA.waitFor(() => true), onB.waitFor(() => true)]);
  expect(figures(firstB)).toEqual(figures(firstA));

  const input = { source: 'scale-out', externalId: 'SO-1', patientRef: 'SO-P1', fromCode: '610902-HK-T02', toCode: '610902-HK-L01', urgency: 'URGENT' };
  const created = await execute<{ createReferral: { id: string } }>(a, CreateReferralDocument, { input });
  expect(created.errors).toBeUndefined();
  const startedAt = Date.now();
  const onBAfter = await onB.waitFor((m) => m.upward === firstB.upward + 1, 5000);
  expect(Date.now() - startedAt).toBeLessThan(2000);
  expect(onBAfter.pending).toBe(firstB.pending + 1);
  await onA.waitFor((m) => m.upward === firstA.upward + 1, 5000);

  // And from B to A.
  const moved = await execute(b, TransitionReferralDocument, { id: created.data!.createReferral.id, to: 'ACCEPTED' });
  expect(moved.errors).toBeUndefined();
  await onA.waitFor((m) => m.upward === firstA.upward + 1 && m.pending === firstA.pending, 5000);
  await onB.waitFor((m) => m.pending === firstB.pending, 5000);
});
