-- A group says whether it practises pairing (派一送一); only then has it a pairing rate (null otherwise).
-- AlterTable
ALTER TABLE "county_group" ADD COLUMN     "practises_pairing" BOOLEAN NOT NULL DEFAULT false;
