-- AlterTable
ALTER TABLE "OutcomeAssessment" ADD COLUMN     "metricScore" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "PrescriptionEvent" ADD COLUMN     "assignedStaffId" TEXT,
ADD COLUMN     "fromItemStatus" "PrescriptionItemStatus",
ADD COLUMN     "itemId" TEXT,
ADD COLUMN     "outcome" "ReferralOutcome",
ADD COLUMN     "toItemStatus" "PrescriptionItemStatus";
