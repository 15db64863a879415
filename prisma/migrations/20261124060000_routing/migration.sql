-- CreateEnum
CREATE TYPE "RoutingRuleKind" AS ENUM ('type', 'keyword');

-- CreateTable
CREATE TABLE "routing_rules" (
    "id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "kind" "RoutingRuleKind" NOT NULL,
    "pattern" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_samples" (
    "id" BIGSERIAL NOT NULL,
    "text" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "task_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_term_stats" (
    "agent" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "trials" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_term_stats_pkey" PRIMARY KEY ("agent","term")
);

-- CreateTable
CREATE TABLE "routing_doc_freq" (
    "term" TEXT NOT NULL,
    "docs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_doc_freq_pkey" PRIMARY KEY ("term")
);

-- CreateTable
CREATE TABLE "routing_model" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "samples" INTEGER NOT NULL DEFAULT 0,
    "last_sample_id" BIGINT NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "trained_at" TIMESTAMPTZ(3),

    CONSTRAINT "routing_model_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "routing_rules_agent_kind_pattern_key" ON "routing_rules"("agent", "kind", "pattern");

-- CreateIndex
CREATE INDEX "routing_term_stats_term_idx" ON "routing_term_stats"("term");

-- AddForeignKey
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_agent_fkey" FOREIGN KEY ("agent") REFERENCES "agents"("name") ON DELETE CASCADE ON UPDATE CASCADE;
