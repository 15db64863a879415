-- The live claim holding a lease token, found by the token: claimNext's tries look for the task an earlier try of
-- the same call took (lib/queue/claim-task.ts). Partial: only live claims carry a token, so the index stays the
-- size of the work in progress.
CREATE UNIQUE INDEX "tasks_lease_token_key" ON "tasks" ("lease_token") WHERE "lease_token" IS NOT NULL;
