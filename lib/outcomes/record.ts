// Outcomes: one row per finished piece of work, the raw material of analytics and routing. A trigger keeps
// the hourly rollups (outcome_rollups) in step, in the same transaction.
import type { Tx } from "@/lib/db/client";

export interface OutcomeInput {
  agent: string;
  taskType: string;
  success: boolean;
  durationMinutes: number | null;
  rework: boolean;
  taskId?: string | null;
  description?: string | null;
  /** The agent the router chose for the task, if the router chose. */
  routedAgent?: string | null;
  /** Whether this outcome ended the task's run (default true); false for a failure a retry follows. */
  endsTask?: boolean;
  at?: Date;
}

/** The agent a task's routing record names, if the router assigned it. */
export function routedAgentOf(routing: unknown): string | null {
  const agent = (routing as { agent?: unknown } | null)?.agent;
  return typeof agent === "string" ? agent : null;
}

export async function recordOutcome(tx: Tx, input: OutcomeInput): Promise<bigint> {
  const row = await tx.outcome.create({
    data: {
      agent: input.agent,
      taskType: input.taskType,
      success: input.success,
      durationMinutes: input.durationMinutes,
      rework: input.rework,
      taskId: input.taskId ?? null,
      description: input.description ?? null,
      routedAgent: input.routedAgent ?? null,
      endsTask: input.endsTask ?? true,
      ...(input.at ? { at: input.at } : {}),
    },
    select: { id: true },
  });
  return row.id;
}
