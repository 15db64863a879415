// Shapes of the Routing API and the rules editor.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { taskType } from "@/lib/queue/schema";
import { isoTime } from "@/lib/http/time";

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
  /** the task's type: the model learns the agent's rate on it (without, only the text counts) */
  type: taskType.optional(),
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

export const routingRuleDto = z
  .object({
    id: z.string(),
    agent: z.string(),
    kind: z.enum(["type", "keyword"]),
    pattern: z.string(),
    weight: z.number(),
    updatedAt: isoTime,
  })
  .meta({ id: "RoutingRule" });
export type RoutingRuleDto = z.infer<typeof routingRuleDto>;

export const candidate = z
  .object({
    agent: z.string(),
    ruleScore: z.number(),
    mlScore: z.number(),
    final: z.number().describe("0.6 × ruleScore + 0.4 × mlScore × mlConfidence (v2), or ruleScore (v1)."),
    status: z.string(),
    matchedRule: z.string().nullable().describe("The strongest matching rule, as kind:pattern."),
    matchedRules: z.array(z.string()).describe("Every matching rule; their weights combine as 1 − Π(1 − weight)."),
    ml: z
      .object({
        type: z.string().nullable().describe("The task type the ML score leans on (given, or predicted)."),
        typeRate: z.number().describe("The agent's success rate on that type, shrunk toward the type's pooled rate."),
        overallRate: z.number(),
      })
      .optional(),
    terms: z
      .array(
        z.object({
          term: z.string(),
          successes: z.number().int(),
          trials: z.number().int().describe("The agent's samples of the type containing the term; 0 = none yet."),
          rate: z.number().nullable().describe("successes / trials, or null when there are no samples."),
          weight: z.number().describe("The term's share of the similarity (idf², normalised)."),
        }),
      )
      .describe("The words behind the ML score: the agent's outcomes on similar texts of the type."),
  })
  .meta({ id: "RoutingCandidate" });
export type Candidate = z.infer<typeof candidate>;

const pick = z.object({ agent: z.string().nullable(), confidence: z.number() });

export const routeResult = z
  .object({
    agent: z.string().nullable(),
    confidence: z.number(),
    method: z.enum(["rules", "ml", "hybrid"]),
    version: z.enum(ROUTER_VERSIONS),
    candidates: z.array(candidate),
    breakdown: z
      .object({
        ruleScore: z.number(),
        mlScore: z.number(),
        mlConfidence: z.number(),
        samples: z.number(),
        weights: z.object({ rules: z.number(), ml: z.number() }),
      })
      .optional(),
    compare: z.object({ v1: pick, v2: pick, agree: z.boolean() }).optional(),
    fallbackApplied: z.object({ from: z.string(), to: z.string(), reason: z.string() }).optional(),
    personDecides: z
      .boolean()
      .describe(
        "No headline agent: `agent` is null and a person chooses (a new task escalates). `reason` says why: no agent reaches confidence 0.30, the text carries no evidence, or no active agent or fallback can take it.",
      ),
    reason: z
      .string()
      .optional()
      .describe(
        "Why a person decides (only with `personDecides`): `no evidence` when no routing rule matches and the model knows none of the text's words, whatever the agents' prior rates.",
      ),
    typeGuess: z
      .array(z.object({ type: z.string(), probability: z.number() }))
      .optional()
      .describe("Without a given type: the types the classifier reads in the text, most likely first."),
  })
  .meta({ id: "RouteResult" });
export type RouteResult = z.infer<typeof routeResult>;

export const modelInfo = z
  .object({
    samples: z.number().int(),
    vocabularySize: z.number().int(),
    agents: z.array(z.string()),
    trainedAt: isoTime.nullable(),
  })
  .meta({ id: "RoutingModel" });
