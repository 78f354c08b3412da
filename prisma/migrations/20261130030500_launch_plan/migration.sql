-- The launch plan (issue 12): the nine key activities of the progress report for launching social
-- prescribing, one row per site and activity, with its lead, status, dates and notes.

-- CreateEnum
CREATE TYPE "LaunchActivityKind" AS ENUM ('FORM_STAFF_CIRCLE', 'DELEGATE_ROLES', 'PLAN_IMPLEMENTATION', 'DATA_COLLECTION_PATHWAY', 'ENGAGE_STAFF', 'ENGAGE_PRIMARY_CARE', 'ASSET_MAPPING_AND_PARTNERS', 'BEGIN_PRESCRIPTIONS', 'INVITE_HEALTH_CHAMPIONS');

-- CreateEnum
CREATE TYPE "LaunchActivityStatus" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'DONE', 'ON_HOLD');

-- CreateTable
CREATE TABLE "LaunchActivity" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "activity" "LaunchActivityKind" NOT NULL,
    "lead" TEXT NOT NULL,
    "status" "LaunchActivityStatus" NOT NULL DEFAULT 'NOT_STARTED',
    "targetDate" DATE,
    "doneOn" DATE,
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LaunchActivity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LaunchActivity_tenantId_id_key" ON "LaunchActivity"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "LaunchActivity_tenantId_activity_key" ON "LaunchActivity"("tenantId", "activity");

-- AddForeignKey
ALTER TABLE "LaunchActivity" ADD CONSTRAINT "LaunchActivity_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below.
-- The launch plan is the site's own working document: its staff read it, its site admins keep it
-- (the API adds the role check). Rows are created with the site (tenant sync), never deleted.
GRANT SELECT, INSERT, UPDATE ON "LaunchActivity" TO rx_app;
ALTER TABLE "LaunchActivity" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "LaunchActivity" FORCE ROW LEVEL SECURITY;
CREATE POLICY site_select ON "LaunchActivity" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "LaunchActivity" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "LaunchActivity" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));

-- The Alliance follows every site's launch by status only: no policy gives it the rows (their
-- leads, dates and notes stay with the site); this function returns activity and status alone.
-- Site staff get their own site's, anyone else an error.
CREATE FUNCTION launch_progress(requested text[])
  RETURNS TABLE (tenant text, activity "LaunchActivityKind", status "LaunchActivityStatus")
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF app_principal_kind() = 'NETWORK' THEN
    RETURN QUERY SELECT a."tenantId", a.activity, a.status FROM "LaunchActivity" a
                  WHERE requested IS NULL OR a."tenantId" = ANY (requested)
                  ORDER BY a."tenantId", a.activity;
  ELSIF app_staff_tenant() IS NOT NULL THEN
    RETURN QUERY SELECT a."tenantId", a.activity, a.status FROM "LaunchActivity" a
                  WHERE a."tenantId" = app_staff_tenant()
                  ORDER BY a.activity;
  ELSE
    RAISE EXCEPTION 'launch progress is not available to this caller' USING ERRCODE = '42501';
  END IF;
END $$;
REVOKE EXECUTE ON FUNCTION launch_progress(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION launch_progress(text[]) TO rx_app;
