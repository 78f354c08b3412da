-- Referral pathway: a partner with referrals:create may cancel a referral it made into a site whose
-- partnership grants referrals:create. It sees and changes that referral only while the cancel
-- mutation runs, which turns on the transaction-local setting app.partner_cancel for those
-- statements. A partnership that does not grant referrals:read so still shows the partner no status.
-- Hand-written, kept as it is.

CREATE FUNCTION app_cancelling_partner() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN app_setting('app.partner_cancel') = 'on' THEN app_partner('REFERRALS_CREATE') END $$;
GRANT EXECUTE ON FUNCTION app_cancelling_partner() TO rx_app;

CREATE POLICY partner_cancel_select ON "SocialPrescription" FOR SELECT TO rx_app
  USING (source = 'PARTNER' AND "referringPartnerId" = (SELECT app_cancelling_partner()) AND app_partnership_grants("tenantId", 'REFERRALS_CREATE'));
-- The only change a partner can make: the status becomes CANCELLED.
CREATE POLICY partner_cancel_update ON "SocialPrescription" FOR UPDATE TO rx_app
  USING (source = 'PARTNER' AND "referringPartnerId" = (SELECT app_cancelling_partner()) AND app_partnership_grants("tenantId", 'REFERRALS_CREATE'))
  WITH CHECK (source = 'PARTNER' AND "referringPartnerId" = (SELECT app_cancelling_partner()) AND status = 'CANCELLED' AND app_partnership_grants("tenantId", 'REFERRALS_CREATE'));
-- And the history entry for it.
CREATE POLICY partner_cancel_insert ON "PrescriptionEvent" FOR INSERT TO rx_app
  WITH CHECK (kind = 'STATUS_CHANGED' AND "toStatus" = 'CANCELLED' AND "actorKind" = 'PARTNER'
    AND EXISTS (SELECT 1 FROM "SocialPrescription" p
                 WHERE p."tenantId" = "PrescriptionEvent"."tenantId" AND p.id = "PrescriptionEvent"."prescriptionId"
                   AND p.source = 'PARTNER' AND p."referringPartnerId" = (SELECT app_cancelling_partner())));
