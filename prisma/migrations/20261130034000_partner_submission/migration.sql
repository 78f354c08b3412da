-- CreateEnum
CREATE TYPE "StatusReasonCode" AS ENUM ('NOT_ELIGIBLE', 'CLIENT_DECLINED', 'UNABLE_TO_CONTACT', 'CAPACITY', 'REFERRED_ELSEWHERE', 'DUPLICATE', 'OTHER');

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "healthCardNumber" TEXT,
ADD COLUMN     "mergedAt" TIMESTAMP(3),
ADD COLUMN     "mergedIntoId" TEXT,
ADD COLUMN     "possibleDuplicateOfIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "PrescriptionEvent" ADD COLUMN     "statusReasonCode" "StatusReasonCode";

-- AlterTable
ALTER TABLE "SocialPrescription" ADD COLUMN     "externalReference" TEXT,
ADD COLUMN     "statusReasonCode" "StatusReasonCode",
ADD COLUMN     "submissionHash" TEXT;

-- CreateIndex
CREATE INDEX "Client_tenantId_dateOfBirth_idx" ON "Client"("tenantId", "dateOfBirth");

-- CreateIndex
CREATE INDEX "Client_tenantId_healthCardNumber_idx" ON "Client"("tenantId", "healthCardNumber");

-- CreateIndex
CREATE INDEX "SocialPrescription_referringPartnerId_updatedAt_id_idx" ON "SocialPrescription"("referringPartnerId", "updatedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SocialPrescription_referringPartnerId_externalReference_key" ON "SocialPrescription"("referringPartnerId", "externalReference");

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_tenantId_mergedIntoId_fkey" FOREIGN KEY ("tenantId", "mergedIntoId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below (issue 13): grants, the partner's look-ups, name normalization.

-- Client and SocialPrescription keep their record key out of the request role's reach with column
-- privileges (20261130010000_cell_keys): a new column is granted by name.
GRANT SELECT ("healthCardNumber", "possibleDuplicateOfIds", "mergedIntoId", "mergedAt"),
      INSERT ("healthCardNumber", "possibleDuplicateOfIds", "mergedIntoId", "mergedAt"),
      UPDATE ("healthCardNumber", "possibleDuplicateOfIds", "mergedIntoId", "mergedAt") ON "Client" TO rx_app;
GRANT SELECT ("externalReference", "submissionHash", "statusReasonCode"),
      INSERT ("externalReference", "submissionHash", "statusReasonCode"),
      UPDATE ("externalReference", "submissionHash", "statusReasonCode") ON "SocialPrescription" TO rx_app;

-- A name as client matching compares it: lower case, accents dropped (NFD, then no combining
-- marks), no whitespace, hyphens, apostrophes or periods. Letters of every script are kept.
CREATE FUNCTION client_name_key(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(lower(normalize(name, NFD)), '[\u0300-\u036f[:space:]''’.‐-]', '', 'g') $$;
GRANT EXECUTE ON FUNCTION client_name_key(text) TO rx_app;

-- The referral a partner already submitted under its own reference (any site), for an idempotent
-- resubmission. A partner sees none of its referrals without referrals:read, so it asks here: only
-- its own, only the id, site and the hash of what it sent.
CREATE FUNCTION partner_submission(p_reference text)
  RETURNS TABLE (id text, "tenantId" text, "submissionHash" text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT sp.id, sp."tenantId", sp."submissionHash" FROM "SocialPrescription" sp
     WHERE sp.source = 'PARTNER' AND sp."referringPartnerId" = app_partner('REFERRALS_CREATE') AND sp."externalReference" = p_reference
  $$;
REVOKE EXECUTE ON FUNCTION partner_submission(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partner_submission(text) TO rx_app;

-- The site's clients a partner-submitted person may be (README, "Client matching"): same date of
-- birth and same normalized given and family names, or the same health card number. Only for a
-- partner whose partnership with the site grants referrals:create; not merged-away records. The
-- server decides from the flags; nothing of these clients reaches the partner.
CREATE FUNCTION partner_client_candidates(p_tenant text, p_given text, p_family text, p_birth date, p_card text)
  RETURNS TABLE (id text, "sameNameAndBirth" boolean, "cardAgrees" boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT c.id,
           coalesce(c."dateOfBirth" = p_birth AND client_name_key(c."givenName") = client_name_key(p_given)
                    AND client_name_key(c."familyName") = client_name_key(p_family), false),
           -- null: one side has no health card number, so it neither agrees nor conflicts
           CASE WHEN p_card IS NULL OR c."healthCardNumber" IS NULL THEN NULL ELSE c."healthCardNumber" = p_card END
      FROM "Client" c
     WHERE c."tenantId" = p_tenant AND c."mergedIntoId" IS NULL
       AND app_partnership_grants(p_tenant, 'REFERRALS_CREATE')
       AND ((p_birth IS NOT NULL AND c."dateOfBirth" = p_birth
             AND client_name_key(c."givenName") = client_name_key(p_given) AND client_name_key(c."familyName") = client_name_key(p_family))
            OR (p_card IS NOT NULL AND c."healthCardNumber" = p_card))
     ORDER BY c."createdAt", c.id
  $$;
REVOKE EXECUTE ON FUNCTION partner_client_candidates(text, text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partner_client_candidates(text, text, text, date, text) TO rx_app;

-- mergeClients: once the caller has marked one client of its site merged into another (an UPDATE
-- row-level security allowed), this moves the merged client's history onto the kept one: its
-- prescriptions (with their events and items), consents, lock-box directives, assessments,
-- utilization and Health Champion link. Consents and locks are otherwise never rewritten, hence a
-- function: it moves rows only between two clients of the caller's own site, and only for a merge
-- already recorded. The audit trail is not moved: it records what happened to which record.
CREATE FUNCTION merge_client_records(p_merged text) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  site text := app_phi_tenant();
  kept text;
  moved integer := 0;
  n integer;
BEGIN
  SELECT c."mergedIntoId" INTO kept FROM "Client" c WHERE c."tenantId" = site AND c.id = p_merged;
  IF site IS NULL OR kept IS NULL THEN
    RAISE EXCEPTION 'no merge of client % recorded at the caller''s site', p_merged USING ERRCODE = '42501';
  END IF;
  UPDATE "SocialPrescription" SET "clientId" = kept, "updatedAt" = now(), version = version + 1 WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  UPDATE "ClientConsent" SET "clientId" = kept WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  UPDATE "ClientLock" SET "clientId" = kept WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  UPDATE "OutcomeAssessment" SET "clientId" = kept WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  UPDATE "UtilizationRecord" SET "clientId" = kept WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  UPDATE "HealthChampion" SET "clientId" = kept WHERE "tenantId" = site AND "clientId" = p_merged;
  GET DIAGNOSTICS n = ROW_COUNT; moved := moved + n;
  RETURN moved;
END $$;
REVOKE EXECUTE ON FUNCTION merge_client_records(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION merge_client_records(text) TO rx_app;
