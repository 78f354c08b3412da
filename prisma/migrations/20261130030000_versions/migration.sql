-- Optimistic concurrency for every update* mutation (issue 11): each row a caller may change
-- carries a version, bumped by every change; a change names the version it read (CONFLICT if stale).

ALTER TABLE "CommunityAsset" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "HealthChampion" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "PartnerOrganization" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Partnership" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "PrescriptionItem" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Program" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- These two keep their record key out of the request role's reach with column privileges
-- (20261130010000_cell_keys): a new column is granted by name.
GRANT SELECT ("version"), INSERT ("version"), UPDATE ("version") ON "HealthChampion", "Program" TO rx_app;
