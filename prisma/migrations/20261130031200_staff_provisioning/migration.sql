-- AlterTable
ALTER TABLE "StaffMember" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "requireProvisionedStaff" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "SocialPrescription_tenantId_prescriberId_idx" ON "SocialPrescription"("tenantId", "prescriberId");

-- Hand-written below (issue 12): staff provisioning.

-- StaffMember keeps its record key out of the request role's reach with column privileges
-- (20261130010000_cell_keys): a new column is granted by name.
GRANT SELECT ("version"), INSERT ("version"), UPDATE ("version") ON "StaffMember" TO rx_app;

-- Signs site staff in, in the statement that opens every request's transaction, right after the
-- principal's settings (db/principal-settings.ts). The caller's staff record must be active; a
-- subject without one gets one from the token (roles, and the name and email claims when present)
-- unless the site requires provisioning. Anything else raises RX401, answered as UNAUTHENTICATED.
-- Runs as the request role: row-level security shows and lets it write the caller's site only.
CREATE FUNCTION app_staff_sign_in(p_name text, p_email text) RETURNS text
  LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_tenant text := app_staff_tenant();
  v_subject text := app_setting('app.subject');
  v_id text;
  v_active boolean;
BEGIN
  IF v_tenant IS NULL OR v_subject IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT s.id, s.active INTO v_id, v_active FROM "StaffMember" s WHERE s."tenantId" = v_tenant AND s.subject = v_subject;
  IF v_id IS NULL THEN
    IF coalesce((SELECT t."requireProvisionedStaff" FROM "Tenant" t WHERE t.id = v_tenant), true) THEN
      RAISE EXCEPTION 'no staff record for this subject, and the site requires provisioning' USING ERRCODE = 'RX401';
    END IF;
    INSERT INTO "StaffMember" (id, "tenantId", subject, "displayName", roles, email, "updatedAt")
    VALUES (gen_random_uuid()::text, v_tenant, v_subject, coalesce(p_name, v_subject),
            coalesce(string_to_array(app_setting('app.roles'), ','), ARRAY[]::text[])::"StaffRole"[], p_email, now())
    ON CONFLICT ("tenantId", subject) DO NOTHING
    RETURNING id INTO v_id;
    -- Another request of the same person made it first.
    IF v_id IS NULL THEN
      SELECT s.id, s.active INTO v_id, v_active FROM "StaffMember" s WHERE s."tenantId" = v_tenant AND s.subject = v_subject;
    ELSE
      v_active := true;
    END IF;
  END IF;
  IF NOT coalesce(v_active, false) THEN
    RAISE EXCEPTION 'the staff record of this subject is deactivated' USING ERRCODE = 'RX401';
  END IF;
  RETURN v_id;
END
$$;
REVOKE EXECUTE ON FUNCTION app_staff_sign_in(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_staff_sign_in(text, text) TO rx_app;
