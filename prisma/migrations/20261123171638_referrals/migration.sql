-- CreateEnum
CREATE TYPE "ReferralUrgency" AS ENUM ('ROUTINE', 'URGENT', 'GREEN_CHANNEL');

-- CreateEnum
CREATE TYPE "ReferralChannel" AS ENUM ('REMOTE_ECG', 'REMOTE_IMAGING', 'ONLINE_PLATFORM', 'PHONE');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('REQUESTED', 'ACCEPTED', 'ARRIVED', 'COMPLETED', 'REJECTED', 'CANCELLED');

-- CreateTable
CREATE TABLE "referral" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "patient_ref" TEXT NOT NULL,
    "group_code" TEXT NOT NULL,
    "from_code" TEXT NOT NULL,
    "to_code" TEXT NOT NULL,
    "direction" "Direction" NOT NULL,
    "urgency" "ReferralUrgency" NOT NULL,
    "channel" "ReferralChannel",
    "reason" TEXT,
    "diagnosis_code" TEXT,
    "status" "ReferralStatus" NOT NULL DEFAULT 'REQUESTED',
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "arrived_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "rejected_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "referral_group_code_requested_at_idx" ON "referral"("group_code", "requested_at");

-- CreateIndex
CREATE INDEX "referral_from_code_requested_at_idx" ON "referral"("from_code", "requested_at");

-- CreateIndex
CREATE INDEX "referral_to_code_requested_at_idx" ON "referral"("to_code", "requested_at");

-- CreateIndex
CREATE INDEX "referral_group_code_id_idx" ON "referral"("group_code", "id");

-- CreateIndex
CREATE UNIQUE INDEX "referral_source_external_id_key" ON "referral"("source", "external_id");
