-- Privacy hardening (issue 10). Hand-written, kept as it is.

-- The audit row carries the server's own request id; the caller's x-request-id, when it sent one,
-- is kept beside it to trace a request across systems, never instead of it.
ALTER TABLE "AuditEvent" ADD COLUMN "correlationId" TEXT;
-- The privacy officer lists what one staff member opened over a period.
CREATE INDEX "AuditEvent_tenantId_actorSubject_occurredAt_idx" ON "AuditEvent"("tenantId", "actorSubject", "occurredAt");

-- Consent decisions are never changed: a later decision supersedes an earlier one.
REVOKE UPDATE, DELETE ON "ClientConsent" FROM rx_app;
DROP POLICY site_update ON "ClientConsent";
DROP POLICY site_delete ON "ClientConsent";
CREATE POLICY no_update ON "ClientConsent" FOR UPDATE TO rx_app USING (false);
CREATE POLICY no_delete ON "ClientConsent" FOR DELETE TO rx_app USING (false);

-- A lock-box directive is never removed or rewritten. Its release is the one change: releasedAt
-- goes from null to a time, once (column grant: nothing else; policy: only an unreleased lock,
-- and it stays released).
REVOKE UPDATE, DELETE ON "ClientLock" FROM rx_app;
GRANT UPDATE ("releasedAt") ON "ClientLock" TO rx_app;
DROP POLICY site_update ON "ClientLock";
DROP POLICY site_delete ON "ClientLock";
CREATE POLICY site_release ON "ClientLock" FOR UPDATE TO rx_app
  USING ("tenantId" = (SELECT app_phi_tenant()) AND "releasedAt" IS NULL)
  WITH CHECK ("tenantId" = (SELECT app_phi_tenant()) AND "releasedAt" IS NOT NULL);
CREATE POLICY no_delete ON "ClientLock" FOR DELETE TO rx_app USING (false);

-- Whether a consent is in force is itself health information: staff who read the site's health
-- information may ask about their site's clients, a partner only about sharing with itself at a
-- site it is actively partnered with. Anyone else is told nothing is in force.
CREATE OR REPLACE FUNCTION consent_in_force(p_tenant text, p_client text, p_kind "ConsentKind", p_partner text)
  RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT coalesce((
          SELECT c.status = 'GRANTED' FROM "ClientConsent" c
           WHERE c."tenantId" = p_tenant AND c."clientId" = p_client AND c.kind = p_kind
             AND c."partnerId" IS NOT DISTINCT FROM p_partner
             AND (p_tenant = app_phi_tenant()
                  OR (app_principal_kind() = 'PARTNER' AND p_partner = app_setting('app.partner_id')
                      AND EXISTS (SELECT 1 FROM "Partnership" p
                                   WHERE p."tenantId" = p_tenant AND p."partnerId" = p_partner AND p.active)))
           ORDER BY c."recordedAt" DESC, c.id DESC LIMIT 1), false) $$;

-- Client details of referrals for the partner that made them (as before), now with every lock-box
-- directive a partner's view touches: CONTACT withholds the phone number, SOCIODEMOGRAPHICS the
-- preferred language. A partner is never among a lock's named staff. `withheld` names the
-- categories held back. The return type changes, so the function is replaced.
DROP FUNCTION partner_referral_clients(text[]);
CREATE FUNCTION partner_referral_clients(p_prescriptions text[])
  RETURNS TABLE ("prescriptionId" text, "tenantId" text, "clientId" text, "givenName" text, "familyName" text,
                 phone text, "preferredLanguage" text, withheld text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT sp.id, sp."tenantId", c.id, c."givenName", c."familyName",
           CASE WHEN 'CONTACT' = ANY (locked.categories) THEN NULL ELSE c.phone END,
           CASE WHEN 'SOCIODEMOGRAPHICS' = ANY (locked.categories) THEN NULL ELSE c."preferredLanguage" END,
           locked.categories
      FROM "SocialPrescription" sp
      JOIN "Client" c ON c."tenantId" = sp."tenantId" AND c.id = sp."clientId"
      CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT l.category::text FROM "ClientLock" l
                                        WHERE l."tenantId" = c."tenantId" AND l."clientId" = c.id AND l."releasedAt" IS NULL
                                          AND l.category IN ('CONTACT', 'SOCIODEMOGRAPHICS')
                                        ORDER BY 1) AS categories) locked
     WHERE sp.id = ANY (p_prescriptions)
       AND sp.source = 'PARTNER'
       AND sp."referringPartnerId" = app_partner('REFERRALS_READ')
       AND EXISTS (SELECT 1 FROM "Partnership" p
                    WHERE p."tenantId" = sp."tenantId" AND p."partnerId" = sp."referringPartnerId" AND p.active
                      AND 'REFERRALS_READ' = ANY (p.scopes))
       AND consent_in_force(sp."tenantId", sp."clientId", 'PARTNER_SHARING', sp."referringPartnerId")
  $$;
REVOKE EXECUTE ON FUNCTION partner_referral_clients(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partner_referral_clients(text[]) TO rx_app;

-- A SECURITY DEFINER function runs as its owner, who bypasses row-level security: it must never
-- resolve a name to an object the caller made. pg_temp, searched first unless named, goes last,
-- for every such function, including the aggregates' (tests/privacy-defects.test.ts walks pg_proc
-- and fails on any SECURITY DEFINER function without this setting, whichever migration made it).
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname = 'public'
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
  END LOOP;
END
$$;

-- And the request role makes no temporary tables (nor objects in public) to be found there at all.
-- PUBLIC holds TEMP on a database by default, and rx_app with it; the owner keeps its own.
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM rx_app', current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM rx_app;
