-- What the holder's agent printed while it worked on a task (`fed run` streams it): appended in chunks per attempt,
-- and kept bounded — once an attempt's log passes 1 MiB its oldest chunks go (lib/queue/task-log.ts).
CREATE TABLE "task_log_chunks" (
  "id" BIGSERIAL PRIMARY KEY,
  "task_id" TEXT NOT NULL REFERENCES "tasks" ("id") ON DELETE CASCADE,
  "attempt" INTEGER NOT NULL,
  "stream" TEXT NOT NULL,
  "text" TEXT NOT NULL,
  "bytes" INTEGER NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "task_log_chunks_task_id_attempt_id_idx" ON "task_log_chunks" ("task_id", "attempt", "id");
