-- Routing v2: samples carry their task type and a per-row "learned" mark (exactly-once training, never a
-- high-water mark of ids that commit out of order); the counts are kept per type, term and agent, with the
-- weighted pools the similar-text estimate sums; the model's version comes from a sequence, so a cache keyed on
-- it can never mistake a retrained model for an earlier one. Review completions may carry a verdict.

-- AlterTable
ALTER TABLE "routing_samples" ADD COLUMN "type" TEXT,
ADD COLUMN "learned_at" TIMESTAMPTZ(3);

-- The samples the trainer has still to fold in.
CREATE INDEX "routing_samples_unlearned_idx" ON "routing_samples" ("id") WHERE "learned_at" IS NULL;

-- Task samples learn the task's own type.
UPDATE "routing_samples" s SET "type" = t."type" FROM "tasks" t WHERE s."task_id" = t."id";

-- DropTable (relearnt from routing_samples by the next training run)
DROP TABLE "routing_term_stats";
DROP TABLE "routing_doc_freq";

-- CreateTable
CREATE TABLE "routing_type_stats" (
    "type" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "trials" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_type_stats_pkey" PRIMARY KEY ("type","agent")
);

-- CreateTable
CREATE TABLE "routing_term_stats" (
    "type" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "trials" INTEGER NOT NULL DEFAULT 0,
    "w_successes" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "w_trials" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "routing_term_stats_pkey" PRIMARY KEY ("type","term","agent")
);

-- CreateTable
CREATE TABLE "routing_term_docs" (
    "type" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "docs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_term_docs_pkey" PRIMARY KEY ("type","term")
);

-- AlterTable
ALTER TABLE "routing_model" DROP COLUMN "last_sample_id",
ADD COLUMN "vocabulary" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "version" SET DATA TYPE BIGINT;

CREATE SEQUENCE "routing_model_version";
UPDATE "routing_model" SET "samples" = 0, "vocabulary" = 0, "trained_at" = NULL, "version" = nextval('routing_model_version');

-- AlterTable
ALTER TABLE "schedule_rules" ADD COLUMN "when_verdict" TEXT;

-- Federations seeded before verdicts get the seed's new rule: a review that requests changes sends the work back.
INSERT INTO "schedule_rules" ("id", "name", "enabled", "when_type", "when_agent", "when_success", "when_verdict", "then", "max_chain_depth", "updated_at")
SELECT gen_random_uuid()::text, 'Changes requested → rework', true, 'review', NULL, true, 'changes_requested',
  '[{"type": "implementation", "assignee": "{{parent.agent}}", "titleTemplate": "Rework after review: {{title}}", "priority": "inherit", "dependsOnSource": false}]'::jsonb,
  5, now()
WHERE EXISTS (SELECT 1 FROM "schedule_rules" WHERE "name" = 'Failed review → rework');

-- The routing rules' version: any change to them takes a new value, so every instance's compiled copy knows when
-- to reload.
ALTER TABLE "routing_model" ADD COLUMN "rules_version" BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION routing_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO routing_model (id, rules_version) VALUES (1, nextval('routing_model_version'))
  ON CONFLICT (id) DO UPDATE SET rules_version = EXCLUDED.rules_version;
  RETURN NULL;
END $$;

CREATE TRIGGER routing_rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routing_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION routing_rules_changed();
