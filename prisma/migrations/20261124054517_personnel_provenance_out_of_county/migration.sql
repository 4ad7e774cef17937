-- Personnel (#9): records say where they come from (provenance, article, provenance_note; rows written
-- through the API are SOURCE_SYSTEM, the default), and a flow with an external partner at one end is
-- out-of-county, reported apart from in-group flows. The flag is stored as direction is (written with
-- the record); existing flows are marked from their ends here (institution is read in this migration
-- only), so that no stored row keeps counting as in-group upward or downward. The rows an earlier demo
-- seed wrote under its own source names (demo-hr-<group>) get the provenance the demo now gives them,
-- unless a source system changed them after the seed: those are its records (SOURCE_SYSTEM), as the
-- recorder makes any demo row a source system sends again. The demo loader wrote its rows with
-- createMany, which stores created_at = updated_at; every API write since (the recorder's UPDATE) set
-- updated_at to the time of that write, so an untouched demo row is one whose updated_at is still its
-- created_at (a second's margin).
-- AlterTable
ALTER TABLE "personnel_flow" ADD COLUMN     "article" TEXT,
ADD COLUMN     "out_of_county" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
ADD COLUMN     "provenance_note" TEXT;

-- AlterTable
ALTER TABLE "staff" ADD COLUMN     "article" TEXT,
ADD COLUMN     "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
ADD COLUMN     "provenance_note" TEXT;

-- Existing flows with an external end are out-of-county.
UPDATE "personnel_flow" AS f SET "out_of_county" = true
WHERE EXISTS (SELECT 1 FROM "institution" AS i WHERE i.code IN (f.from_code, f.to_code) AND i.kind = 'EXTERNAL');

-- Backfill: the earlier demo seed's rows (its synthetic year's keys start with the year; the others stand
-- for the articles' figures, with invented people and dates).
UPDATE "personnel_flow" SET "provenance" = 'SYNTHETIC', "provenance_note" = 'Generated demo activity (seeded before provenance was recorded)'
WHERE "source" = 'demo-hr-' || lower("group_code") AND "external_id" ~ '^[0-9]{4}-'
  AND "updated_at" <= "created_at" + interval '1 second';
UPDATE "personnel_flow" SET "provenance" = 'INVENTED',
  "article" = CASE "group_code" WHEN 'YGT-340621-SX' THEN '000_7506de6db5ea0861.txt' WHEN 'YGT-420322-YX' THEN '003_02c43f90991c12c3.txt' WHEN 'YGT-610902-HK' THEN '004_993314f26d1d3f19.txt' END,
  "provenance_note" = 'Stands for the article''s figure; people and dates invented (seeded before provenance was recorded)'
WHERE "source" = 'demo-hr-' || lower("group_code") AND "external_id" !~ '^[0-9]{4}-'
  AND "group_code" IN ('YGT-340621-SX', 'YGT-420322-YX', 'YGT-610902-HK')
  AND "updated_at" <= "created_at" + interval '1 second';
UPDATE "staff" s SET "provenance" = f."provenance", "article" = f."article", "provenance_note" = f."provenance_note"
FROM "personnel_flow" f
WHERE f."staff_id" = s."id" AND f."source" = 'demo-hr-' || lower(f."group_code") AND f."provenance" <> 'SOURCE_SYSTEM'
  -- A person a source system has written, or sent any flow of, is its record.
  AND s."updated_at" <= s."created_at" + interval '1 second'
  AND NOT EXISTS (SELECT 1 FROM "personnel_flow" AS g WHERE g."staff_id" = s."id" AND g."provenance" = 'SOURCE_SYSTEM');
