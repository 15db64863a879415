-- CreateEnum
CREATE TYPE "TaskState" AS ENUM ('pending', 'in_progress', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "TaskPriority" AS ENUM ('low', 'normal', 'high', 'urgent');

-- CreateEnum
CREATE TYPE "TaskSource" AS ENUM ('manual', 'auto', 'api');

-- CreateEnum
CREATE TYPE "EscalationKind" AS ENUM ('vote', 'task', 'routing');

-- CreateEnum
CREATE TYPE "EscalationState" AS ENUM ('open', 'resolved');

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL,
    "priority" "TaskPriority" NOT NULL DEFAULT 'normal',
    "state" "TaskState" NOT NULL DEFAULT 'pending',
    "assignee" TEXT,
    "created_by" TEXT NOT NULL,
    "source" "TaskSource" NOT NULL DEFAULT 'api',
    "parent_id" TEXT,
    "rule_id" TEXT,
    "chain_depth" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "lease_expires_at" TIMESTAMPTZ(3),
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "outcome" JSONB,
    "last_completion" JSONB,
    "routing" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_dependencies" (
    "task_id" TEXT NOT NULL,
    "depends_on_id" TEXT NOT NULL,

    CONSTRAINT "task_dependencies_pkey" PRIMARY KEY ("task_id","depends_on_id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "caller" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("caller","key")
);

-- CreateTable
CREATE TABLE "id_sequences" (
    "prefix" TEXT NOT NULL,
    "second" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "id_sequences_pkey" PRIMARY KEY ("prefix","second")
);

-- CreateTable
CREATE TABLE "outcomes" (
    "id" BIGSERIAL NOT NULL,
    "agent" TEXT NOT NULL,
    "task_type" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "duration_minutes" DOUBLE PRECISION,
    "rework" BOOLEAN NOT NULL DEFAULT false,
    "task_id" TEXT,
    "description" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalations" (
    "id" TEXT NOT NULL,
    "kind" "EscalationKind" NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "state" "EscalationState" NOT NULL DEFAULT 'open',
    "resolution" JSONB,
    "resolved_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tasks_state_assignee_priority_created_at_idx" ON "tasks"("state", "assignee", "priority" DESC, "created_at");

-- CreateIndex
CREATE INDEX "tasks_state_lease_expires_at_idx" ON "tasks"("state", "lease_expires_at");

-- CreateIndex
CREATE INDEX "tasks_parent_id_idx" ON "tasks"("parent_id");

-- CreateIndex
CREATE INDEX "tasks_created_at_idx" ON "tasks"("created_at" DESC);

-- CreateIndex
CREATE INDEX "task_dependencies_depends_on_id_idx" ON "task_dependencies"("depends_on_id");

-- CreateIndex
CREATE INDEX "outcomes_agent_task_type_idx" ON "outcomes"("agent", "task_type");

-- CreateIndex
CREATE INDEX "outcomes_task_type_idx" ON "outcomes"("task_type");

-- CreateIndex
CREATE INDEX "outcomes_at_idx" ON "outcomes"("at");

-- CreateIndex
CREATE INDEX "escalations_state_kind_created_at_idx" ON "escalations"("state", "kind", "created_at");

-- CreateIndex
CREATE INDEX "escalations_subject_id_idx" ON "escalations"("subject_id");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_fkey" FOREIGN KEY ("assignee") REFERENCES "agents"("name") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_claimed_by_fkey" FOREIGN KEY ("claimed_by") REFERENCES "agents"("name") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_depends_on_id_fkey" FOREIGN KEY ("depends_on_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
