-- Each instance publishes, every heartbeat, what each caller asked of it (requests a second per rate-limit key);
-- each takes of a caller's rate the part of its demand it serves, so a caller pinned to one instance and a caller
-- spread over all of them both get their configured rate.

-- AlterTable
ALTER TABLE "instances" ADD COLUMN "demand" JSONB NOT NULL DEFAULT '{}';
