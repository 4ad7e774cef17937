// The migration that adds provenance and out_of_county to the personnel tables keeps the rows a
// database holds valid: a flow with an external end becomes out-of-county (it must stop counting as
// the group's upward or downward), API rows stay SOURCE_SYSTEM, and an earlier demo seed's rows (and
// their people) get the provenance the demo now gives them, unless a source system changed them after the
// seed.
import { PGlite } from '@electric-sql/pglite';
import { FIRST_OF_9, applyMigrationsBefore, applyMigrationsFrom, migrationNamed } from '../support/migrations';

const MIGRATION = migrationNamed('personnel_provenance_out_of_county');

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await applyMigrationsBefore(db, FIRST_OF_9);
});
afterAll(() => db?.close());

const YX = 'YGT-420322-YX';

test('existing flows: out_of_county from the kinds of the ends; provenance SOURCE_SYSTEM, demo rows their own unless changed through the API', async () => {
  await db.exec(`
    INSERT INTO region (code, name, level) VALUES ('420322', '郧西县', 'COUNTY');
    INSERT INTO county_group (code, name, region_code, prefecture_code, province_code, updated_at) VALUES ('${YX}', '郧西', '420322', '420300', '420000', now());
    INSERT INTO institution (code, name, kind, level, group_code, updated_at) VALUES
      ('L01', '县医院', 'LEAD_HOSPITAL', 3, '${YX}', now()),
      ('T01', '分院', 'TOWNSHIP_HEALTH_CENTER', 2, '${YX}', now()),
      ('E01', '协和', 'EXTERNAL', 4, '${YX}', now());`);
  const person = async (source: string, id: string) =>
    (await db.query<{ id: number }>(`INSERT INTO staff (source, external_id, name, home_code, group_code, updated_at) VALUES ('${source}', '${id}', '某', 'L01', '${YX}', now()) RETURNING id`)).rows[0].id;
  const flow = async (source: string, id: string, from: string, to: string, direction: string, kind: string) =>
    db.exec(`INSERT INTO personnel_flow (source, external_id, staff_id, group_code, from_code, to_code, direction, kind, start_date, content_hash, updated_at)
      VALUES ('${source}', '${id}', ${await person(source, `S-${id}`)}, '${YX}', '${from}', '${to}', '${direction}', '${kind}', '2024-01-01', 'h', now())`);
  await flow('hr', 'DOWN', 'L01', 'T01', 'DOWNWARD', 'STATIONED');
  await flow('hr', 'TO-XIEHE', 'L01', 'E01', 'UPWARD', 'TRAINING');
  await flow('hr', 'FROM-XIEHE', 'E01', 'L01', 'DOWNWARD', 'CLINIC_SESSION');
  await flow(`demo-hr-${YX.toLowerCase()}`, 'YX-2021-EXPERT-1', 'L01', 'T01', 'DOWNWARD', 'CLINIC_SESSION');
  await flow(`demo-hr-${YX.toLowerCase()}`, '2025-T1-DOWN-1', 'L01', 'T01', 'DOWNWARD', 'PERIODIC');
  // Demo rows a source system changed through the API after the seed (the old recorder's UPDATE moved
  // updated_at; the demo loader's createMany stored created_at = updated_at): they are its records now.
  await flow(`demo-hr-${YX.toLowerCase()}`, 'YX-2021-EXPERT-2', 'L01', 'T01', 'DOWNWARD', 'CLINIC_SESSION');
  await flow(`demo-hr-${YX.toLowerCase()}`, '2025-T1-DOWN-2', 'L01', 'T01', 'DOWNWARD', 'PERIODIC');
  await db.exec(`UPDATE personnel_flow SET end_date = '2024-06-30', updated_at = created_at + interval '3 days' WHERE external_id IN ('YX-2021-EXPERT-2', '2025-T1-DOWN-2')`);
  // A demo person the source system rewrote (its flow untouched) is its record too.
  await flow(`demo-hr-${YX.toLowerCase()}`, 'YX-2021-EXPERT-3', 'L01', 'T01', 'DOWNWARD', 'CLINIC_SESSION');
  await db.exec(`UPDATE staff SET name = '改名', updated_at = created_at + interval '1 day' WHERE external_id = 'S-YX-2021-EXPERT-3'`);

  // The upgrade: every migration of #9 in order, up to this one (the structure one before it makes 协和 a partner).
  await applyMigrationsFrom(db, FIRST_OF_9, MIGRATION);
  const rows = await db.query<{ external_id: string; out_of_county: boolean; provenance: string; article: string | null; staff_provenance: string }>(
    `SELECT f.external_id, f.out_of_county, f.provenance::text, f.article, s.provenance::text AS staff_provenance
     FROM personnel_flow f JOIN staff s ON s.id = f.staff_id ORDER BY f.id`,
  );
  expect(rows.rows.map((r) => [r.external_id, r.out_of_county, r.provenance, r.article, r.staff_provenance])).toEqual([
    ['DOWN', false, 'SOURCE_SYSTEM', null, 'SOURCE_SYSTEM'],
    ['TO-XIEHE', true, 'SOURCE_SYSTEM', null, 'SOURCE_SYSTEM'],
    ['FROM-XIEHE', true, 'SOURCE_SYSTEM', null, 'SOURCE_SYSTEM'],
    ['YX-2021-EXPERT-1', false, 'INVENTED', '003_02c43f90991c12c3.txt', 'INVENTED'],
    ['2025-T1-DOWN-1', false, 'SYNTHETIC', null, 'SYNTHETIC'],
    ['YX-2021-EXPERT-2', false, 'SOURCE_SYSTEM', null, 'SOURCE_SYSTEM'],
    ['2025-T1-DOWN-2', false, 'SOURCE_SYSTEM', null, 'SOURCE_SYSTEM'],
    ['YX-2021-EXPERT-3', false, 'INVENTED', '003_02c43f90991c12c3.txt', 'SOURCE_SYSTEM'],
  ]);
});
