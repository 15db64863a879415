// Shapes of the voting booth: the single source for routes, the booth's form, the CLI and MCP.
import { z } from "zod";
import { isoTimeInput, isoTime } from "@/lib/http/time";
import { agentName } from "@/lib/agents/schema";
import { listQuery } from "@/lib/http/list";
import type { VoteMethod, VoteResult } from "./resolve";

export const VOTE_METHODS = ["weighted_confidence", "simple_majority"] as const;
export const VOTE_STATUSES = ["open", "decided", "escalated"] as const;
export type VoteStatus = (typeof VOTE_STATUSES)[number];

const option = z.string().trim().min(1, "Options cannot be empty.").max(200);

export const createVoteInput = z
  .strictObject({
    question: z.string().trim().min(1, "Ask a question.").max(500),
    options: z
      .array(option)
      .min(2, "Give at least two options.")
      .max(10, "Give at most ten options.")
      .refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, "Options must differ from each other."),
    voters: z
      .array(agentName)
      .min(1, "Name at least one voter.")
      .max(50)
      .refine((v) => new Set(v).size === v.length, "Name each voter once.")
      .optional(),
    closesAt: isoTimeInput().optional(),
    threshold: z.number().min(0).max(1).default(0.7),
    method: z.enum(VOTE_METHODS).default("weighted_confidence"),
    quorum: z.number().int().min(1).max(50).optional(),
    requireRationale: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.closesAt && new Date(v.closesAt).getTime() <= Date.now())
      ctx.addIssue({ code: "custom", path: ["closesAt"], message: "The closing time has passed." });
    if (v.quorum && v.voters && v.quorum > v.voters.length) {
      ctx.addIssue({
        code: "custom",
        path: ["quorum"],
        message: `A quorum of ${v.quorum} cannot be met by ${v.voters.length} voter(s).`,
      });
    }
  });
export type CreateVoteInput = z.input<typeof createVoteInput>;

export const ballotInput = z.strictObject({
  option,
  confidence: z.number().min(0, "Confidence is between 0 and 1.").max(1, "Confidence is between 0 and 1."),
  rationale: z.string().trim().min(1).max(4000).optional(),
});
export type BallotInput = z.infer<typeof ballotInput>;

export const reopenInput = z.strictObject({
  closesAt: isoTimeInput().optional(),
  note: z.string().trim().max(2000).optional(),
});

export const listVotesQuery = listQuery.extend({ status: z.enum(VOTE_STATUSES).optional() });
export type ListVotesQuery = z.infer<typeof listVotesQuery>;

export const ballotDto = z
  .object({
    voter: z.string(),
    option: z.string(),
    confidence: z.number(),
    rationale: z.string().nullable(),
    at: isoTime,
  })
  .meta({ id: "Ballot" });
export type BallotDto = z.infer<typeof ballotDto>;

const REASONS = ["unanimous", "majority", "tie", "low_confidence", "no_ballots", "no_quorum"] as const;

/** A resolved vote's result; when a person decided an escalated one, who and why. */
export const voteResultDto = z
  .object({
    status: z.enum(["decided", "escalated"]),
    winner: z.string().optional(),
    leading: z.string().optional().describe("The option ahead when an escalated vote had one."),
    scores: z.record(z.string(), z.number()),
    decisionConfidence: z.number(),
    reason: z.enum(REASONS),
    decidedBy: z.string().optional(),
    note: z.string().optional(),
    decidedAt: isoTime.optional(),
  })
  .meta({ id: "VoteResult" });
export type VoteResultDto = z.infer<typeof voteResultDto> & VoteResult;

export const voteDto = z
  .object({
    id: z.string(),
    question: z.string(),
    options: z.array(z.string()),
    voters: z.array(z.string()),
    method: z.enum(VOTE_METHODS),
    threshold: z.number(),
    quorum: z.number().int().nullable(),
    requireRationale: z.boolean(),
    status: z.enum(VOTE_STATUSES),
    closesAt: isoTime.nullable(),
    ballots: z.array(ballotDto),
    scores: z
      .record(z.string(), z.number())
      .describe("Scores of the ballots so far (live while open, final once resolved)."),
    result: voteResultDto.nullable(),
    decidedBy: z.string().nullable(),
    createdBy: z.string(),
    createdAt: isoTime,
    resolvedAt: isoTime.nullable(),
  })
  .meta({ id: "Vote" });
export type VoteDto = Omit<z.infer<typeof voteDto>, "method" | "result"> & {
  method: VoteMethod;
  result: VoteResultDto | null;
};

export const awaitingBallotDto = voteDto
  .extend({ timeLeftSeconds: z.number().int().nullable() })
  .meta({ id: "VoteAwaitingBallot" });
