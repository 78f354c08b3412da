-- Partner organizations: every principal reads them all. Writes follow who keeps a partner.
-- Alliance admins add and change network-level partners (no addedByTenantId), a site admin the
-- local partners of the own site. Nobody removes one through the API (referrals and consents
-- point at it). Enabled without FORCE: the owner connection keeps reading partners to check
-- partner tokens and to seed, as before. Hand-written.

ALTER TABLE "PartnerOrganization" ENABLE ROW LEVEL SECURITY;

CREATE POLICY everyone_select ON "PartnerOrganization" FOR SELECT TO rx_app USING (true);

CREATE POLICY network_admin_insert ON "PartnerOrganization" FOR INSERT TO rx_app
  WITH CHECK ("addedByTenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));
CREATE POLICY network_admin_update ON "PartnerOrganization" FOR UPDATE TO rx_app
  USING ("addedByTenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')))
  WITH CHECK ("addedByTenantId" IS NULL AND (SELECT app_principal_kind()) = 'NETWORK' AND (SELECT app_has_role('ALLIANCE_ADMIN')));

CREATE POLICY site_admin_insert ON "PartnerOrganization" FOR INSERT TO rx_app
  WITH CHECK ("addedByTenantId" = (SELECT app_staff_tenant()) AND (SELECT app_has_role('SITE_ADMIN')));
CREATE POLICY site_admin_update ON "PartnerOrganization" FOR UPDATE TO rx_app
  USING ("addedByTenantId" = (SELECT app_staff_tenant()) AND (SELECT app_has_role('SITE_ADMIN')))
  WITH CHECK ("addedByTenantId" = (SELECT app_staff_tenant()) AND (SELECT app_has_role('SITE_ADMIN')));
