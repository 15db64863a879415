// Outcomes: one row per finished piece of work, the raw material of analytics and routing.
import type { Tx } from "@/lib/db/client";

export interface OutcomeInput {
  agent: string;
  taskType: string;
  success: boolean;
  durationMinutes: number | null;
  rework: boolean;
  taskId?: string | null;
  description?: string | null;
}

export async function recordOutcome(tx: Tx, input: OutcomeInput): Promise<void> {
  await tx.outcome.create({
    data: {
      agent: input.agent,
      taskType: input.taskType,
      success: input.success,
      durationMinutes: input.durationMinutes,
      rework: input.rework,
      taskId: input.taskId ?? null,
      description: input.description ?? null,
    },
  });
}
