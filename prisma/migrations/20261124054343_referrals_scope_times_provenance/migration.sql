-- Referrals (#9): out-of-county referrals (an EXTERNAL end) are reported apart from in-group upward and
-- downward; first contact and admission times (the green channel); provenance. Existing rows stay
-- valid: out_of_county is set from the kinds of their ends (read from institution here only, in the
-- migration), and the rows an earlier demo seed wrote under its own source names get the provenance
-- the demo now gives them (a real source system never writes under these names in a demo group).
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

-- Backfill: the earlier demo seed's rows.
UPDATE "referral" SET "provenance" = 'SYNTHETIC', "provenance_note" = 'Generated demo activity (seeded before provenance was recorded)'
WHERE "source" = 'demo-synthetic' AND "group_code" LIKE 'YGT-%';
UPDATE "referral" SET "provenance" = 'INVENTED', "article" = '004_993314f26d1d3f19.txt',
  "provenance_note" = 'Stands for the article''s 130余 upward referrals; patients and times invented (seeded before provenance was recorded)'
WHERE "source" = 'hk-referral-platform' AND "group_code" = 'YGT-610902-HK';
