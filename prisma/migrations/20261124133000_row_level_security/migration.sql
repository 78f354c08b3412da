-- Row-level security: the database itself keeps the rows of each site to that site.
-- Every request runs inside one transaction as the role rx_app (NOLOGIN, no superuser, no
-- BYPASSRLS), with the principal in transaction-local settings (app.principal_kind,
-- app.tenant_id, app.partner_id, app.roles, app.scopes). Policies read them through the
-- functions below, each wrapped in a sub-select so it is evaluated once per statement.
-- Hand-written; the schema engine does not model policies, so this file is kept as it is.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rx_app') THEN
    CREATE ROLE rx_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;
GRANT rx_app TO CURRENT_USER;

CREATE FUNCTION app_setting(name text) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting(name, true), '') $$;

CREATE FUNCTION app_principal_kind() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT app_setting('app.principal_kind') $$;

CREATE FUNCTION app_has_role(role text) RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(role = ANY (string_to_array(app_setting('app.roles'), ',')), false) $$;

-- The site of the caller when the caller is site staff; NULL for anyone else.
CREATE FUNCTION app_staff_tenant() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN app_principal_kind() = 'STAFF' THEN app_setting('app.tenant_id') END $$;

-- The site of the caller when the caller is site staff in a role that may read health information.
CREATE FUNCTION app_phi_tenant() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN app_principal_kind() = 'STAFF'
                     AND string_to_array(app_setting('app.roles'), ',')
                         && ARRAY['PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR', 'PRIVACY_OFFICER']
                    THEN app_setting('app.tenant_id') END $$;

-- The calling partner organization when the caller is a partner whose token carries the scope.
CREATE FUNCTION app_partner(scope text) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN app_principal_kind() = 'PARTNER'
                     AND scope = ANY (string_to_array(app_setting('app.scopes'), ','))
                    THEN app_setting('app.partner_id') END $$;

-- Whether the calling partner holds an active partnership with the site that grants the scope.
CREATE FUNCTION app_partnership_grants(tenant text, scope text) RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (
          SELECT 1 FROM "Partnership" p
           WHERE p."tenantId" = tenant AND p."partnerId" = app_partner(scope) AND p.active
             AND scope::"PartnerScope" = ANY (p.scopes)) $$;

GRANT USAGE ON SCHEMA public TO rx_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "PartnerOrganization", "StaffMember", "Client", "ClientConsent", "ClientLock", "SocialPrescription", "PrescriptionItem", "CommunityAsset", "Partnership", "Program", "HealthChampion", "OutcomeAssessment", "UtilizationRecord", "ReadinessAssessment", "ReadinessResponse" TO rx_app;
-- Sites come from the tenant files; the history of a prescription and the audit trail are append-only.
GRANT SELECT ON "Tenant" TO rx_app;
GRANT SELECT, INSERT ON "PrescriptionEvent", "AuditEvent" TO rx_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO rx_app;


ALTER TABLE "StaffMember" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StaffMember" FORCE ROW LEVEL SECURITY;
ALTER TABLE "Client" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Client" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ClientConsent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ClientConsent" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ClientLock" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ClientLock" FORCE ROW LEVEL SECURITY;
ALTER TABLE "SocialPrescription" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SocialPrescription" FORCE ROW LEVEL SECURITY;
ALTER TABLE "PrescriptionEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PrescriptionEvent" FORCE ROW LEVEL SECURITY;
ALTER TABLE "PrescriptionItem" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PrescriptionItem" FORCE ROW LEVEL SECURITY;
ALTER TABLE "CommunityAsset" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CommunityAsset" FORCE ROW LEVEL SECURITY;
ALTER TABLE "Partnership" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Partnership" FORCE ROW LEVEL SECURITY;
ALTER TABLE "Program" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Program" FORCE ROW LEVEL SECURITY;
ALTER TABLE "HealthChampion" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "HealthChampion" FORCE ROW LEVEL SECURITY;
ALTER TABLE "OutcomeAssessment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OutcomeAssessment" FORCE ROW LEVEL SECURITY;
ALTER TABLE "UtilizationRecord" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "UtilizationRecord" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ReadinessAssessment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ReadinessAssessment" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ReadinessResponse" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ReadinessResponse" FORCE ROW LEVEL SECURITY;
ALTER TABLE "AuditEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AuditEvent" FORCE ROW LEVEL SECURITY;

-- Health information: site staff in a clinical or data role, own site only. Network principals: nothing.

CREATE POLICY site_select ON "Client" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "Client" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "Client" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "Client" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "ClientConsent" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "ClientConsent" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "ClientConsent" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "ClientConsent" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "ClientLock" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "ClientLock" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "ClientLock" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "ClientLock" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "SocialPrescription" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "SocialPrescription" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "SocialPrescription" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "SocialPrescription" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "PrescriptionItem" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "PrescriptionItem" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "PrescriptionItem" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "PrescriptionItem" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "OutcomeAssessment" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "OutcomeAssessment" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "OutcomeAssessment" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "OutcomeAssessment" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

CREATE POLICY site_select ON "UtilizationRecord" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "UtilizationRecord" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_update ON "UtilizationRecord" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant())) WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_delete ON "UtilizationRecord" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));

-- Append-only history: read and add, never change or remove.
CREATE POLICY site_select ON "PrescriptionEvent" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY site_insert ON "PrescriptionEvent" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_phi_tenant()));
CREATE POLICY no_update ON "PrescriptionEvent" FOR UPDATE TO rx_app USING (false);
CREATE POLICY no_delete ON "PrescriptionEvent" FOR DELETE TO rx_app USING (false);

