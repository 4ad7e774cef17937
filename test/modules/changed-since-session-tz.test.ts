// personnel_flow.updated_at is a TIMESTAMP without time zone compared with an instant: created and
// updated flows must both be stamped in UTC whatever the server's TimeZone (initdb takes the OS zone,
// Asia/Shanghai on a Chinese host), or updates are reported for hours, or never (found in review).
import 'reflect-metadata';
import { Client } from 'pg';
import { createRequestContext } from '../../src/context';
import { openDatabase } from '../../src/db/client';
import { modules } from '../../src/modules';
import type { PersonnelFlowInput } from '../../src/modules/personnel/personnel-flow.input';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/database';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T02 = '610902-HK-T02';
const MARCH = { from: new Date('2019-03-01T00:00:00Z'), to: new Date('2019-03-31T00:00:00Z') };
const principal = (role: 'PROVINCE' | 'SOURCE_SYSTEM', scope: string) => ({ role, scope, subject: 'review', expiresAt: Math.floor(Date.now() / 1000) + 3600 });
const flow = (endDate: string) =>
  ({
    source: 'review-tz', externalId: 'TZ-1', staff: { externalId: 'TZ-S1', name: '李医生', homeCode: LEAD }, fromCode: LEAD, toCode: T02,
    kind: 'STATIONED', startDate: new Date('2019-03-05T00:00:00Z'), endDate: new Date(`${endDate}T00:00:00Z`),
  }) as unknown as PersonnelFlowInput;

for (const zone of ['America/New_York', 'Asia/Shanghai']) {
  test(`an updated flow is named exactly while it is new (server TimeZone ${zone})`, async () => {
    const database = await createTestDatabase('review_tz', { fromTemplate: true });
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${database.name}" SET timezone TO '${zone}'`);
    await admin.end();
    const db = await openDatabase({ databaseUrl: database.url, pgliteDir: '' });
    try {
      const write = (endDate: string) => createRequestContext(db.prisma, principal('SOURCE_SYSTEM', HK)).personnelRecorder.record([flow(endDate)]);
      const changedSince = (instant: Date) =>
        modules.find((m) => m.name === 'personnel')!.memberFigures!(createRequestContext(db.prisma, principal('PROVINCE', '610000'))).changedSince(instant, MARCH);
      expect((await write('2019-03-25')).results[0].status).toBe('CREATED');
      const beforeUpdate = new Date();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await write('2019-03-26')).results[0].status).toBe('UPDATED');
      const afterUpdate = new Date();
      // An update names every institution of the group (its earlier ends are not kept); after it, none.
      expect(await changedSince(beforeUpdate)).toEqual(expect.arrayContaining([LEAD, T02]));
      expect(await changedSince(afterUpdate)).toEqual([]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
}
