-- A source belongs to its group: records are keyed by (group, source, externalId), so two groups may
-- use the same source name and ids. Existing rows keep their keys (unique per source, so per group too).

-- DropIndex
DROP INDEX "personnel_flow_source_external_id_key";

-- DropIndex
DROP INDEX "personnel_flow_source_paired_external_id_idx";

-- DropIndex
DROP INDEX "referral_source_external_id_key";

-- DropIndex
DROP INDEX "staff_source_external_id_key";

-- CreateIndex
CREATE INDEX "personnel_flow_group_code_source_paired_external_id_idx" ON "personnel_flow"("group_code", "source", "paired_external_id");

-- CreateIndex
CREATE UNIQUE INDEX "personnel_flow_group_code_source_external_id_key" ON "personnel_flow"("group_code", "source", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "referral_group_code_source_external_id_key" ON "referral"("group_code", "source", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "staff_group_code_source_external_id_key" ON "staff"("group_code", "source", "external_id");
