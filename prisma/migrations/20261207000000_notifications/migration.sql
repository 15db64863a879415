-- Telling people (issue 24): webhooks to the Standard Webhooks spec (or Slack / Discord messages), email, and the
-- phase KPIs' last seen status. Nothing is lost or sent twice: an audit event a person may need to hear of writes a
-- row to notification_outbox in the same transaction (the trigger below); any instance turns outbox rows into
-- deliveries and mails and deletes them in one transaction (lib/notify/outbox.ts), and sends what is due.
CREATE TABLE "webhook_endpoints" (
  "id" TEXT PRIMARY KEY,
  "url" TEXT NOT NULL,
  "events" TEXT[],
  "format" TEXT NOT NULL DEFAULT 'standard',
  "description" TEXT NOT NULL DEFAULT '',
  "secret" TEXT NOT NULL,
  "previous_secret" TEXT,
  "previous_secret_until" TIMESTAMPTZ(3),
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  "disabled_reason" TEXT,
  "failing_since" TIMESTAMPTZ(3),
  "last_failure_at" TIMESTAMPTZ(3),
  "created_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- One message to one endpoint: its id is the `webhook-id` every attempt sends, its body the exact bytes signed.
CREATE TABLE "webhook_deliveries" (
  "id" TEXT PRIMARY KEY,
  "endpoint_id" TEXT NOT NULL REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
  "event_type" TEXT NOT NULL,
  "event_id" BIGINT,
  "body" TEXT NOT NULL,
  "state" TEXT NOT NULL DEFAULT 'pending',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3),
  "locked_until" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "delivered_at" TIMESTAMPTZ(3)
);
CREATE INDEX "webhook_deliveries_state_next_attempt_at_idx" ON "webhook_deliveries" ("state", "next_attempt_at");
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries" ("endpoint_id", "created_at");

CREATE TABLE "webhook_attempts" (
  "id" BIGSERIAL PRIMARY KEY,
  "delivery_id" TEXT NOT NULL REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "status_code" INTEGER,
  "latency_ms" INTEGER NOT NULL,
  "error" TEXT,
  "response_excerpt" TEXT NOT NULL DEFAULT '',
  "manual" BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX "webhook_attempts_delivery_id_id_idx" ON "webhook_attempts" ("delivery_id", "id");

-- A mail to one person: sent when due (at once, or with the hour's digest).
CREATE TABLE "notification_mails" (
  "id" BIGSERIAL PRIMARY KEY,
  "user_id" TEXT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "event_type" TEXT NOT NULL,
  "event_id" BIGINT,
  "subject" TEXT NOT NULL,
  "text" TEXT NOT NULL,
  "digest" BOOLEAN NOT NULL DEFAULT false,
  "due_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "sent_at" TIMESTAMPTZ(3),
  "failed_at" TIMESTAMPTZ(3),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "locked_until" TIMESTAMPTZ(3),
  "lease" TEXT,
  "error" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "notification_mails_sent_at_due_at_idx" ON "notification_mails" ("sent_at", "due_at");

-- Which events reach a person by mail: { "escalation.opened": "immediate" | "digest" | "off", … }; an event not
-- listed takes the default (admins: escalations at once).
ALTER TABLE "users" ADD COLUMN "notify" JSONB NOT NULL DEFAULT '{}';

-- The phase KPIs' status as last seen, so a move between ok / warn / bad is told once.
CREATE TABLE "kpi_states" (
  "name" TEXT PRIMARY KEY,
  "status" TEXT NOT NULL,
  "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE "notification_outbox" (
  "event_id" BIGINT PRIMARY KEY,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- The list of actions is NOTIFY_EVENTS in lib/notify/events.ts (a test holds the two equal).
CREATE FUNCTION "fed_notification_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "notification_outbox" ("event_id") VALUES (NEW."id");
  RETURN NULL;
END $$;
CREATE TRIGGER "audit_events_notification_outbox" AFTER INSERT ON "audit_events" FOR EACH ROW
  WHEN (NEW."action" IN ('escalation.opened', 'escalation.resolved', 'vote.decided', 'vote.escalated',
                         'task.failed', 'task.completed', 'agent.status_changed', 'kpi.status_changed'))
  EXECUTE FUNCTION "fed_notification_outbox"();
