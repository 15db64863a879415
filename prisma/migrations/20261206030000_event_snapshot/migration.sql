-- A stream that resumes from an event gets the earlier rows of transactions that had not committed when that event
-- was written: its writer's snapshot says which (running then, or begun since). The oldest running transaction
-- (`horizon`) said too much — it is the whole cluster's, so any transaction open anywhere on the server, in another
-- database too, made a resume replay rows the stream already had. Rows written before this column have none and
-- resume by the horizon as before; no rewrite of the log.
ALTER TABLE "audit_events" ADD COLUMN "snap" pg_snapshot;
ALTER TABLE "audit_events" ALTER COLUMN "snap" SET DEFAULT pg_current_snapshot();
