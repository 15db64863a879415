// Routing's entry points for the API: train from a sample, describe the model.
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAgentOrAdmin, requireWriter } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { Invalid } from "@/lib/errors";
import { addSample, loadModel, trainPending, type ModelInfo } from "./model";

export async function trainFromApi(
  db: Db,
  actor: Actor,
  input: { task: string; agent: string; success: boolean },
): Promise<ModelInfo> {
  requireWriter(actor, "train the router");
  if (actor.kind === "agent") requireAgentOrAdmin(actor, input.agent, "record training samples");
  if (!(await db.agent.findUnique({ where: { name: input.agent }, select: { name: true } }))) {
    throw new Invalid(`Unknown agent ${input.agent}.`, [{ path: "agent", message: `No agent named ${input.agent}.` }]);
  }
  await db.$transaction(async (tx) => {
    await addSample(tx, { text: input.task, agent: input.agent, success: input.success, source: "api" });
    await recordEvent(tx, {
      actor,
      action: "routing.trained",
      subject: `agent:${input.agent}`,
      details: { success: input.success, task: input.task.slice(0, 200) },
    });
  });
  await trainPending(db);
  return (await loadModel(db)).info;
}
