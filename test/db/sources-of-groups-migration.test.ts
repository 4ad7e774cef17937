// The migration that keys records by (group, source, externalId) keeps the rows a database already
// holds, and from then on lets two groups use the same source and ids while one group still cannot.
import { PGlite } from '@electric-sql/pglite';
import { applyMigrationsBefore, applyMigrationsFrom, migrationNamed } from '../support/migrations';

const MIGRATION = migrationNamed('sources_of_groups');

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await applyMigrationsBefore(db, MIGRATION);
});
afterAll(() => db?.close());

const staff = (group: string, id: string) =>
  `INSERT INTO staff (source, external_id, name, home_code, group_code, updated_at) VALUES ('hr', '${id}', '某', 'L', '${group}', now())`;
const flow = (group: string, id: string, staffId: number) =>
  `INSERT INTO personnel_flow (source, external_id, staff_id, group_code, from_code, to_code, direction, kind, start_date, content_hash, updated_at)
   VALUES ('hr', '${id}', ${staffId}, '${group}', 'L', 'T', 'DOWNWARD', 'STATIONED', '2024-01-01', 'h', now())`;
const referral = (group: string, id: string) =>
  `INSERT INTO referral (source, external_id, patient_ref, group_code, from_code, to_code, direction, urgency, requested_at, content_hash)
   VALUES ('his', '${id}', 'P', '${group}', 'T', 'L', 'UPWARD', 'ROUTINE', now(), 'h')`;

test('existing rows are kept; afterwards keys are unique per group only', async () => {
  await db.exec(staff('G1', 'S-1'));
  await db.exec(flow('G1', 'F-1', 1));
  await db.exec(referral('G1', 'R-1'));
  await applyMigrationsFrom(db, MIGRATION, MIGRATION);
  const counts = await db.query<{ staff: number; flows: number; referrals: number }>(
    `SELECT (SELECT count(*) FROM staff)::int AS staff, (SELECT count(*) FROM personnel_flow)::int AS flows, (SELECT count(*) FROM referral)::int AS referrals`,
  );
  expect(counts.rows[0]).toEqual({ staff: 1, flows: 1, referrals: 1 });

  // Another group: the same source and ids are its own records.
  await db.exec(staff('G2', 'S-1'));
  await db.exec(flow('G2', 'F-1', 2));
  await db.exec(referral('G2', 'R-1'));
  // The same group: still one record per key.
  await expect(db.exec(staff('G1', 'S-1'))).rejects.toThrow(/unique/);
  await expect(db.exec(flow('G1', 'F-1', 1))).rejects.toThrow(/unique/);
  await expect(db.exec(referral('G1', 'R-1'))).rejects.toThrow(/unique/);
});
