// Shapes of the Routing API and the rules editor.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { taskType } from "@/lib/queue/schema";

export const ROUTER_VERSIONS = ["v1", "v2"] as const;

export const routeInput = z.strictObject({
  task: z.string().trim().min(1, "Describe the task.").max(10_000),
  type: taskType.optional(),
  explain: z.boolean().optional(),
  compare: z.boolean().optional(),
  version: z.enum(ROUTER_VERSIONS).default("v2"),
});
export type RouteInput = z.input<typeof routeInput>;

export const trainInput = z.strictObject({
  task: z.string().trim().min(1).max(10_000),
  agent: agentName,
  success: z.boolean(),
});

export const ruleInput = z.strictObject({
  agent: agentName,
  kind: z.enum(["type", "keyword"]),
  pattern: z.string().trim().min(1, "Enter a type or keyword.").max(100),
  weight: z.number().min(0, "Weights are 0..1.").max(1, "Weights are 0..1."),
});
export type RuleInput = z.infer<typeof ruleInput>;
export const ruleUpdate = z.strictObject({
  weight: z.number().min(0).max(1).optional(),
  pattern: z.string().trim().min(1).max(100).optional(),
});

export interface RoutingRuleDto extends RuleInput {
  id: string;
  updatedAt: string;
}

export interface Candidate {
  agent: string;
  ruleScore: number;
  mlScore: number;
  final: number;
  status: string;
  matchedRule: string | null;
  terms: { term: string; rate: number; trials: number; shift: number }[];
}

export interface RouteResult {
  agent: string | null;
  confidence: number;
  method: "rules" | "ml" | "hybrid";
  version: "v1" | "v2";
  candidates: Candidate[];
  breakdown?: {
    ruleScore: number;
    mlScore: number;
    mlConfidence: number;
    samples: number;
    weights: { rules: number; ml: number };
  };
  compare?: {
    v1: { agent: string | null; confidence: number };
    v2: { agent: string | null; confidence: number };
    agree: boolean;
  };
  fallbackApplied?: { from: string; to: string; reason: string };
}
