// Authentication and scope: each role sees exactly its scope, through top-level lists, lookups,
// filters and nested paths, on HTTP and on graphql-ws.
import jwt from 'jsonwebtoken';
import type { Role } from '../../src/auth/principal';
import { issueToken } from '../../src/auth/token';
import { buildStructureDemo } from '../../src/modules/structure/structure.demo';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { closeCode, connect, runOnce } from '../support/ws';

const demo = buildStructureDemo();
const byName = (name: string) => demo.institutions.find((i) => i.name === name)!;
/** A group's members and external partners, from the demo data. */
const ofGroup = (code: string) => demo.institutions.filter((i) => i.groupCode === code || i.partnerOf.includes(code)).map((i) => i.code);
const NANPING = byName('南坪分院');
const DAOKOU = byName('百善镇道口村卫生室');

interface Case {
  role: Role;
  scope: string;
  groups: string[];
  /** The institutions the token may see, computed from the demo data, not from the API. */
  institutions: string[];
}

const cases: Case[] = [
  {
    role: 'PROVINCE',
    scope: '420000',
    groups: ['YGT-420322-YX'],
    institutions: ofGroup('YGT-420322-YX'),
  },
  { role: 'PROVINCE', scope: '110000', groups: [], institutions: [] },
  { role: 'COUNTY', scope: 'YGT-420322-YX', groups: ['YGT-420322-YX'], institutions: ofGroup('YGT-420322-YX') },
  {
    role: 'COUNTY',
    scope: 'YGT-340621-SX',
    groups: ['YGT-340621-SX'],
    institutions: ofGroup('YGT-340621-SX'),
  },
  {
    role: 'INSTITUTION',
    scope: NANPING.code,
    groups: ['YGT-340621-SX'],
    institutions: demo.institutions.filter((i) => i.code === NANPING.code || i.parentCode === NANPING.code).map((i) => i.code),
  },
  { role: 'INSTITUTION', scope: DAOKOU.code, groups: ['YGT-340621-SX'], institutions: [DAOKOU.code] },
  {
    role: 'SOURCE_SYSTEM',
    scope: 'YGT-610902-HK',
    groups: ['YGT-610902-HK'],
    institutions: ofGroup('YGT-610902-HK'),
  },
];

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

