// The access policy: each scope rule is written once and rendered for Prisma and for SQL; both forms
// must select the same rows, for every role, on the real demo data. And the role table itself.
import 'reflect-metadata';
import { Access } from '../../src/auth/access';
import { authChecker, hasPermission, Permission, POLICY } from '../../src/auth/policy';
import { ROLES, type Principal, type Role } from '../../src/auth/principal';
import { openDatabase, type Database } from '../../src/db/client';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client';
import { modules } from '../../src/modules';
import { buildStructureDemo } from '../../src/modules/structure/structure.demo';
import { createTestDatabase, type TestDatabase } from '../support/database';

const demo = buildStructureDemo();
const byName = (name: string) => demo.institutions.find((i) => i.name === name)!;
const SX = 'YGT-340621-SX';
const NANPING = byName('南坪分院');
const DAOKOU = byName('百善镇道口村卫生室');

const principals: Principal[] = [
  { role: 'PROVINCE', scope: '340000', subject: 't', expiresAt: 0 },
  { role: 'PROVINCE', scope: '110000', subject: 't', expiresAt: 0 },
  { role: 'COUNTY', scope: SX, subject: 't', expiresAt: 0 },
  // 郧西 has external partners: members of no group, read with the groups they partner with.
  { role: 'PROVINCE', scope: '420000', subject: 't', expiresAt: 0 },
  { role: 'COUNTY', scope: 'YGT-420322-YX', subject: 't', expiresAt: 0 },
  { role: 'INSTITUTION', scope: byName('槐树分院').code, subject: 't', expiresAt: 0 },
  { role: 'SOURCE_SYSTEM', scope: 'YGT-610902-HK', subject: 't', expiresAt: 0 },
  { role: 'INSTITUTION', scope: NANPING.code, subject: 't', expiresAt: 0 },
  { role: 'INSTITUTION', scope: DAOKOU.code, subject: 't', expiresAt: 0 },
];

