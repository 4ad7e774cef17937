// The migration that adds scope, times and provenance to referrals keeps the rows a database holds
// valid, and gives demo provenance only to the rows an earlier demo seed wrote and nothing touched
// since (the seed set created_at = updated_at = the row's latest step): a real platform writing under
// a demo source name (恒口's "hk-referral-platform"), or a demo referral moved through the API before
// the upgrade, stays SOURCE_SYSTEM.
import { PGlite } from '@electric-sql/pglite';
import { FIRST_OF_9, applyMigrationsBefore, applyMigrationsFrom, migrationNamed } from '../support/migrations';

const MIGRATION = migrationNamed('referrals_scope_times_provenance');

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await applyMigrationsBefore(db, FIRST_OF_9);
});
afterAll(() => db?.close());

const HK = 'YGT-610902-HK';
const YX = 'YGT-420322-YX';
const ARTICLE = '004_993314f26d1d3f19.txt';

test('demo provenance for the rows the old seed wrote and nothing touched since; API rows stay SOURCE_SYSTEM', async () => {
  await db.exec(`
    INSERT INTO region (code, name, level) VALUES ('610902', '汉滨区', 'COUNTY'), ('420322', '郧西县', 'COUNTY');
    INSERT INTO county_group (code, name, region_code, prefecture_code, province_code, updated_at) VALUES
      ('${HK}', '恒口', '610902', '610900', '610000', now()), ('${YX}', '郧西', '420322', '420300', '420000', now());
    INSERT INTO institution (code, name, kind, level, group_code, updated_at) VALUES
      ('HK-L01', '恒口医院', 'LEAD_HOSPITAL', 3, '${HK}', now()), ('HK-T01', '分院', 'TOWNSHIP_HEALTH_CENTER', 2, '${HK}', now()),
      ('YX-L01', '县医院', 'LEAD_HOSPITAL', 3, '${YX}', now()), ('YX-T01', '分院', 'TOWNSHIP_HEALTH_CENTER', 2, '${YX}', now()),
      ('YX-E01', '太和', 'EXTERNAL', 4, '${YX}', now());`);
  /** A pre-#9 row: `written` are created_at and updated_at as the old build set them (defaults: an API create now). */
  const referral = async (group: string, source: string, id: string, ends: [string, string], times: Record<string, string>, written: { created?: string; updated?: string } = {}) => {
    const columns = Object.keys(times);
    const status = ({ accepted_at: 'ACCEPTED', arrived_at: 'ARRIVED', completed_at: 'COMPLETED', rejected_at: 'REJECTED', cancelled_at: 'CANCELLED' } as Record<string, string>)[columns[columns.length - 1]] ?? 'REQUESTED';
    await db.exec(`INSERT INTO referral (source, external_id, patient_ref, group_code, from_code, to_code, direction, urgency, status, content_hash,
        ${columns.join(', ')}${written.created ? ', created_at' : ''}, updated_at)
      VALUES ('${source}', '${id}', 'P-${id}', '${group}', '${ends[0]}', '${ends[1]}', 'UPWARD', 'ROUTINE', '${status}', 'h',
        ${columns.map((c) => `'${times[c]}'`).join(', ')}${written.created ? `, '${written.created}'` : ''}, ${written.updated ? `'${written.updated}'` : 'now()'})`);
  };
  const seeded = (latest: string) => ({ created: latest, updated: latest });
  // The old seed: created_at = updated_at = the latest step.
  await referral(YX, 'demo-synthetic', 'SEEDED', ['YX-T01', 'YX-L01'], { requested_at: '2025-03-01T01:00:00Z', accepted_at: '2025-03-01T02:00:00Z' }, seeded('2025-03-01T02:00:00Z'));
  await referral(YX, 'demo-synthetic', 'SEEDED-OUT', ['YX-L01', 'YX-E01'], { requested_at: '2025-03-02T01:00:00Z' }, seeded('2025-03-02T01:00:00Z'));
  await referral(HK, 'hk-referral-platform', 'HK-H1-2023-001', ['HK-T01', 'HK-L01'], { requested_at: '2023-03-01T01:00:00Z', accepted_at: '2023-03-01T01:30:00Z', cancelled_at: '2023-03-01T03:00:00Z' }, seeded('2023-03-01T03:00:00Z'));
  // A seeded demo referral moved on through the API (transitionReferral: the step and updated_at now).
  await referral(YX, 'demo-synthetic', 'MOVED', ['YX-T01', 'YX-L01'], { requested_at: '2025-03-03T01:00:00Z', accepted_at: '2025-11-01T08:00:00Z' }, { created: '2025-03-03T01:00:00Z', updated: '2025-11-01T08:00:00.123Z' });
  // A real 恒口 platform writing as "hk-referral-platform", and an ordinary source, through the API.
  await referral(HK, 'hk-referral-platform', 'REAL-HK-1', ['HK-T01', 'HK-L01'], { requested_at: '2025-10-01T01:00:00Z' }, { updated: '2025-10-01T01:00:05.456Z' });
  await referral(YX, 'his', 'API-1', ['YX-L01', 'YX-E01'], { requested_at: '2025-10-02T01:00:00Z' }, { updated: '2025-10-02T01:00:05.789Z' });

  await applyMigrationsFrom(db, FIRST_OF_9, MIGRATION);
  const rows = await db.query<{ external_id: string; provenance: string; article: string | null; noted: boolean; out_of_county: boolean }>(
    `SELECT external_id, provenance::text, article, provenance_note IS NOT NULL AS noted, out_of_county FROM referral ORDER BY id`,
  );
  expect(rows.rows.map((r) => [r.external_id, r.provenance, r.article, r.noted, r.out_of_county])).toEqual([
    ['SEEDED', 'SYNTHETIC', null, true, false],
    ['SEEDED-OUT', 'SYNTHETIC', null, true, true],
    ['HK-H1-2023-001', 'INVENTED', ARTICLE, true, false],
    ['MOVED', 'SOURCE_SYSTEM', null, false, false],
    ['REAL-HK-1', 'SOURCE_SYSTEM', null, false, false],
    ['API-1', 'SOURCE_SYSTEM', null, false, true],
  ]);
});
