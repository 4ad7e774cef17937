// The migration that adds county_group.practises_pairing must not take every existing group's pairing
// rate away: a group whose personnel system declared a pair (派一送一) practises pairing after the
// upgrade; one that declared none does not; the earlier demo seed's synthetic year (pairs in every
// group) is no group's practice, while 恒口's article pairs are.
import { PGlite } from '@electric-sql/pglite';
import { FIRST_OF_9, applyMigrationsBefore, applyMigrationsFrom, migrationNamed } from '../support/migrations';

const MIGRATION = migrationNamed('group_practises_pairing');

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await applyMigrationsBefore(db, FIRST_OF_9);
});
afterAll(() => db?.close());

test('groups that declared a pair practise pairing after the upgrade; the others, and the old demo synthetic pairs, do not', async () => {
  const groups = { PAIRS: 'G-PAIRS', NONE: 'G-NONE', SYNTH: 'YGT-420322-YX', HK: 'YGT-610902-HK', CANCELLED: 'G-CANCELLED' };
  let n = 0;
  for (const code of Object.values(groups)) {
    n++;
    await db.exec(`
      INSERT INTO region (code, name, level) VALUES ('R${n}', '县${n}', 'COUNTY');
      INSERT INTO county_group (code, name, region_code, prefecture_code, province_code, updated_at) VALUES ('${code}', '组${n}', 'R${n}', 'P', 'V', now());
      INSERT INTO institution (code, name, kind, level, group_code, updated_at) VALUES
        ('${code}-L', '县医院', 'LEAD_HOSPITAL', 3, '${code}', now()), ('${code}-T', '分院', 'TOWNSHIP_HEALTH_CENTER', 2, '${code}', now());
      INSERT INTO staff (source, external_id, name, home_code, group_code, updated_at) VALUES ('hr', 'S-${code}', '某', '${code}-L', '${code}', now());`);
  }
  const flow = async (group: string, source: string, id: string, direction: 'DOWNWARD' | 'UPWARD', paired: string | null, cancelled = false) => {
    const [from, to] = direction === 'DOWNWARD' ? [`${group}-L`, `${group}-T`] : [`${group}-T`, `${group}-L`];
    await db.exec(`INSERT INTO personnel_flow (source, external_id, staff_id, group_code, from_code, to_code, direction, kind, start_date, cancelled, paired_external_id, content_hash, updated_at)
      VALUES ('${source}', '${id}', (SELECT id FROM staff WHERE external_id = 'S-${group}'), '${group}', '${from}', '${to}', '${direction}', '${direction === 'DOWNWARD' ? 'STATIONED' : 'TRAINING'}',
        '2024-0${n++ % 9 + 1}-01', ${cancelled}, ${paired ? `'${paired}'` : 'NULL'}, 'h', now())`);
  };
  n = 0;
  await flow(groups.PAIRS, 'hr', 'D-1', 'DOWNWARD', 'U-1');
  await flow(groups.PAIRS, 'hr', 'U-1', 'UPWARD', null);
  await flow(groups.NONE, 'hr', 'D-1', 'DOWNWARD', null);
  await flow(groups.NONE, 'hr', 'U-1', 'UPWARD', null);
  const demo = (g: string) => `demo-hr-${g.toLowerCase()}`;
  await flow(groups.SYNTH, demo(groups.SYNTH), '2025-T1-DOWN-1', 'DOWNWARD', '2025-T1-UP-1');
  await flow(groups.SYNTH, demo(groups.SYNTH), '2025-T1-UP-1', 'UPWARD', null);
  await flow(groups.HK, demo(groups.HK), 'HK-2023-DOWN-1', 'DOWNWARD', 'HK-2023-UP-1');
  await flow(groups.HK, demo(groups.HK), 'HK-2023-UP-1', 'UPWARD', null);
  await flow(groups.CANCELLED, 'hr', 'D-1', 'DOWNWARD', 'U-1', true);

  await applyMigrationsFrom(db, FIRST_OF_9, MIGRATION);
  const rows = await db.query<{ code: string; practises_pairing: boolean }>('SELECT code, practises_pairing FROM county_group ORDER BY code');
  expect(Object.fromEntries(rows.rows.map((r) => [r.code, r.practises_pairing]))).toEqual({
    [groups.PAIRS]: true,
    [groups.NONE]: false,
    [groups.SYNTH]: false,
    [groups.HK]: true,
    // A declared pair, even on a flow since cancelled: the group's system records pairing.
    [groups.CANCELLED]: true,
  });
});
