-- Hand-written (issue 13): what the client of a partner's referral was connected to, for the partner
-- that made it (PartnerReferral.connectedTo over GraphQL, Task.output over FHIR, both through this
-- function). A partner reads neither prescription items nor assets under row-level security; this
-- function checks what partner_select on "SocialPrescription" checks (the partner's own referrals,
-- token scope and an active partnership granting REFERRALS_READ) and returns, of the items ENROLLED or
-- ATTENDED only, the program's or asset's name, its kind (the SUPPORT_KIND of the pilot's figures), its
-- support categories and the item's status: no note, no item, program or asset id, no Health Champion,
-- nothing of the client.
CREATE FUNCTION partner_referral_connections(p_prescriptions text[])
  RETURNS TABLE ("prescriptionId" text, "tenantId" text, name text, kind text, categories text[], status text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT sp.id, sp."tenantId", coalesce(g.name, a.name),
           CASE WHEN g.id IS NULL THEN 'ASSET' WHEN g."runBy" = 'PARTNER' THEN 'PARTNER_PROGRAM'
                WHEN g."runBy" = 'HEALTH_CHAMPION' THEN 'HEALTH_CHAMPION_LED' ELSE 'PROGRAM' END,
           coalesce(g.needs, a.categories)::text[], i.status::text
      FROM "SocialPrescription" sp
      JOIN "PrescriptionItem" i ON i."tenantId" = sp."tenantId" AND i."prescriptionId" = sp.id
      LEFT JOIN "Program" g ON g.id = i."programId"
      LEFT JOIN "CommunityAsset" a ON a.id = i."assetId"
     WHERE sp.id = ANY (p_prescriptions)
       AND sp.source = 'PARTNER'
       AND sp."referringPartnerId" = app_partner('REFERRALS_READ')
       AND app_partnership_grants(sp."tenantId", 'REFERRALS_READ')
       AND i.status IN ('ENROLLED', 'ATTENDED')
       AND (g.id IS NOT NULL OR a.id IS NOT NULL)
     ORDER BY sp.id, i."createdAt", i.id
  $$;
REVOKE EXECUTE ON FUNCTION partner_referral_connections(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partner_referral_connections(text[]) TO rx_app;
