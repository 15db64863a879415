-- AlterTable
ALTER TABLE "tasks" ADD COLUMN "spawn_key" TEXT;

-- CreateTable
CREATE TABLE "schedule_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "when_type" TEXT NOT NULL,
    "when_agent" TEXT,
    "when_success" BOOLEAN NOT NULL DEFAULT true,
    "then" JSONB NOT NULL,
    "max_chain_depth" INTEGER NOT NULL DEFAULT 5,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedule_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "federation_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "auto_scheduling" BOOLEAN NOT NULL DEFAULT false,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "federation_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tasks_spawn_key_key" ON "tasks"("spawn_key");

-- CreateIndex
CREATE INDEX "schedule_rules_when_type_enabled_idx" ON "schedule_rules"("when_type", "enabled");
