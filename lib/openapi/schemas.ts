// Response shapes that belong to no single domain: problem details, pages, health, who-am-I, the briefing.
import { z } from "zod";
import { agentDto } from "@/lib/agents/schema";
import { eventDto } from "@/lib/audit/schema";
import { taskDto } from "@/lib/queue/schema";
import { awaitingBallotDto } from "@/lib/voting/schema";

export const problemDto = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("One entry per invalid field (422)."),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (application/problem+json)." });

/** A page of a list: `?limit=` (1..200) and the opaque `?cursor=` of the previous page's `nextCursor`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const healthDto = z
  .object({ status: z.enum(["ok", "degraded"]), database: z.enum(["ok", "down"]), version: z.string() })
  .meta({ id: "Health" });

export const meDto = z
  .object({
    kind: z.enum(["user", "agent", "admin-token", "system"]),
    role: z.string(),
    label: z.string(),
    agent: z.string().optional(),
  })
  .meta({ id: "Me" });

export const briefingDto = z
  .object({
    agent: agentDto,
    tasks: z.object({
      inProgress: z.array(taskDto),
      pending: z.array(taskDto).describe("What it may claim now, in claim order."),
    }),
    votesAwaitingBallot: z.array(awaitingBallotDto),
    recentLog: z.array(eventDto),
  })
  .meta({ id: "Briefing" });
