-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'DEAD');

-- AlterEnum
ALTER TYPE "PartnerScope" ADD VALUE 'WEBHOOKS_MANAGE';

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretNonce" TEXT NOT NULL,
    "secretSetAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "partnerId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "ReferralStatus" NOT NULL,
    "outcome" "ReferralOutcome",
    "statusReason" TEXT,
    "version" INTEGER NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "leasedUntil" TIMESTAMP(3),
    "leaseToken" TEXT,
    "lastAttemptAt" TIMESTAMP(3),
    "lastResponseCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_partnerId_idx" ON "WebhookEndpoint"("partnerId");

-- CreateIndex
CREATE INDEX "WebhookEvent_partnerId_sequence_idx" ON "WebhookEvent"("partnerId", "sequence");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_referralId_sequence_idx" ON "WebhookDelivery"("endpointId", "referralId", "sequence");

-- CreateIndex
CREATE INDEX "WebhookDelivery_partnerId_createdAt_idx" ON "WebhookDelivery"("partnerId", "createdAt");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below (issue 13): the outbox trigger, row-level security, grants.

-- The outbox. Every change of status, outcome or status reason of a partner's referral writes one
-- event, and one delivery per endpoint of that partner, in the transaction that makes the change:
-- a change that rolls back leaves nothing to send. Only where the partner may read the referral's
-- status (an active partnership with the site granting referrals:read) and only when it has an
-- endpoint. SECURITY DEFINER: the site staff whose change it is see neither endpoints nor outbox.
-- Changes of one referral are serialized by its row lock, so their sequence numbers follow them.
CREATE FUNCTION webhook_referral_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  event_id text := gen_random_uuid()::text;
  event_sequence bigint;
  at timestamp(3) := now() AT TIME ZONE 'UTC';
BEGIN
  IF NEW.source <> 'PARTNER' OR NEW."referringPartnerId" IS NULL
     OR (OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.outcome IS NOT DISTINCT FROM NEW.outcome) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."partnerId" = NEW."referringPartnerId")
     OR NOT EXISTS (SELECT 1 FROM "Partnership" p
                     WHERE p."tenantId" = NEW."tenantId" AND p."partnerId" = NEW."referringPartnerId" AND p.active
                       AND 'REFERRALS_READ' = ANY (p.scopes)) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "WebhookEvent" (id, "partnerId", "tenantId", "referralId", type, status, outcome, version, "occurredAt")
  VALUES (event_id, NEW."referringPartnerId", NEW."tenantId", NEW.id, 'referral.updated', NEW.status, NEW.outcome, NEW.version, at)
  RETURNING sequence INTO event_sequence;
  INSERT INTO "WebhookDelivery" (id, "eventId", "endpointId", "partnerId", "referralId", sequence, "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid()::text, event_id, e.id, e."partnerId", NEW.id, event_sequence, at, at
    FROM "WebhookEndpoint" e WHERE e."partnerId" = NEW."referringPartnerId";
  RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION webhook_referral_changed() FROM PUBLIC;

CREATE TRIGGER webhook_outbox AFTER UPDATE ON "SocialPrescription"
  FOR EACH ROW EXECUTE FUNCTION webhook_referral_changed();

-- A partner with webhooks:manage keeps its own endpoints (registering one also needs an active
-- partnership granting it; compared as text, as the value is new in this transaction) and reads its own deliveries and their events; it may only put a
-- delivery of its own back in the queue. The dispatcher works on the owner connection.
GRANT SELECT, INSERT, UPDATE, DELETE ON "WebhookEndpoint" TO rx_app;
GRANT SELECT ON "WebhookEvent" TO rx_app;
GRANT SELECT, UPDATE ("status", "attempts", "nextAttemptAt", "leasedUntil", "leaseToken") ON "WebhookDelivery" TO rx_app;

ALTER TABLE "WebhookEndpoint" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WebhookEndpoint" FORCE ROW LEVEL SECURITY;
ALTER TABLE "WebhookEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WebhookEvent" FORCE ROW LEVEL SECURITY;
ALTER TABLE "WebhookDelivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WebhookDelivery" FORCE ROW LEVEL SECURITY;

CREATE POLICY partner_select ON "WebhookEndpoint" FOR SELECT TO rx_app USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
CREATE POLICY partner_insert ON "WebhookEndpoint" FOR INSERT TO rx_app
  WITH CHECK ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE'))
              AND EXISTS (SELECT 1 FROM "Partnership" p WHERE p."partnerId" = "WebhookEndpoint"."partnerId" AND p.active AND 'WEBHOOKS_MANAGE' = ANY (p.scopes::text[])));
CREATE POLICY partner_update ON "WebhookEndpoint" FOR UPDATE TO rx_app
  USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE'))) WITH CHECK ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
CREATE POLICY partner_delete ON "WebhookEndpoint" FOR DELETE TO rx_app USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
CREATE POLICY partner_select ON "WebhookEvent" FOR SELECT TO rx_app USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
CREATE POLICY partner_select ON "WebhookDelivery" FOR SELECT TO rx_app USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
CREATE POLICY partner_update ON "WebhookDelivery" FOR UPDATE TO rx_app
  USING ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE'))) WITH CHECK ("partnerId" = (SELECT app_partner('WEBHOOKS_MANAGE')));
