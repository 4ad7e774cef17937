-- CreateEnum
CREATE TYPE "RegionLevel" AS ENUM ('PROVINCE', 'PREFECTURE', 'COUNTY');

-- CreateEnum
CREATE TYPE "UnifiedDimension" AS ENUM ('ADMINISTRATION', 'PERSONNEL', 'FINANCE', 'PERFORMANCE', 'MEDICAL_SERVICES', 'PUBLIC_HEALTH', 'MEDICINES_AND_DEVICES', 'INFORMATION_SYSTEMS');

-- CreateEnum
CREATE TYPE "InstitutionKind" AS ENUM ('LEAD_HOSPITAL', 'COUNTY_HOSPITAL', 'TOWNSHIP_HEALTH_CENTER', 'VILLAGE_CLINIC', 'EXTERNAL');

-- CreateTable
CREATE TABLE "region" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parent_code" TEXT,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "county_group" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "prefecture_code" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "lead_code" TEXT,
    "unified_dimensions" "UnifiedDimension"[],
    "declared_dimension_count" INTEGER,
    "time_zone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "since" TEXT,
    "source_article" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "county_group_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "institution" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "InstitutionKind" NOT NULL,
    "level" INTEGER NOT NULL,
    "group_code" TEXT NOT NULL,
    "parent_code" TEXT,
    "invented" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "institution_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "region_parent_code_idx" ON "region"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "county_group_lead_code_key" ON "county_group"("lead_code");

-- CreateIndex
CREATE INDEX "county_group_province_code_idx" ON "county_group"("province_code");

-- CreateIndex
CREATE INDEX "county_group_prefecture_code_idx" ON "county_group"("prefecture_code");

-- CreateIndex
CREATE INDEX "county_group_region_code_idx" ON "county_group"("region_code");

-- CreateIndex
CREATE INDEX "institution_group_code_kind_code_idx" ON "institution"("group_code", "kind", "code");

-- CreateIndex
CREATE INDEX "institution_parent_code_code_idx" ON "institution"("parent_code", "code");

-- AddForeignKey
ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "county_group" ADD CONSTRAINT "county_group_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "institution" ADD CONSTRAINT "institution_group_code_fkey" FOREIGN KEY ("group_code") REFERENCES "county_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "institution" ADD CONSTRAINT "institution_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "institution"("code") ON DELETE SET NULL ON UPDATE CASCADE;
