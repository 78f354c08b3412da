-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "externalReference" TEXT;

-- Hand-written below (issue 13): the outbox trigger of 20261130031000_webhooks, now also on a change
-- of the coded status reason (20261130034000_partner_submission), which the event carries with the
-- partner's own reference. The free-text reason never leaves: it may name the client.
CREATE OR REPLACE FUNCTION webhook_referral_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  event_id text := gen_random_uuid()::text;
  event_sequence bigint;
  at timestamp(3) := now() AT TIME ZONE 'UTC';
BEGIN
  IF NEW.source <> 'PARTNER' OR NEW."referringPartnerId" IS NULL
     OR (OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.outcome IS NOT DISTINCT FROM NEW.outcome
         AND OLD."statusReasonCode" IS NOT DISTINCT FROM NEW."statusReasonCode") THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."partnerId" = NEW."referringPartnerId")
     OR NOT EXISTS (SELECT 1 FROM "Partnership" p
                     WHERE p."tenantId" = NEW."tenantId" AND p."partnerId" = NEW."referringPartnerId" AND p.active
                       AND 'REFERRALS_READ' = ANY (p.scopes)) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "WebhookEvent" (id, "partnerId", "tenantId", "referralId", type, status, outcome, "statusReason", "externalReference", version, "occurredAt")
  VALUES (event_id, NEW."referringPartnerId", NEW."tenantId", NEW.id, 'referral.updated', NEW.status, NEW.outcome,
          NEW."statusReasonCode"::text, NEW."externalReference", NEW.version, at)
  RETURNING sequence INTO event_sequence;
  INSERT INTO "WebhookDelivery" (id, "eventId", "endpointId", "partnerId", "referralId", sequence, "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid()::text, event_id, e.id, e."partnerId", NEW.id, event_sequence, at, at
    FROM "WebhookEndpoint" e WHERE e."partnerId" = NEW."referringPartnerId";
  RETURN NULL;
END $$;