-- The audit trail: any site principal adds to its own site trail; only the privacy officer reads it.
CREATE POLICY privacy_officer_select ON "AuditEvent" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()) AND (SELECT app_has_role('PRIVACY_OFFICER')));
CREATE POLICY site_insert ON "AuditEvent" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY partner_insert ON "AuditEvent" FOR INSERT TO rx_app WITH CHECK ("partnerId" = (SELECT app_setting('app.partner_id')) AND (SELECT app_principal_kind()) = 'PARTNER');
CREATE POLICY no_update ON "AuditEvent" FOR UPDATE TO rx_app USING (false);
CREATE POLICY no_delete ON "AuditEvent" FOR DELETE TO rx_app USING (false);

-- Site records without health information: any staff of the site.

CREATE POLICY site_select ON "StaffMember" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "StaffMember" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "StaffMember" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "StaffMember" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));

CREATE POLICY site_select ON "HealthChampion" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "HealthChampion" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "HealthChampion" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "HealthChampion" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));

CREATE POLICY site_select ON "ReadinessAssessment" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "ReadinessAssessment" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "ReadinessAssessment" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "ReadinessAssessment" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));

CREATE POLICY site_select ON "ReadinessResponse" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "ReadinessResponse" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "ReadinessResponse" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "ReadinessResponse" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));

CREATE POLICY site_select ON "Partnership" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "Partnership" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "Partnership" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "Partnership" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));

-- Readiness and partnerships are organizational facts the Alliance reads across sites.
CREATE POLICY network_select ON "ReadinessAssessment" FOR SELECT TO rx_app USING ((SELECT app_principal_kind()) = 'NETWORK');
CREATE POLICY network_select ON "ReadinessResponse" FOR SELECT TO rx_app USING ((SELECT app_principal_kind()) = 'NETWORK');
CREATE POLICY network_select ON "Partnership" FOR SELECT TO rx_app USING ((SELECT app_principal_kind()) = 'NETWORK');
CREATE POLICY partner_select ON "Partnership" FOR SELECT TO rx_app USING ("partnerId" = (SELECT app_setting('app.partner_id')) AND (SELECT app_principal_kind()) = 'PARTNER');

-- Asset map: the assets of a site, plus those shared with the whole network.

CREATE POLICY site_select ON "CommunityAsset" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "CommunityAsset" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "CommunityAsset" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "CommunityAsset" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY network_shared_select ON "CommunityAsset" FOR SELECT TO rx_app USING (visibility = 'NETWORK' AND (SELECT app_principal_kind()) IN ('STAFF', 'NETWORK'));

-- Programs: those of the site; network programs (no tenantId) for everyone, managed by Alliance admins;
-- a partner with programs:read sees the programs of the sites whose partnership grants it.

CREATE POLICY site_select ON "Program" FOR SELECT TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_insert ON "Program" FOR INSERT TO rx_app WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_update ON "Program" FOR UPDATE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant())) WITH CHECK ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY site_delete ON "Program" FOR DELETE TO rx_app USING ("tenantId" = (SELECT app_staff_tenant()));
CREATE POLICY network_program_select ON "Program" FOR SELECT TO rx_app USING ("tenantId" IS NULL AND (SELECT app_principal_kind()) IN ('STAFF', 'NETWORK'));

CREATE POLICY network_admin_select ON "Program" FOR SELECT TO rx_app USING ("tenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));
CREATE POLICY network_admin_insert ON "Program" FOR INSERT TO rx_app WITH CHECK ("tenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));
CREATE POLICY network_admin_update ON "Program" FOR UPDATE TO rx_app USING ("tenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN'))) WITH CHECK ("tenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));
CREATE POLICY network_admin_delete ON "Program" FOR DELETE TO rx_app USING ("tenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));
CREATE POLICY partner_select ON "Program" FOR SELECT TO rx_app USING ((SELECT app_partner('PROGRAMS_READ')) IS NOT NULL AND ("tenantId" IS NULL OR app_partnership_grants("tenantId", 'PROGRAMS_READ')));

-- Partners: submit referrals into partnered sites (a new client with minimal details, the
-- prescription, its first event) and read back only the referrals they made.
CREATE POLICY partner_insert ON "Client" FOR INSERT TO rx_app WITH CHECK (app_partnership_grants("tenantId", 'REFERRALS_CREATE'));
CREATE POLICY partner_insert ON "SocialPrescription" FOR INSERT TO rx_app WITH CHECK (source = 'PARTNER' AND "referringPartnerId" = (SELECT app_partner('REFERRALS_CREATE')) AND app_partnership_grants("tenantId", 'REFERRALS_CREATE'));
CREATE POLICY partner_select ON "SocialPrescription" FOR SELECT TO rx_app USING (source = 'PARTNER' AND "referringPartnerId" = (SELECT app_partner('REFERRALS_READ')) AND app_partnership_grants("tenantId", 'REFERRALS_READ'));
CREATE POLICY partner_insert ON "PrescriptionEvent" FOR INSERT TO rx_app WITH CHECK (kind = 'CREATED' AND "actorKind" = 'PARTNER' AND app_partnership_grants("tenantId", 'REFERRALS_CREATE'));
CREATE POLICY partner_select ON "PrescriptionEvent" FOR SELECT TO rx_app USING ((SELECT app_partner('REFERRALS_READ')) IS NOT NULL AND EXISTS (SELECT 1 FROM "SocialPrescription" p WHERE p."tenantId" = "PrescriptionEvent"."tenantId" AND p.id = "PrescriptionEvent"."prescriptionId"));
