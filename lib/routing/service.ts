// Routing's entry points for the API: train from a sample, describe the model.
import type { Db } from "@/lib/db/client";
import { poolOf } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAgentOrAdmin, requireWriter } from "@/lib/auth/policy";
import { Invalid } from "@/lib/errors";
import { trainSoon } from "./model";
import { modelInfo, type ModelInfo } from "./state";
import { actionSql } from "@/lib/audit/actions";

export async function trainFromApi(
  db: Db,
  actor: Actor,
  input: { task: string; agent: string; success: boolean; type?: string },
): Promise<ModelInfo> {
  requireWriter(actor, "train the router");
  if (actor.kind === "agent") requireAgentOrAdmin(actor, input.agent, "record training samples");
  // The sample and its audit event in one statement (no interactive transaction to wait for under load).
  const { rowCount } = await poolOf(db).query(
    `WITH agent AS (SELECT name FROM agents WHERE name = $3),
     sample AS (
       INSERT INTO routing_samples (text, type, agent, success, source)
       SELECT $1, $2, name, $4, 'api' FROM agent RETURNING id
     )
     INSERT INTO audit_events (actor, action, subject, details)
     SELECT $5, ${actionSql("routing.trained")}, 'agent:' || $3, $6::jsonb FROM sample`,
    [
      input.task,
      input.type ?? null,
      input.agent,
      input.success,
      actor.label,
      JSON.stringify({
        success: input.success,
        task: input.task.slice(0, 200),
        ...(input.type ? { type: input.type } : {}),
      }),
    ],
  );
  if (!rowCount)
    throw new Invalid(`Unknown agent ${input.agent}.`, [{ path: "agent", message: `No agent named ${input.agent}.` }]);
  // The sample is committed; answer once a training run that started after it has folded it in (runs coalesce).
  await trainSoon(db);
  return modelInfo(db);
}
