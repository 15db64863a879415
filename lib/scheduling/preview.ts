// "What would happen": the follow-ups a sample completion would create, without creating anything.
import type { Tx } from "@/lib/db/client";
import { planFollowUps } from "./engine";
import { listScheduleRules } from "./rules";
import { previewInput, type PlannedFollowUp, type PreviewInput } from "./schema";
import { getFederationState } from "./state";

export async function previewFollowUps(
  db: Tx,
  raw: PreviewInput,
): Promise<{ autoScheduling: boolean; followUps: PlannedFollowUp[] }> {
  const input = previewInput.parse(raw);
  const [state, rules] = await Promise.all([getFederationState(db), listScheduleRules(db)]);
  const followUps = planFollowUps(rules, {
    id: "task-YYYYMMDD-HHMMSS-0000",
    title: input.title,
    type: input.type,
    agent: input.agent,
    success: input.success,
    verdict: input.verdict ?? null,
    priority: input.priority,
    chainDepth: input.chainDepth,
    parentAgent: null,
  });
  return { autoScheduling: state.autoScheduling, followUps };
}
