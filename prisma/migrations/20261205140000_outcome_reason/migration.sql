-- An agent that hangs or dies holding a task is charged with a failed outcome when its lease expires; `reason`
-- says so ("lease expired"), where the agent itself never reported.

-- AlterTable
ALTER TABLE "outcomes" ADD COLUMN "reason" TEXT;
