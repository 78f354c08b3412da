-- One outcome assessment per (prescription, instrument, time point), except CUSTOM (issue 12); a
-- correction is an amendment that keeps the values it replaced as a revision.

-- AlterTable
ALTER TABLE "OutcomeAssessment" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "OutcomeAssessmentRevision" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "timePointLabel" TEXT,
    "items" INTEGER[],
    "score" DOUBLE PRECISION,
    "metricScore" DOUBLE PRECISION,
    "assessedAt" DATE NOT NULL,
    "enteredById" TEXT,
    "reason" TEXT NOT NULL,
    "amendedBySubject" TEXT NOT NULL,
    "amendedByStaffId" TEXT,
    "amendedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutcomeAssessmentRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutcomeAssessmentRevision_tenantId_id_key" ON "OutcomeAssessmentRevision"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "OutcomeAssessmentRevision_tenantId_assessmentId_version_key" ON "OutcomeAssessmentRevision"("tenantId", "assessmentId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "OutcomeAssessment_one_per_time_point" ON "OutcomeAssessment"("tenantId", "prescriptionId", "instrument", "timePoint") WHERE (("prescriptionId" IS NOT NULL) AND ("timePoint" <> 'CUSTOM'::"TimePoint"));

-- AddForeignKey
ALTER TABLE "OutcomeAssessmentRevision" ADD CONSTRAINT "OutcomeAssessmentRevision_tenantId_assessmentId_fkey" FOREIGN KEY ("tenantId", "assessmentId") REFERENCES "OutcomeAssessment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Revisions are history: the request role adds and reads them, never changes them.
GRANT SELECT, INSERT ON "OutcomeAssessmentRevision" TO rx_app;
ALTER TABLE "OutcomeAssessmentRevision" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OutcomeAssessmentRevision" FORCE ROW LEVEL SECURITY;
CREATE POLICY site_select ON "OutcomeAssessmentRevision" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "OutcomeAssessmentRevision" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