let database: TestDatabase;
let db: Database;
let prisma: PrismaClient;
beforeAll(async () => {
  database = await createTestDatabase('access', { fromTemplate: true });
  db = await openDatabase({ databaseUrl: database.url, pgliteDir: '' });
  prisma = db.prisma;
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const directory = () => modules.find((m) => m.groupDirectory)!.groupDirectory!(prisma);
const sorted = (values: string[]) => [...values].sort();

describe.each(principals.map((p) => [`${p.role} ${p.scope}`, p] as const))('%s', (_name, principal) => {
  const access = () => new Access(principal, directory());

  test('groups: the Prisma and the SQL form select the same rows', async () => {
    const filter = access().groups();
    const viaPrisma = (await prisma.countyGroup.findMany({ where: filter.where, select: { code: true } })).map((g) => g.code);
    const viaSql = (await prisma.$queryRaw<{ code: string }[]>`SELECT g.code FROM county_group g WHERE ${filter.sql('g')}`).map((g) => g.code);
    expect(sorted(viaSql)).toEqual(sorted(viaPrisma));
    expect(sorted(viaPrisma)).toEqual([...(await access().readableGroupCodes())]);
  });

  test.each(['institutions', 'endsOfReadableRecords'] as const)('%s: the Prisma and the SQL form select the same rows, as the demo data says', async (which) => {
    const filter = access()[which]();
    const viaPrisma = (await prisma.institution.findMany({ where: filter.where, select: { code: true } })).map((i) => i.code);
    const viaSql = (await prisma.$queryRaw<{ code: string }[]>`SELECT i.code FROM institution i WHERE ${filter.sql('i')}`).map((i) => i.code);
    expect(sorted(viaSql)).toEqual(sorted(viaPrisma));
    // What the token should see, computed from the demo data rather than from the policy.
    const groups = new Set(
      principal.role === 'PROVINCE'
        ? demo.groups.filter((g) => g.provinceCode === principal.scope).map((g) => g.code)
        : principal.role === 'INSTITUTION'
          ? [demo.institutions.find((i) => i.code === principal.scope)!.groupCode]
          : [principal.scope],
    );
    // Members of those groups and their partners; an INSTITUTION token reads itself and those under it.
    const expected = demo.institutions.filter((i) =>
      which === 'institutions' && principal.role === 'INSTITUTION'
        ? i.code === principal.scope || i.parentCode === principal.scope
        : (i.groupCode !== null && groups.has(i.groupCode)) || i.partnerOf.some((g) => groups.has(g)),
    );
    expect(sorted(viaPrisma)).toEqual(sorted(expected.map((i) => i.code)));
    const partners = expected.filter((i) => i.kind === 'EXTERNAL');
    if (groups.has('YGT-420322-YX') && !(which === 'institutions' && principal.role === 'INSTITUTION')) expect(partners.length).toBeGreaterThan(0);
  });

  test.each([
    ['referral', 'referral', 'r'],
    ['personnel flows', 'personnel_flow', 'f'],
  ] as const)('rows of %s: the Prisma and the SQL form select the same rows', async (_what, table, alias) => {
    const filter = await access().rows<Record<string, unknown>>({ group: 'groupCode', institutions: ['fromCode', 'toCode'] });
    const delegate = (table === 'referral' ? prisma.referral : prisma.personnelFlow) as unknown as {
      findMany(args: { where: unknown; select: { id: true } }): Promise<{ id: number }[]>;
      count(): Promise<number>;
    };
    const viaPrisma = (await delegate.findMany({ where: filter.where, select: { id: true } })).map((r) => String(r.id));
    // The table name comes from this test's own list, never from input.
    const viaSql = (await prisma.$queryRaw<{ id: number }[]>`SELECT ${Prisma.raw(alias)}.id FROM ${Prisma.raw(`${table} ${alias}`)} WHERE ${filter.sql(alias)}`).map((r) =>
      String(r.id),
    );
    expect(sorted(viaSql)).toEqual(sorted(viaPrisma));
    if (principal.scope === DAOKOU.code && table === 'personnel_flow') {
      expect(viaPrisma).toEqual([]); // the demo posts nobody to or from a village clinic
    } else if (principal.scope !== '110000') {
      expect(viaPrisma.length).toBeGreaterThan(0); // not vacuous: the demo data has rows in every group
      expect(viaPrisma.length).toBeLessThan(await delegate.count()); // and rows outside every scope
    } else {
      expect(viaPrisma).toEqual([]);
    }
  });
});


describe('the role table', () => {
  test('batch ingestion is for source systems; writing referrals for institutions and source systems; provinces see no patient refs nor staff contacts', () => {
    const holders = (p: Permission) => ROLES.filter((r) => hasPermission(r, p));
    expect(holders(Permission.RECORD_BATCHES)).toEqual(['SOURCE_SYSTEM']);
    expect(holders(Permission.WRITE_REFERRALS)).toEqual(['INSTITUTION', 'SOURCE_SYSTEM']);
    expect(holders(Permission.SEE_PATIENT_REFS)).toEqual(['COUNTY', 'INSTITUTION', 'SOURCE_SYSTEM']);
    expect(holders(Permission.SEE_STAFF_CONTACTS)).toEqual(['COUNTY', 'INSTITUTION', 'SOURCE_SYSTEM']);
    expect(Object.keys(POLICY).sort()).toEqual([...ROLES].sort());
  });

  test.each(ROLES)('the authChecker lets %s through exactly where the table says, else FORBIDDEN with the reason', (role: Role) => {
    for (const permission of Object.values(Permission)) {
      const run = () => authChecker({ context: { principal: { role } }, root: {}, args: {}, info: {} as never }, [permission]);
      if (hasPermission(role, permission)) expect(run()).toBe(true);
      else expect(run).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
    }
  });
});

describe('row-level rules', () => {
  const access = (role: Role, scope: string) => new Access({ role, scope, subject: 't', expiresAt: 0 }, async () => []);
  const staff = { groupCode: SX, homeCode: NANPING.code };

  test('staff contact data: the person\'s group and home institution only', () => {
    expect(access('COUNTY', SX).seesStaffContact(staff)).toBe(true);
    expect(access('SOURCE_SYSTEM', SX).seesStaffContact(staff)).toBe(true);
    expect(access('COUNTY', 'YGT-610902-HK').seesStaffContact(staff)).toBe(false);
    expect(access('INSTITUTION', NANPING.code).seesStaffContact(staff)).toBe(true);
    expect(access('INSTITUTION', byName('临涣分院').code).seesStaffContact(staff)).toBe(false);
    expect(access('PROVINCE', '340000').seesStaffContact(staff)).toBe(false);
  });

  test('writing between two ends: a source system within its group, an institution from itself to one it deals with (siblings too)', () => {
    const lead = { code: 'L', groupCode: SX, level: 3, parentCode: null, partnerOf: [] };
    const branch = { code: NANPING.code, groupCode: SX, level: 2, parentCode: 'L', partnerOf: [] };
    const ownClinic = { code: 'V1', groupCode: SX, level: 1, parentCode: NANPING.code, partnerOf: [] };
    const otherClinic = { code: 'V2', groupCode: SX, level: 1, parentCode: byName('临涣分院').code, partnerOf: [] };
    const other = { code: 'O', groupCode: 'YGT-610902-HK', level: 3, parentCode: null, partnerOf: [] };
    expect(access('SOURCE_SYSTEM', SX).writeBetween(branch, lead)).toBeUndefined();
    expect(access('SOURCE_SYSTEM', SX).writeBetween(branch, other)).toMatchObject({ field: 'toCode' });
    expect(access('SOURCE_SYSTEM', 'YGT-610902-HK').writeBetween(branch, lead)).toMatchObject({ field: 'fromCode' });
    expect(access('INSTITUTION', NANPING.code).writeBetween(branch, lead)).toBeUndefined();
    expect(access('INSTITUTION', NANPING.code).writeBetween(branch, ownClinic)).toBeUndefined();
    // Not as the receiver: an institution opens referrals from itself only.
    expect(access('INSTITUTION', NANPING.code).writeBetween(lead, branch)).toMatchObject({ field: 'fromCode' });
    expect(access('INSTITUTION', byName('临涣分院').code).writeBetween(branch, lead)).toMatchObject({ field: 'fromCode' });
    // A sibling (same level, same parent): a lateral referral between two branches, or two clinics of one branch.
    const sibling = { code: byName('临涣分院').code, groupCode: SX, level: 2, parentCode: 'L', partnerOf: [] };
    const ownClinic2 = { code: 'V3', groupCode: SX, level: 1, parentCode: NANPING.code, partnerOf: [] };
    expect(access('INSTITUTION', NANPING.code).writeBetween(branch, sibling)).toBeUndefined();
    expect(access('INSTITUTION', 'V1').writeBetween(ownClinic, ownClinic2)).toBeUndefined();
    // Not a clinic under another branch (same level, another parent), nor one outside its group.
    expect(access('INSTITUTION', 'V1').writeBetween(ownClinic, otherClinic)).toMatchObject({ field: 'toCode', unseen: true });
    expect(access('INSTITUTION', 'V1').writeBetween(ownClinic, { ...ownClinic2, groupCode: 'YGT-610902-HK' })).toMatchObject({ field: 'toCode', unseen: true });
    // A clinic under another branch, or another group's hospital: answered as unknown.
    expect(access('INSTITUTION', NANPING.code).writeBetween(branch, otherClinic)).toEqual({ field: 'toCode', message: 'Institution "V2" was not found or is outside your scope', unseen: true });
    expect(access('INSTITUTION', NANPING.code).writeBetween(branch, other)).toMatchObject({ field: 'toCode', unseen: true });
    expect(access('COUNTY', SX).writeBetween(branch, lead)).toBeDefined();
  });

  test('a token that names its source writes that source only; without the claim, any source', () => {
    const named = new Access({ role: 'SOURCE_SYSTEM', scope: SX, source: 'his-a', subject: 't', expiresAt: 0 }, async () => []);
    expect(named.writeSource('his-a')).toBeUndefined();
    expect(named.writeSource('his-b')).toMatchObject({ field: 'source' });
    expect(access('SOURCE_SYSTEM', SX).writeSource('his-b')).toBeUndefined();
  });

  test('an institution writes as its own code, or as the source its token names; it moves referrals of any source', () => {
    const own = access('INSTITUTION', NANPING.code);
    expect(own.writeSource(NANPING.code)).toBeUndefined();
    expect(own.writeSource('hk-referral-platform')).toEqual({ field: 'source', message: `This token writes as source "${NANPING.code}" only` });
    expect(own.moveSource('hk-referral-platform')).toBeUndefined();
    const named = new Access({ role: 'INSTITUTION', scope: NANPING.code, source: 'nanping-his', subject: 't', expiresAt: 0 }, async () => []);
    expect(named.writeSource('nanping-his')).toBeUndefined();
    expect(named.writeSource(NANPING.code)).toMatchObject({ field: 'source' });
    // Its HIS, however its token is bound, accepts what the platform sent it; a bound source system does not move other sources.
    expect(named.moveSource('hk-referral-platform')).toBeUndefined();
    const platform = new Access({ role: 'SOURCE_SYSTEM', scope: SX, source: 'sx-platform', subject: 't', expiresAt: 0 }, async () => []);
    expect(platform.moveSource('sx-platform')).toBeUndefined();
    expect(platform.moveSource('other-system')).toMatchObject({ field: 'source' });
  });

  test('moving a referral: the receiving institution, or the referring one to cancel; a source system any', () => {
    const ends = { fromCode: NANPING.code, toCode: 'L' };
    expect(access('INSTITUTION', 'L').moveBetween(ends, false)).toBeUndefined();
    expect(access('INSTITUTION', NANPING.code).moveBetween(ends, false)).toBe('the receiving institution');
    expect(access('INSTITUTION', NANPING.code).moveBetween(ends, true)).toBeUndefined();
    expect(access('INSTITUTION', 'L').moveBetween(ends, true)).toBe('the referring institution');
    expect(access('SOURCE_SYSTEM', SX).moveBetween(ends, true)).toBeUndefined();
  });

  test('a source system writes for its own group only', () => {
    expect(access('SOURCE_SYSTEM', SX).writesForGroup(SX)).toBe(true);
    expect(access('SOURCE_SYSTEM', SX).writesForGroup('YGT-610902-HK')).toBe(false);
    expect(access('COUNTY', SX).writesForGroup(SX)).toBe(false);
  });
});
