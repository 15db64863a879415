// Shapes of the Tasks API: the single source for routes, the create form and the CLI.
import { z } from "zod";
import { agentName } from "@/lib/agents/schema";
import { eventDto } from "@/lib/audit/schema";
import { listQuery } from "@/lib/http/list";
import { isoTime } from "@/lib/http/time";

export const TASK_STATES = ["pending", "in_progress", "completed", "failed", "cancelled"] as const;
export const taskState = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof taskState>;

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof priority>;
export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

export const taskType = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "Use a slug: lowercase letters, digits and dashes (research, implementation, …).");

export const taskId = z.string().regex(/^task-\d{8}-\d{6}-\d{4,}$/, "Not a task id (task-YYYYMMDD-HHMMSS-NNNN).");

export const createTaskInput = z.strictObject({
  title: z.string().trim().min(1, "Give the task a title.").max(200, "Keep the title within 200 characters."),
  description: z.string().max(10_000, "Keep the description within 10 000 characters.").optional(),
  type: taskType,
  priority: priority.default("normal"),
  assignee: agentName.nullable().optional(),
  dependsOn: z.array(z.string().min(1).max(64)).max(50).optional(),
  maxAttempts: z.number().int().min(1).max(20).default(3),
  idempotencyKey: z.string().min(1).max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CreateTaskInput = z.input<typeof createTaskInput>;

/** The queue console's filter, shared by the list, counts, bulk actions and CSV export (lib/queue/filter.ts). */
export const taskFilter = z.object({
  state: taskState.optional(),
  assignee: z.string().max(40).optional().describe('an agent\'s name, or "none" for unassigned tasks'),
  type: z.string().max(40).optional(),
  priority: priority.optional(),
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      "words of the title, description or outcome summary (prefixes match: `migr` finds migration), or a task id",
    ),
});
export type TaskFilter = z.infer<typeof taskFilter>;

export const listTasksQuery = listQuery.extend(taskFilter.shape).extend({
  order: z
    .enum(["newest", "claim"])
    .default("newest")
    .describe("newest first (default), or claim order: priority, then oldest first — the order claims take them in"),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const leaseSeconds = z.number().int().min(30).max(3600);

export const claimInput = z.strictObject({
  types: z.array(taskType).max(50).optional(),
  leaseSeconds: leaseSeconds.default(300),
  agent: agentName.optional(),
  waitSeconds: z
    .number()
    .min(0, "waitSeconds is 0..30.")
    .max(30, "waitSeconds is 0..30.")
    .optional()
    .describe("Long poll: wait up to this long for a task to become claimable; 204 only at the end of the wait."),
});
export type ClaimInput = z.infer<typeof claimInput>;

/** The claim's fencing token, in the body or the `X-Lease-Token` header. */
export const leaseToken = z.string().min(1).max(200);

export const heartbeatInput = z.strictObject({
  leaseSeconds: leaseSeconds.default(300),
  leaseToken: leaseToken.optional(),
});
export const releaseInput = z.strictObject({
  reason: z.string().max(2000).optional(),
  leaseToken: leaseToken.optional(),
});

/** A review's finding: a review that requests changes is a successful review (the work goes back, not the reviewer). */
export const VERDICTS = ["approved", "changes_requested"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const completeInput = z
  .strictObject({
    success: z.boolean(),
    verdict: z
      .enum(VERDICTS)
      .optional()
      .describe("Reviews: approved or changes_requested. Either way the review succeeded (send success: true)."),
    durationMinutes: z.number().min(0).max(100_000).optional(),
    rework: z.boolean().optional(),
    summary: z.string().max(10_000).optional(),
    output: z.unknown().optional(),
    retry: z.boolean().optional(),
    leaseToken: leaseToken.optional(),
    claimNext: z.boolean().optional().describe("Claim the caller's next task in the same call: `next` in the answer."),
    types: z.array(taskType).max(50).optional().describe("With claimNext: the task types to claim."),
    leaseSeconds: leaseSeconds.optional().describe("With claimNext: the next claim's lease (default 300)."),
  })
  .refine((v) => !v.verdict || v.success, {
    path: ["verdict"],
    message: "A verdict comes with success: true — a review that requests changes is a successful review.",
  });
export type CompleteInput = z.infer<typeof completeInput>;

export const cancelInput = z.strictObject({ reason: z.string().max(2000).optional() });
export const reassignInput = z.strictObject({ assignee: agentName, note: z.string().max(2000).optional() });
export const addDependenciesInput = z.strictObject({ dependsOn: z.array(z.string().min(1).max(64)).min(1).max(50) });

const json = z.record(z.string(), z.unknown());

export const taskDto = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    type: z.string(),
    priority,
    state: taskState,
    assignee: z.string().nullable(),
    createdBy: z.string(),
    source: z.enum(["manual", "auto", "api"]),
    parentId: z.string().nullable(),
    ruleId: z.string().nullable(),
    chainDepth: z.number().int(),
    dependsOn: z.array(z.string()),
    blocked: z.boolean().describe("True while any dependency is not completed."),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    leaseExpiresAt: isoTime.nullable(),
    claimedBy: z.string().nullable(),
    claimedAt: isoTime.nullable(),
    outcome: json.nullable(),
    routing: json.nullable(),
    metadata: json,
    createdAt: isoTime,
    updatedAt: isoTime,
    completedAt: isoTime.nullable(),
  })
  .meta({ id: "Task" });
export type TaskDto = z.infer<typeof taskDto>;

/** A task as its claim returns it: with the claim's own lease token, which nothing else reveals. */
export const claimedTaskDto = taskDto
  .extend({
    leaseToken: z.string().describe("Present it to heartbeat, release and complete (X-Lease-Token or leaseToken)."),
  })
  .meta({ id: "ClaimedTask" });
export type ClaimedTaskDto = z.infer<typeof claimedTaskDto>;

/** The task types every federation starts with; any type a task has used is known too. */
export const KNOWN_TASK_TYPES = [
  "research",
  "design",
  "implementation",
  "review",
  "testing",
  "documentation",
  "debugging",
  "refactor",
  "deployment",
] as const;

export const taskDetailDto = taskDto
  .extend({ events: z.array(eventDto), followUps: z.array(taskDto), dependents: z.array(z.string()) })
  .meta({ id: "TaskDetail" });

export const completionDto = z
  .object({ task: taskDto, followUps: z.array(taskDto), next: claimedTaskDto.nullable().optional() })
  .meta({ id: "Completion" });

export const leaseDto = z.object({ leaseExpiresAt: isoTime }).meta({ id: "Lease" });

export const taskCountsDto = z
  .object({ ...Object.fromEntries(TASK_STATES.map((st) => [st, z.number().int()])), total: z.number().int() })
  .meta({ id: "TaskCounts" });
