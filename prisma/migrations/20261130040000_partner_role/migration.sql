-- Partners' requests run as rx_partner, a member of rx_app with its privileges and nothing more;
-- the policies that only partners can satisfy apply to rx_partner alone. Site staff's requests, as
-- rx_app, then see one policy per table instead of an OR of three, and the planner can read a page
-- of a site's rows in index order (before, every list read all of a site's rows to return a page).
-- Policies written for rx_app still apply to partners (members), so a later partner policy
-- written TO rx_app stays correct, only slower for staff.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rx_partner') THEN
    CREATE ROLE rx_partner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT;
  END IF;
END
$$;
GRANT rx_app TO rx_partner;
GRANT rx_partner TO CURRENT_USER;
DO $$ BEGIN EXECUTE format('REVOKE TEMP ON DATABASE %I FROM rx_partner', current_database()); END $$;

DO $$
DECLARE
  policy record;
BEGIN
  FOR policy IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public' AND policyname LIKE 'partner\_%' LOOP
    EXECUTE format('ALTER POLICY %I ON %I TO rx_partner', policy.policyname, policy.tablename);
  END LOOP;
END
$$;

-- DropIndex
DROP INDEX "SocialPrescription_tenantId_referredAt_idx";

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_referredAt_id_idx" ON "SocialPrescription"("tenantId", "referredAt" DESC, "id" DESC);
