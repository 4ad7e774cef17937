-- Partners are not members, and structure rows say where they come from (issue #9).
--
-- 1. An EXTERNAL institution (上级医院) belongs to no group: institution.group_code becomes NULL for
--    it, and the new table partnership(group_code, institution_code) links it to every group it
--    partners with. A partner carries its own region (institution.region_code); members have none
--    (they are in their group's region). Existing EXTERNAL rows are moved: one partnership from their
--    group_code, and their group's prefecture as their region (the closest region we know; an
--    operator corrects it where the partner lies elsewhere). Two EXTERNAL rows of the same hospital in
--    two groups stay two institutions: other tables name their codes.
--    A CHECK constraint holds the rule: group_code IS NULL and region_code IS NOT NULL exactly for
--    kind EXTERNAL.
-- 2. Provenance columns on county_group and institution. Existing rows: an institution with
--    invented = true becomes INVENTED; otherwise ARTICLE (article = its group's source_article) when
--    its group names a source article, else SOURCE_SYSTEM. A group is ARTICLE when it names a source
--    article, else SOURCE_SYSTEM. Partnerships take their partner's provenance. The `invented` column
--    goes: the API derives `invented` from provenance = INVENTED.

-- AlterTable
ALTER TABLE "county_group" ADD COLUMN     "article" TEXT,
ADD COLUMN     "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
ADD COLUMN     "provenance_note" TEXT;

UPDATE "county_group" SET "provenance" = 'ARTICLE', "article" = "source_article" WHERE "source_article" IS NOT NULL;

-- AlterTable
ALTER TABLE "institution" ADD COLUMN     "article" TEXT,
ADD COLUMN     "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
ADD COLUMN     "provenance_note" TEXT,
ADD COLUMN     "region_code" TEXT,
ALTER COLUMN "group_code" DROP NOT NULL;

UPDATE "institution" i SET
  "provenance" = CASE WHEN i."invented" THEN 'INVENTED'::"Provenance" WHEN g."source_article" IS NOT NULL THEN 'ARTICLE'::"Provenance" ELSE 'SOURCE_SYSTEM'::"Provenance" END,
  "article" = g."source_article",
  "provenance_note" = CASE WHEN i."invented" THEN 'name invented (demo data)' END
FROM "county_group" g
WHERE g."code" = i."group_code";

-- CreateTable
CREATE TABLE "partnership" (
    "group_code" TEXT NOT NULL,
    "institution_code" TEXT NOT NULL,
    "provenance" "Provenance" NOT NULL DEFAULT 'SOURCE_SYSTEM',
    "article" TEXT,
    "provenance_note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partnership_pkey" PRIMARY KEY ("group_code","institution_code")
);

-- Move the existing partners out of their group.
INSERT INTO "partnership" ("group_code", "institution_code", "provenance", "article", "provenance_note")
SELECT i."group_code", i."code", i."provenance", i."article", i."provenance_note"
FROM "institution" i
WHERE i."kind" = 'EXTERNAL';

-- The prefecture where the region table holds it, else the group's own county (always there: a foreign key).
UPDATE "institution" i
SET "region_code" = COALESCE((SELECT r."code" FROM "region" r WHERE r."code" = g."prefecture_code"), g."region_code"), "group_code" = NULL
FROM "county_group" g
WHERE g."code" = i."group_code" AND i."kind" = 'EXTERNAL';

ALTER TABLE "institution" DROP COLUMN "invented";

ALTER TABLE "institution" ADD CONSTRAINT "institution_partner_has_no_group" CHECK (
  ("kind" = 'EXTERNAL' AND "group_code" IS NULL AND "region_code" IS NOT NULL)
  OR ("kind" <> 'EXTERNAL' AND "group_code" IS NOT NULL AND "region_code" IS NULL)
);

-- CreateIndex
CREATE INDEX "partnership_institution_code_idx" ON "partnership"("institution_code");

-- CreateIndex
CREATE INDEX "institution_region_code_idx" ON "institution"("region_code");

-- AddForeignKey
ALTER TABLE "institution" ADD CONSTRAINT "institution_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partnership" ADD CONSTRAINT "partnership_group_code_fkey" FOREIGN KEY ("group_code") REFERENCES "county_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partnership" ADD CONSTRAINT "partnership_institution_code_fkey" FOREIGN KEY ("institution_code") REFERENCES "institution"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
