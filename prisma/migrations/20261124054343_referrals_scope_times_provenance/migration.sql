-- Referrals (#9): out-of-county referrals (an EXTERNAL end) are reported apart from in-group upward and
-- downward; first contact and admission times (the green channel); provenance. Existing rows stay
-- valid: out_of_county is set from the kinds of their ends (read from institution here only, in the
-- migration), and the rows an earlier demo seed wrote get the provenance the demo now gives them. A
-- demo row is told by how the seed wrote it, not by its source name alone (a real platform may write
-- as "hk-referral-platform"): the seed set created_at = updated_at = the row's latest step time, while
-- every API write sets updated_at to the moment it is written (created_at, for an API create, is the
-- database's transaction time), so a row created or moved through the API keeps SOURCE_SYSTEM.
-- AlterTable
ALTER TABLE "referral" ADD COLUMN     "admitted_at" TIMESTAMPTZ(3),
ADD COLUMN     "article" TEXT,
ADD COLUMN     "first_contact_at" TIMESTAMPTZ(3),
ADD COLUMN     "out_of_county" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
ADD COLUMN     "provenance_note" TEXT;

-- Backfill: a referral with an EXTERNAL end is out-of-county (县外转诊).
UPDATE "referral" r SET "out_of_county" = true
WHERE EXISTS (SELECT 1 FROM "institution" i WHERE i."kind" = 'EXTERNAL' AND i."code" IN (r."from_code", r."to_code"));

-- Backfill: the earlier demo seed's rows, untouched since the seed wrote them.
UPDATE "referral" SET "provenance" = 'SYNTHETIC', "provenance_note" = 'Generated demo activity (seeded before provenance was recorded)'
WHERE "source" = 'demo-synthetic' AND "group_code" LIKE 'YGT-%'
  AND "updated_at" = "created_at"
  AND "created_at" = GREATEST("requested_at", "accepted_at", "arrived_at", "completed_at", "rejected_at", "cancelled_at");
UPDATE "referral" SET "provenance" = 'INVENTED', "article" = '004_993314f26d1d3f19.txt',
  "provenance_note" = 'Stands for the article''s 130余 upward referrals; patients and times invented (seeded before provenance was recorded)'
WHERE "source" = 'hk-referral-platform' AND "group_code" = 'YGT-610902-HK'
  AND "updated_at" = "created_at"
  AND "created_at" = GREATEST("requested_at", "accepted_at", "arrived_at", "completed_at", "rejected_at", "cancelled_at");
