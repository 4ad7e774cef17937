-- CreateEnum
CREATE TYPE "StaffTitle" AS ENUM ('SENIOR', 'ASSOCIATE_SENIOR', 'INTERMEDIATE', 'JUNIOR', 'NONE');

-- CreateEnum
CREATE TYPE "Profession" AS ENUM ('PHYSICIAN', 'NURSE', 'TECHNICIAN', 'PHARMACIST', 'MANAGER', 'OTHER');

-- CreateEnum
CREATE TYPE "PersonnelFlowKind" AS ENUM ('STATIONED', 'PERIODIC', 'AD_HOC', 'DEPUTY_HEAD', 'CLINIC_SESSION', 'NURSE_POSTING', 'TRAINING', 'SECONDMENT');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('UPWARD', 'DOWNWARD', 'LATERAL');

-- CreateTable
CREATE TABLE "staff" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" "StaffTitle" NOT NULL DEFAULT 'NONE',
    "profession" "Profession" NOT NULL DEFAULT 'OTHER',
    "home_code" TEXT NOT NULL,
    "group_code" TEXT NOT NULL,
    "phone" TEXT,
    "id_number_masked" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "personnel_flow" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "group_code" TEXT NOT NULL,
    "from_code" TEXT NOT NULL,
    "to_code" TEXT NOT NULL,
    "direction" "Direction" NOT NULL,
    "kind" "PersonnelFlowKind" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,
    "paired_external_id" TEXT,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "personnel_flow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_group_code_idx" ON "staff"("group_code");

-- CreateIndex
CREATE UNIQUE INDEX "staff_source_external_id_key" ON "staff"("source", "external_id");

-- CreateIndex
CREATE INDEX "personnel_flow_source_paired_external_id_idx" ON "personnel_flow"("source", "paired_external_id");

-- CreateIndex
CREATE INDEX "personnel_flow_group_code_start_date_idx" ON "personnel_flow"("group_code", "start_date");

-- CreateIndex
CREATE INDEX "personnel_flow_to_code_start_date_idx" ON "personnel_flow"("to_code", "start_date");

-- CreateIndex
CREATE INDEX "personnel_flow_from_code_start_date_idx" ON "personnel_flow"("from_code", "start_date");

-- CreateIndex
CREATE INDEX "personnel_flow_staff_id_start_date_idx" ON "personnel_flow"("staff_id", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "personnel_flow_source_external_id_key" ON "personnel_flow"("source", "external_id");

-- AddForeignKey
ALTER TABLE "personnel_flow" ADD CONSTRAINT "personnel_flow_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
