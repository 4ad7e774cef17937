-- Personnel records say where they come from (provenance, article, provenance_note; existing rows were
-- written through the API: SOURCE_SYSTEM, the default), and a flow with an external partner at one end
-- is out-of-county, reported apart from in-group flows. The flag is stored as direction is (written
-- with the record); existing flows are marked from their ends here, so that no stored row keeps
-- counting as in-group upward or downward.
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
