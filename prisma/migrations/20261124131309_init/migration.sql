-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "RegionKind" AS ENUM ('URBAN', 'RURAL', 'NORTHERN');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('PRESCRIBER', 'LINK_WORKER', 'PROGRAM_COORDINATOR', 'DATA_COORDINATOR', 'PRIVACY_OFFICER', 'SITE_ADMIN', 'HEALTH_CHAMPION');

-- CreateEnum
CREATE TYPE "PrescriberKind" AS ENUM ('PHYSICIAN', 'NURSE_PRACTITIONER', 'NURSE', 'OTHER');

-- CreateEnum
CREATE TYPE "Answer" AS ENUM ('YES', 'NO', 'PREFER_NOT_TO_ANSWER');

-- CreateEnum
CREATE TYPE "AgeBand" AS ENUM ('UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_74', 'AGE_75_PLUS', 'PREFER_NOT_TO_ANSWER');

-- CreateEnum
CREATE TYPE "GenderIdentity" AS ENUM ('WOMAN', 'MAN', 'NON_BINARY', 'TWO_SPIRIT', 'TRANSGENDER_WOMAN', 'TRANSGENDER_MAN', 'ANOTHER_IDENTITY', 'PREFER_NOT_TO_ANSWER');

-- CreateEnum
CREATE TYPE "IncomeBand" AS ENUM ('UNDER_20K', 'FROM_20K_TO_40K', 'FROM_40K_TO_60K', 'FROM_60K_TO_100K', 'OVER_100K', 'PREFER_NOT_TO_ANSWER');

