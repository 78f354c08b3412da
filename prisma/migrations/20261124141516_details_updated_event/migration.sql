-- AlterEnum
ALTER TYPE "PrescriptionEventKind" ADD VALUE 'DETAILS_UPDATED';

-- AlterTable
ALTER TABLE "PrescriptionEvent" ADD COLUMN     "changedFields" TEXT[] DEFAULT ARRAY[]::TEXT[];
