-- A group says whether it practises pairing (派一送一); only then has it a pairing rate (null otherwise).
-- It is the group's configuration: the demo seed sets it from the article, and no API writes groups
-- yet. An existing group practises pairing when its personnel system has declared a pair (a flow with
-- paired_external_id); otherwise every group would lose its rate on upgrade with nothing to turn it
-- back on. The earlier demo seed's synthetic year (source demo-hr-<group>, keys starting with the
-- year) paired about half its flows in every group: that is not a group's practice, so it is left out
-- (恒口's article pairs, HK-2023-…, are kept).
-- AlterTable
ALTER TABLE "county_group" ADD COLUMN     "practises_pairing" BOOLEAN NOT NULL DEFAULT false;

UPDATE "county_group" AS g SET "practises_pairing" = true
WHERE EXISTS (
  SELECT 1 FROM "personnel_flow" AS f
  WHERE f."group_code" = g."code" AND f."paired_external_id" IS NOT NULL
    AND NOT (f."source" = 'demo-hr-' || lower(f."group_code") AND f."external_id" ~ '^[0-9]{4}-')
);