-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('EVALUATION_USE', 'PARTNER_SHARING');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('GRANTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "RecordCategory" AS ENUM ('CONTACT', 'SOCIODEMOGRAPHICS', 'NOTES', 'ASSESSMENTS', 'UTILIZATION');

-- CreateEnum
CREATE TYPE "Need" AS ENUM ('SOCIAL_ISOLATION', 'MENTAL_HEALTH', 'PHYSICAL_ACTIVITY', 'LEARNING', 'ARTS_AND_CULTURE', 'NATURE', 'FOOD', 'HOUSING', 'INCOME', 'BEREAVEMENT', 'CAREGIVING', 'NEWCOMER_SETTLEMENT', 'EMPLOYMENT', 'TRANSPORTATION', 'DIGITAL_LITERACY', 'ADDICTION_RECOVERY');

-- CreateEnum
CREATE TYPE "SupportLevel" AS ENUM ('SIGNPOSTING', 'LIGHT', 'MEDIUM', 'HOLISTIC');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('DRAFT', 'REQUESTED', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR');

-- CreateEnum
CREATE TYPE "ReferralOutcome" AS ENUM ('GOT_HELP', 'COULD_NOT_CONTACT', 'NOT_ELIGIBLE', 'NO_CAPACITY', 'NO_LONGER_INTERESTED', 'REFERRED_ELSEWHERE');

-- CreateEnum
CREATE TYPE "ReferralSource" AS ENUM ('SITE', 'PARTNER');

-- CreateEnum
CREATE TYPE "PrescriptionEventKind" AS ENUM ('CREATED', 'STATUS_CHANGED', 'ACTION_RECORDED', 'LINK_WORKER_ASSIGNED', 'ITEM_ADDED', 'ITEM_STATUS_CHANGED');

-- CreateEnum
CREATE TYPE "PrescriptionActionKind" AS ENUM ('CONTACT_ATTEMPT', 'GOAL_SETTING', 'ACCOMPANIMENT', 'FOLLOW_UP', 'CLOSE_OUT');

-- CreateEnum
CREATE TYPE "ContactResult" AS ENUM ('REACHED', 'LEFT_MESSAGE', 'NO_ANSWER', 'WRONG_NUMBER');

-- CreateEnum
CREATE TYPE "PrescriptionItemStatus" AS ENUM ('SUGGESTED', 'ENROLLED', 'ATTENDED', 'STOPPED');

-- CreateEnum
CREATE TYPE "AssetKind" AS ENUM ('GROUP', 'BUSINESS', 'PUBLIC_SPACE', 'INSTITUTION', 'PHYSICAL_STRUCTURE');

-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('SITE', 'NETWORK');

-- CreateEnum
CREATE TYPE "CostLevel" AS ENUM ('FREE', 'LOW_COST', 'SLIDING_SCALE', 'PAID');

-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('ARTS_AND_CULTURE', 'ENVIRONMENT', 'INFORMATION_AND_REFERRAL', 'HEALTH_CARE', 'SOCIAL_SERVICES', 'COMMUNITY_GROUP');

-- CreateEnum
CREATE TYPE "PartnerScope" AS ENUM ('REFERRALS_CREATE', 'REFERRALS_READ', 'PROGRAMS_READ');

-- CreateEnum
CREATE TYPE "ProgramRunner" AS ENUM ('SITE', 'PARTNER', 'HEALTH_CHAMPION');

-- CreateEnum
CREATE TYPE "Instrument" AS ENUM ('UCLA_LONELINESS_3', 'SWEMWBS', 'COMMUNITY_BELONGING', 'SELF_RATED_HEALTH', 'SELF_RATED_MENTAL_HEALTH', 'ONS4');

-- CreateEnum
CREATE TYPE "TimePoint" AS ENUM ('BASELINE', 'MONTH_3', 'MONTH_6', 'CUSTOM');

-- CreateEnum
CREATE TYPE "UtilizationPeriod" AS ENUM ('BEFORE', 'AFTER');

-- CreateEnum
CREATE TYPE "ReadinessItem" AS ENUM ('EXECUTIVE_SUPPORT', 'PROVIDERS_UNDERSTAND_SDOH', 'PROVIDERS_SEE_BENEFITS', 'PROVIDERS_INTERESTED', 'IMPLEMENTATION_TEAM', 'DESIGNATED_LINK_WORKER', 'HEALTH_CHAMPION_CAPACITY', 'INTERNAL_PROGRAMS', 'CONNECTED_TO_LOCAL_RESOURCES', 'COMMUNITY_PARTNER_TABLE', 'CULTURE_OF_INNOVATION', 'DATA_COMMITMENT');

-- CreateEnum
CREATE TYPE "ReadinessAnswer" AS ENUM ('YES', 'PARTLY', 'NO');

-- CreateEnum
CREATE TYPE "PrincipalKind" AS ENUM ('STAFF', 'NETWORK', 'PARTNER');

-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('READ', 'WRITE');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionKind" "RegionKind" NOT NULL,
    "languages" TEXT[],
    "city" TEXT NOT NULL,
    "servesArea" TEXT,
    "founded" INTEGER,
    "pilotStart" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "roles" "StaffRole"[],
    "prescriberKind" "PrescriberKind",
    "email" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Client" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "chartNumber" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "dateOfBirth" DATE,
    "phone" TEXT,
    "email" TEXT,
    "postalCode" TEXT,
    "ageBand" "AgeBand",
    "genderIdentity" "GenderIdentity",
    "preferredLanguage" TEXT,
    "incomeBand" "IncomeBand",
    "racialized" "Answer",
    "indigenous" "Answer",
    "lgbtq2s" "Answer",
    "newcomer" "Answer",
    "livesAlone" "Answer",
    "disability" "Answer",
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientConsent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "partnerId" TEXT,
    "status" "ConsentStatus" NOT NULL,
    "recordedById" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "ClientConsent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientLock" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "category" "RecordCategory" NOT NULL,
    "allowedStaffIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMP(3),

    CONSTRAINT "ClientLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SocialPrescription" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "prescriberId" TEXT,
    "linkWorkerId" TEXT,
    "needs" "Need"[],
    "supportLevel" "SupportLevel" NOT NULL,
    "goals" TEXT[],
    "interests" TEXT[],
    "gifts" TEXT[],
    "notes" TEXT,
    "source" "ReferralSource" NOT NULL DEFAULT 'SITE',
    "referringPartnerId" TEXT,
    "referringSubject" TEXT,
    "status" "ReferralStatus" NOT NULL DEFAULT 'REQUESTED',
    "outcome" "ReferralOutcome",
    "statusReason" TEXT,
    "referredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SocialPrescription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrescriptionEvent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "prescriptionId" TEXT NOT NULL,
    "kind" "PrescriptionEventKind" NOT NULL,
    "fromStatus" "ReferralStatus",
    "toStatus" "ReferralStatus",
    "action" "PrescriptionActionKind",
    "contactResult" "ContactResult",
    "note" TEXT,
    "actorSubject" TEXT NOT NULL,
    "actorKind" "PrincipalKind" NOT NULL,
    "actorStaffId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrescriptionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrescriptionItem" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "prescriptionId" TEXT NOT NULL,
    "programId" TEXT,
    "assetId" TEXT,
    "status" "PrescriptionItemStatus" NOT NULL DEFAULT 'SUGGESTED',
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PrescriptionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityAsset" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AssetKind" NOT NULL,
    "categories" "Need"[],
    "description" TEXT,
    "address" TEXT,
    "city" TEXT,
    "postalCode" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "phone" TEXT,
    "email" TEXT,
    "website" TEXT,
    "cost" "CostLevel" NOT NULL DEFAULT 'FREE',
    "costNote" TEXT,
    "languages" TEXT[],
    "accessibility" TEXT[],
    "visibility" "Visibility" NOT NULL DEFAULT 'SITE',
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityAsset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerOrganization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PartnerKind" NOT NULL,
    "isHealthCustodian" BOOLEAN NOT NULL DEFAULT false,
    "website" TEXT,
    "description" TEXT,
    "addedByTenantId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerOrganization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Partnership" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "scopes" "PartnerScope"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "startedOn" DATE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Partnership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Program" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "runBy" "ProgramRunner" NOT NULL,
    "partnerId" TEXT,
    "healthChampionId" TEXT,
    "needs" "Need"[],
    "schedule" TEXT,
    "capacity" INTEGER,
    "languages" TEXT[],
    "cost" "CostLevel" NOT NULL DEFAULT 'FREE',
    "location" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthChampion" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "clientId" TEXT,
    "gifts" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "since" DATE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HealthChampion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutcomeAssessment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "prescriptionId" TEXT,
    "instrument" "Instrument" NOT NULL,
    "timePoint" "TimePoint" NOT NULL,
    "timePointLabel" TEXT,
    "items" INTEGER[],
    "score" DOUBLE PRECISION,
    "assessedAt" DATE NOT NULL,
    "enteredById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutcomeAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UtilizationRecord" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "prescriptionId" TEXT NOT NULL,
    "period" "UtilizationPeriod" NOT NULL,
    "months" INTEGER NOT NULL,
    "primaryCareVisits" INTEGER NOT NULL,
    "emergencyVisits" INTEGER NOT NULL,
    "extractedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UtilizationRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadinessAssessment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "assessedOn" DATE NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReadinessAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadinessResponse" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "item" "ReadinessItem" NOT NULL,
    "answer" "ReadinessAnswer" NOT NULL,
    "note" TEXT,

    CONSTRAINT "ReadinessResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT,
    "action" "AuditAction" NOT NULL,
    "categories" TEXT[],
    "actorSubject" TEXT NOT NULL,
    "actorKind" "PrincipalKind" NOT NULL,
    "actorRoles" TEXT[],
    "partnerId" TEXT,
    "operationName" TEXT,
    "documentHash" TEXT,
    "requestId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_tenantId_id_key" ON "StaffMember"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_tenantId_subject_key" ON "StaffMember"("tenantId", "subject");

-- CreateIndex
CREATE INDEX "Client_tenantId_familyName_givenName_idx" ON "Client"("tenantId", "familyName", "givenName");

-- CreateIndex
CREATE UNIQUE INDEX "Client_tenantId_id_key" ON "Client"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Client_tenantId_chartNumber_key" ON "Client"("tenantId", "chartNumber");

-- CreateIndex
CREATE INDEX "ClientConsent_tenantId_clientId_kind_recordedAt_idx" ON "ClientConsent"("tenantId", "clientId", "kind", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClientConsent_tenantId_id_key" ON "ClientConsent"("tenantId", "id");

-- CreateIndex
CREATE INDEX "ClientLock_tenantId_clientId_idx" ON "ClientLock"("tenantId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ClientLock_tenantId_id_key" ON "ClientLock"("tenantId", "id");

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_status_idx" ON "SocialPrescription"("tenantId", "status");

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_referredAt_idx" ON "SocialPrescription"("tenantId", "referredAt");

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_clientId_idx" ON "SocialPrescription"("tenantId", "clientId");

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_linkWorkerId_idx" ON "SocialPrescription"("tenantId", "linkWorkerId");

-- CreateIndex
CREATE INDEX "SocialPrescription_referringPartnerId_idx" ON "SocialPrescription"("referringPartnerId");

-- CreateIndex
CREATE UNIQUE INDEX "SocialPrescription_tenantId_id_key" ON "SocialPrescription"("tenantId", "id");

-- CreateIndex
CREATE INDEX "PrescriptionEvent_tenantId_prescriptionId_occurredAt_idx" ON "PrescriptionEvent"("tenantId", "prescriptionId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "PrescriptionEvent_tenantId_id_key" ON "PrescriptionEvent"("tenantId", "id");

-- CreateIndex
CREATE INDEX "PrescriptionItem_tenantId_prescriptionId_idx" ON "PrescriptionItem"("tenantId", "prescriptionId");

-- CreateIndex
CREATE INDEX "PrescriptionItem_programId_idx" ON "PrescriptionItem"("programId");

-- CreateIndex
CREATE INDEX "PrescriptionItem_assetId_idx" ON "PrescriptionItem"("assetId");

-- CreateIndex
CREATE UNIQUE INDEX "PrescriptionItem_tenantId_id_key" ON "PrescriptionItem"("tenantId", "id");

-- CreateIndex
CREATE INDEX "CommunityAsset_tenantId_kind_idx" ON "CommunityAsset"("tenantId", "kind");

-- CreateIndex
CREATE INDEX "CommunityAsset_visibility_idx" ON "CommunityAsset"("visibility");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityAsset_tenantId_id_key" ON "CommunityAsset"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Partnership_partnerId_idx" ON "Partnership"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "Partnership_tenantId_id_key" ON "Partnership"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Partnership_tenantId_partnerId_key" ON "Partnership"("tenantId", "partnerId");

-- CreateIndex
CREATE INDEX "Program_tenantId_active_idx" ON "Program"("tenantId", "active");

-- CreateIndex
CREATE INDEX "Program_partnerId_idx" ON "Program"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "Program_tenantId_id_key" ON "Program"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "HealthChampion_tenantId_id_key" ON "HealthChampion"("tenantId", "id");

-- CreateIndex
CREATE INDEX "OutcomeAssessment_tenantId_clientId_instrument_idx" ON "OutcomeAssessment"("tenantId", "clientId", "instrument");

-- CreateIndex
CREATE INDEX "OutcomeAssessment_tenantId_prescriptionId_idx" ON "OutcomeAssessment"("tenantId", "prescriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "OutcomeAssessment_tenantId_id_key" ON "OutcomeAssessment"("tenantId", "id");

-- CreateIndex
CREATE INDEX "UtilizationRecord_tenantId_prescriptionId_idx" ON "UtilizationRecord"("tenantId", "prescriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "UtilizationRecord_tenantId_id_key" ON "UtilizationRecord"("tenantId", "id");

-- CreateIndex
CREATE INDEX "ReadinessAssessment_tenantId_assessedOn_idx" ON "ReadinessAssessment"("tenantId", "assessedOn");

-- CreateIndex
CREATE UNIQUE INDEX "ReadinessAssessment_tenantId_id_key" ON "ReadinessAssessment"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ReadinessResponse_tenantId_id_key" ON "ReadinessResponse"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ReadinessResponse_tenantId_assessmentId_item_key" ON "ReadinessResponse"("tenantId", "assessmentId", "item");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_clientId_occurredAt_idx" ON "AuditEvent"("tenantId", "clientId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_occurredAt_idx" ON "AuditEvent"("tenantId", "occurredAt");

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientConsent" ADD CONSTRAINT "ClientConsent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientConsent" ADD CONSTRAINT "ClientConsent_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientConsent" ADD CONSTRAINT "ClientConsent_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientConsent" ADD CONSTRAINT "ClientConsent_tenantId_recordedById_fkey" FOREIGN KEY ("tenantId", "recordedById") REFERENCES "StaffMember"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientLock" ADD CONSTRAINT "ClientLock_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientLock" ADD CONSTRAINT "ClientLock_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialPrescription" ADD CONSTRAINT "SocialPrescription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialPrescription" ADD CONSTRAINT "SocialPrescription_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialPrescription" ADD CONSTRAINT "SocialPrescription_tenantId_prescriberId_fkey" FOREIGN KEY ("tenantId", "prescriberId") REFERENCES "StaffMember"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialPrescription" ADD CONSTRAINT "SocialPrescription_tenantId_linkWorkerId_fkey" FOREIGN KEY ("tenantId", "linkWorkerId") REFERENCES "StaffMember"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialPrescription" ADD CONSTRAINT "SocialPrescription_referringPartnerId_fkey" FOREIGN KEY ("referringPartnerId") REFERENCES "PartnerOrganization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionEvent" ADD CONSTRAINT "PrescriptionEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionEvent" ADD CONSTRAINT "PrescriptionEvent_tenantId_prescriptionId_fkey" FOREIGN KEY ("tenantId", "prescriptionId") REFERENCES "SocialPrescription"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_tenantId_prescriptionId_fkey" FOREIGN KEY ("tenantId", "prescriptionId") REFERENCES "SocialPrescription"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "CommunityAsset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityAsset" ADD CONSTRAINT "CommunityAsset_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerOrganization" ADD CONSTRAINT "PartnerOrganization_addedByTenantId_fkey" FOREIGN KEY ("addedByTenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Partnership" ADD CONSTRAINT "Partnership_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Partnership" ADD CONSTRAINT "Partnership_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_tenantId_healthChampionId_fkey" FOREIGN KEY ("tenantId", "healthChampionId") REFERENCES "HealthChampion"("tenantId", "id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthChampion" ADD CONSTRAINT "HealthChampion_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthChampion" ADD CONSTRAINT "HealthChampion_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeAssessment" ADD CONSTRAINT "OutcomeAssessment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeAssessment" ADD CONSTRAINT "OutcomeAssessment_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeAssessment" ADD CONSTRAINT "OutcomeAssessment_tenantId_prescriptionId_fkey" FOREIGN KEY ("tenantId", "prescriptionId") REFERENCES "SocialPrescription"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeAssessment" ADD CONSTRAINT "OutcomeAssessment_tenantId_enteredById_fkey" FOREIGN KEY ("tenantId", "enteredById") REFERENCES "StaffMember"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UtilizationRecord" ADD CONSTRAINT "UtilizationRecord_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UtilizationRecord" ADD CONSTRAINT "UtilizationRecord_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UtilizationRecord" ADD CONSTRAINT "UtilizationRecord_tenantId_prescriptionId_fkey" FOREIGN KEY ("tenantId", "prescriptionId") REFERENCES "SocialPrescription"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessAssessment" ADD CONSTRAINT "ReadinessAssessment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessResponse" ADD CONSTRAINT "ReadinessResponse_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessResponse" ADD CONSTRAINT "ReadinessResponse_tenantId_assessmentId_fkey" FOREIGN KEY ("tenantId", "assessmentId") REFERENCES "ReadinessAssessment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
