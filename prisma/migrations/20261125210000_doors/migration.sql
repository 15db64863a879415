-- AlterTable: rate limits that end by themselves
ALTER TABLE "agents" ADD COLUMN "status_until" TIMESTAMPTZ(3);

-- Every audit event is also a change notification: NOTIFY is sent at commit, so listeners (every app instance)
-- hear exactly the committed changes, in commit order.
CREATE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('fed_events', json_build_object('seq', NEW.id, 'type', NEW.action, 'subject', NEW.subject, 'at', NEW.at)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_notify();