/** Every institution code a token can reach by paging through `institutions`. */
async function allVisible(token: string, filter: Record<string, unknown> = {}): Promise<string[]> {
  const codes: string[] = [];
  let after: string | undefined;
  do {
    const r = await t.execute<{ institutions: { edges: { node: { code: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }, unknown>(
      'query($f: InstitutionFilter!, $after: String) { institutions(filter: $f, first: 100, after: $after) { edges { node { code } } pageInfo { hasNextPage endCursor } } }',
      { f: filter, after },
      token,
    );
    expect(r.errors).toBeUndefined();
    codes.push(...r.data!.institutions.edges.map((e) => e.node.code));
    after = r.data!.institutions.pageInfo.hasNextPage ? r.data!.institutions.pageInfo.endCursor : undefined;
  } while (after);
  return codes;
}

describe.each(cases)('$role $scope', ({ role, scope, groups, institutions }) => {
  const token = () => t.token(role, scope);

  test('lists exactly the groups and institutions in scope', async () => {
    const r = await t.execute<{ countyGroups: { totalCount: number; edges: { node: { code: string } }[] } }, unknown>(
      '{ countyGroups(first: 100) { totalCount edges { node { code } } } }',
      undefined,
      token(),
    );
    expect(r.data!.countyGroups.edges.map((e) => e.node.code).sort()).toEqual([...groups].sort());
    expect(r.data!.countyGroups.totalCount).toBe(groups.length);
    expect((await allVisible(token())).sort()).toEqual([...institutions].sort());
  });

  test('an out-of-scope code is NOT_FOUND and filters never reach outside', async () => {
    const outsideGroup = demo.groups.find((g) => !groups.includes(g.code))!;
    const outsideInstitution = demo.institutions.find((i) => !institutions.includes(i.code))!;
    const g = await t.execute('query($c: String!) { countyGroup(code: $c) { code } }', { c: outsideGroup.code }, token());
    expect(g.data).toEqual({ countyGroup: null });
    expect(g.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    const i = await t.execute('query($c: String!) { institution(code: $c) { code } }', { c: outsideInstitution.code }, token());
    expect(i.data).toEqual({ institution: null });
    expect(i.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await allVisible(token(), { groupCode: outsideGroup.code })).toEqual([]);
    expect(await allVisible(token(), { parentCode: outsideInstitution.parentCode ?? outsideInstitution.code })).toEqual(
      institutions.filter((c) => demo.institutions.find((x) => x.code === c)!.parentCode === (outsideInstitution.parentCode ?? outsideInstitution.code)),
    );
  });

  // A token that sees no institution has no nested path to walk (its lists are checked above).
  (institutions.length ? test : test.skip)('nested paths hold only rows in scope', async () => {
    expect.hasAssertions();
    type Node = { code: string; parent: { code: string } | null; group: { lead: { code: string } | null; memberCount: number; readInFull: boolean; members: { totalCount: number; edges: { node: { code: string; children: { totalCount: number; edges: { node: { code: string } }[] } } }[] }; partners: { edges: { node: { code: string } }[] } } };
    const kindOf = (c: string) => demo.institutions.find((x) => x.code === c)!.kind;
    for (const code of institutions.filter((c) => kindOf(c) !== 'EXTERNAL').slice(0, 3)) {
      const r = await t.execute<{ institution: Node }, unknown>(
        `query($c: String!) { institution(code: $c) { code parent { code }
           group { lead { code } partners { edges { node { code } } } memberCount readInFull
             members(kind: TOWNSHIP_HEALTH_CENTER, first: 20) { totalCount edges { node { code children(first: 30) { totalCount edges { node { code } } } } } } } } }`,
        { c: code },
        token(),
      );
      expect(r.errors).toBeUndefined();
      const node = r.data!.institution;
      const reached = [
        node.code,
        node.parent?.code,
        node.group.lead?.code,
        ...node.group.partners.edges.map((e) => e.node.code),
        ...node.group.members.edges.flatMap((e) => [e.node.code, ...e.node.children.edges.map((c) => c.node.code)]),
      ].filter((c): c is string => Boolean(c));
      for (const reachedCode of reached) expect(institutions).toContain(reachedCode);
      const members = institutions.filter((c) => demo.institutions.find((x) => x.code === c)!.kind !== 'EXTERNAL');
      expect(node.group.memberCount).toBe(members.length);
      // The count covers what the token reads, and the group says whether that is all of it.
      expect(node.group.readInFull).toBe(members.length === demo.institutions.filter((x) => x.groupCode === demo.institutions.find((y) => y.code === code)!.groupCode).length);
      const townships = institutions.filter((c) => demo.institutions.find((x) => x.code === c)!.kind === 'TOWNSHIP_HEALTH_CENTER');
      expect(node.group.members.totalCount).toBe(townships.length);
    }
    // A partner belongs to no group; the groups it partners with are those in scope only.
    for (const code of institutions.filter((c) => kindOf(c) === 'EXTERNAL')) {
      const r = await t.execute<{ institution: { group: null; partnerOf: { code: string; partners: { edges: { node: { code: string } }[] } }[] } }, unknown>(
        'query($c: String!) { institution(code: $c) { group { code } partnerOf { code partners { edges { node { code } } } } } }',
        { c: code },
        token(),
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.institution.group).toBeNull();
      const partnerOf = r.data!.institution.partnerOf;
      expect(partnerOf.map((g) => g.code).sort()).toEqual(demo.institutions.find((x) => x.code === code)!.partnerOf.filter((g) => groups.includes(g)).sort());
      for (const g of partnerOf) expect(g.partners.edges.map((e) => e.node.code)).toContain(code);
    }
  });

  test('graphql-ws applies the same scope', async () => {
    const client = connect(t.gateway.url, `Bearer ${token()}`);
    try {
      const r = await runOnce<{ countyGroups: { edges: { node: { code: string } }[] } }>(client, '{ countyGroups { edges { node { code } } } }');
      expect(r.data!.countyGroups.edges.map((e) => e.node.code).sort()).toEqual([...groups].sort());
    } finally {
      await client.dispose();
    }
  });
});

describe('authentication', () => {
  const query = JSON.stringify({ query: '{ viewer { role scope } }' });
  const post = (authorization?: string) =>
    fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: query,
    });

  // Signed with the gateway's secret but without exp (valid forever), beyond the COUNTY cap, or issued in the future.
  const now = Math.floor(Date.now() / 1000);
  const noExpiry = () => jwt.sign({ role: 'COUNTY', scope: 'YGT-340621-SX' }, TEST_JWT_SECRET, { algorithm: 'HS256' });
  const tooLong = () => jwt.sign({ role: 'COUNTY', scope: 'YGT-340621-SX' }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 31 * 24 * 3600 });
  const future = () => jwt.sign({ role: 'COUNTY', scope: 'YGT-340621-SX', iat: now + 600, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' });

  test('no token, a malformed, forged or expired one, or an unknown role: HTTP 401 UNAUTHENTICATED', async () => {
    const bad = [
      undefined,
      'Bearer',
      'Basic dXNlcjpwYXNz',
      'Bearer not.a.jwt',
      `Bearer ${issueToken('another-secret', { role: 'COUNTY', scope: 'YGT-340621-SX' })}`,
      `Bearer ${t.token('COUNTY', 'YGT-340621-SX', -60)}`,
      `Bearer ${issueToken('test-secret-not-for-production', { role: 'ADMIN' as Role, scope: '*' })}`,
      `Bearer ${noExpiry()}`,
      `Bearer ${tooLong()}`,
      `Bearer ${future()}`,
    ];
    for (const authorization of bad) {
      const response = await post(authorization);
      expect([authorization, response.status]).toEqual([authorization, 401]);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  test('a valid token reaches the schema and says who it is', async () => {
    const response = await post(`Bearer ${t.token('PROVINCE', '340000')}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { role: 'PROVINCE', scope: '340000' } } });
  });

  test('graphql-ws closes with 4401 without a valid token, and with 4403 when the token expires', async () => {
    expect(await closeCode(t.gateway.url)).toBe(4401);
    expect(await closeCode(t.gateway.url, 'Bearer nonsense')).toBe(4401);
    expect(await closeCode(t.gateway.url, `Bearer ${t.token('COUNTY', 'YGT-340621-SX', -5)}`)).toBe(4401);
    for (const token of [noExpiry(), tooLong(), future()]) expect(await closeCode(t.gateway.url, `Bearer ${token}`)).toBe(4401);
    expect(await closeCode(t.gateway.url, `Bearer ${t.token('COUNTY', 'YGT-340621-SX', 1)}`, 5000)).toBe(4403);
  });
});
