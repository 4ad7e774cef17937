// The migration that makes external partners members of no group moves the rows a database already
// holds: each EXTERNAL row gets a partnership with its former group and that group's prefecture as its
// region, provenance comes from `invented` and the group's source article, and afterwards the CHECK
// constraint refuses a partner with a group or a member without one.
import { PGlite } from '@electric-sql/pglite';
import { applyMigrationsBefore, applyMigrationsFrom, migrationNamed } from '../support/migrations';

const MIGRATION = migrationNamed('structure_partners_provenance');

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await applyMigrationsBefore(db, MIGRATION);
});
afterAll(() => db?.close());

const institution = (code: string, kind: string, level: number, group: string, invented: boolean) =>
  `INSERT INTO institution (code, name, kind, level, group_code, invented, updated_at) VALUES ('${code}', '${code}', '${kind}', ${level}, '${group}', ${invented}, now())`;

test('existing partners move out of their group; provenance follows invented and the source article; the rule holds afterwards', async () => {
  await db.exec(`
    INSERT INTO region (code, name, level) VALUES ('420000', '湖北省', 'PROVINCE');
    INSERT INTO region (code, name, level, parent_code) VALUES ('420300', '十堰市', 'PREFECTURE', '420000');
    INSERT INTO region (code, name, level, parent_code) VALUES ('420322', '郧西县', 'COUNTY', '420300');
    INSERT INTO county_group (code, name, region_code, prefecture_code, province_code, source_article, updated_at)
      VALUES ('G-ART', 'with article', '420322', '420300', '420000', '003.txt', now()),
             ('G-SYS', 'from a source system', '420322', '420300', '420000', NULL, now());
    ${institution('A-L01', 'LEAD_HOSPITAL', 3, 'G-ART', false)};
    ${institution('A-T01', 'TOWNSHIP_HEALTH_CENTER', 2, 'G-ART', true)};
    ${institution('A-E01', 'EXTERNAL', 4, 'G-ART', false)};
    ${institution('S-L01', 'LEAD_HOSPITAL', 3, 'G-SYS', false)};
    ${institution('S-E01', 'EXTERNAL', 4, 'G-SYS', false)};
  `);
  await applyMigrationsFrom(db, MIGRATION, MIGRATION);

  const rows = await db.query<{ code: string; group_code: string | null; region_code: string | null; provenance: string; article: string | null }>(
    'SELECT code, group_code, region_code, provenance::text AS provenance, article FROM institution ORDER BY code',
  );
  expect(rows.rows).toEqual([
    { code: 'A-E01', group_code: null, region_code: '420300', provenance: 'ARTICLE', article: '003.txt' },
    { code: 'A-L01', group_code: 'G-ART', region_code: null, provenance: 'ARTICLE', article: '003.txt' },
    { code: 'A-T01', group_code: 'G-ART', region_code: null, provenance: 'INVENTED', article: '003.txt' },
    { code: 'S-E01', group_code: null, region_code: '420300', provenance: 'SOURCE_SYSTEM', article: null },
    { code: 'S-L01', group_code: 'G-SYS', region_code: null, provenance: 'SOURCE_SYSTEM', article: null },
  ]);
  const partnerships = await db.query('SELECT group_code, institution_code FROM partnership ORDER BY 1');
  expect(partnerships.rows).toEqual([
    { group_code: 'G-ART', institution_code: 'A-E01' },
    { group_code: 'G-SYS', institution_code: 'S-E01' },
  ]);
  const groups = await db.query('SELECT code, provenance::text AS provenance, article FROM county_group ORDER BY code');
  expect(groups.rows).toEqual([
    { code: 'G-ART', provenance: 'ARTICLE', article: '003.txt' },
    { code: 'G-SYS', provenance: 'SOURCE_SYSTEM', article: null },
  ]);

  // A partner with a group, a partner without a region, a member without a group: refused.
  const insert = (values: string) => db.exec(`INSERT INTO institution (code, name, kind, level, group_code, region_code, updated_at) VALUES ${values}`);
  await expect(insert(`('X1', 'x', 'EXTERNAL', 4, 'G-ART', '420300', now())`)).rejects.toThrow(/institution_partner_has_no_group/);
  await expect(insert(`('X2', 'x', 'EXTERNAL', 4, NULL, NULL, now())`)).rejects.toThrow(/institution_partner_has_no_group/);
  await expect(insert(`('X3', 'x', 'LEAD_HOSPITAL', 3, NULL, NULL, now())`)).rejects.toThrow(/institution_partner_has_no_group/);
  await expect(insert(`('X4', 'x', 'LEAD_HOSPITAL', 3, 'G-ART', '420300', now())`)).rejects.toThrow(/institution_partner_has_no_group/);
  await insert(`('X5', 'x', 'EXTERNAL', 4, NULL, '420300', now())`);
});
