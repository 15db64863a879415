// Shapes of the voting booth: the single source for routes, the booth's form, the CLI and MCP.
import { z } from "zod";
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
    closesAt: z.iso.datetime({ offset: true, message: "Use an ISO 8601 time, e.g. 2026-12-01T12:00:00Z." }).optional(),
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
  closesAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().trim().max(2000).optional(),
});

export const listVotesQuery = listQuery.extend({ status: z.enum(VOTE_STATUSES).optional() });
export type ListVotesQuery = z.infer<typeof listVotesQuery>;

export interface BallotDto {
  voter: string;
  option: string;
  confidence: number;
  rationale: string | null;
  at: string;
}

/** A resolved vote's result; when a person decided an escalated one, who and why. */
export type VoteResultDto = VoteResult & { decidedBy?: string; note?: string; decidedAt?: string };

export interface VoteDto {
  id: string;
  question: string;
  options: string[];
  voters: string[];
  method: VoteMethod;
  threshold: number;
  quorum: number | null;
  requireRationale: boolean;
  status: VoteStatus;
  closesAt: string | null;
  ballots: BallotDto[];
  /** Scores of the ballots so far (live while open; final once resolved). */
  scores: Record<string, number>;
  result: VoteResultDto | null;
  decidedBy: string | null;
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
}
