-- Privacy duties: audit rows from partners only for partnered sites, and the one path by which a
-- partner may see client details: its own referral, while the client consent to share with that
-- partner is in force. Hand-written.

DROP POLICY partner_insert ON "AuditEvent";
CREATE POLICY partner_insert ON "AuditEvent" FOR INSERT TO rx_app WITH CHECK (
  (SELECT app_principal_kind()) = 'PARTNER'
  AND "partnerId" = (SELECT app_setting('app.partner_id'))
  AND EXISTS (SELECT 1 FROM "Partnership" p
               WHERE p."tenantId" = "AuditEvent"."tenantId" AND p."partnerId" = "AuditEvent"."partnerId" AND p.active));

-- The newest consent of a kind (and partner) is the one in force: rows are never overwritten.
CREATE FUNCTION consent_in_force(p_tenant text, p_client text, p_kind "ConsentKind", p_partner text)
  RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT coalesce((
          SELECT c.status = 'GRANTED' FROM "ClientConsent" c
           WHERE c."tenantId" = p_tenant AND c."clientId" = p_client AND c.kind = p_kind
             AND c."partnerId" IS NOT DISTINCT FROM p_partner
           ORDER BY c."recordedAt" DESC, c.id DESC LIMIT 1), false) $$;
REVOKE EXECUTE ON FUNCTION consent_in_force(text, text, "ConsentKind", text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION consent_in_force(text, text, "ConsentKind", text) TO rx_app;

-- Client details of referrals, for the partner that made them: nothing unless the caller is that
-- partner, holds referrals:read with an active partnership granting it, and the client consents
-- to sharing with it now. A contact lock-box withholds the phone number.
CREATE FUNCTION partner_referral_clients(p_prescriptions text[])
  RETURNS TABLE ("prescriptionId" text, "tenantId" text, "clientId" text, "givenName" text, "familyName" text,
                 phone text, "preferredLanguage" text, "contactWithheld" boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT sp.id, sp."tenantId", c.id, c."givenName", c."familyName",
           CASE WHEN locked.any THEN NULL ELSE c.phone END,
           c."preferredLanguage", locked.any
      FROM "SocialPrescription" sp
      JOIN "Client" c ON c."tenantId" = sp."tenantId" AND c.id = sp."clientId"
      CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM "ClientLock" l
                                          WHERE l."tenantId" = c."tenantId" AND l."clientId" = c.id
                                            AND l.category = 'CONTACT' AND l."releasedAt" IS NULL) AS any) locked
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
