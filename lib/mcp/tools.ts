// The MCP server's tools: thin shells over the same lib/ functions and zod schemas as the HTTP API, acting as
// the caller's own identity, so access rules and refusals are the API's own (a refusal comes back as a tool
// error carrying the same status and message).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { briefing } from "@/lib/agents/service";
import { outcomeInput } from "@/lib/analytics/schema";
import { recordOutcomeFromApi } from "@/lib/analytics/service";
import { DomainError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/http/unavailable";
import { claimTask } from "@/lib/queue/claim-task";
import { completeTask } from "@/lib/queue/complete-task";
import { createTask } from "@/lib/queue/create-task";
import { heartbeat, releaseTask } from "@/lib/queue/lease";
import { getTask, listTasks } from "@/lib/queue/read";
import { redactEvents } from "@/lib/events/visibility";
import {
  claimInput,
  completeInput,
  createTaskInput,
  heartbeatInput,
  leaseToken,
  listTasksQuery,
  releaseInput,
} from "@/lib/queue/schema";
import { routeTask } from "@/lib/routing/route-task";
import { routeInput } from "@/lib/routing/schema";
import { ballotInput, listVotesQuery } from "@/lib/voting/schema";
import { castBallot, getVote, listVotes } from "@/lib/voting/service";
import { operationsOf, type RouteModule } from "@/lib/openapi/operations";
import pkg from "@/package.json";

const id = z.string().min(1).max(64).describe("The task's id, e.g. task-20260205-191704-0001.");
const lease = leaseToken.describe("The leaseToken the claim returned.");

type Result = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/** Runs a domain call as a tool: its answer as JSON, or the API's refusal as a tool error. */
async function answer(run: () => Promise<unknown>): Promise<Result> {
  try {
    const value = (await run()) ?? { claimed: null, detail: "Nothing is claimable right now." };
    return {
      content: [{ type: "text", text: JSON.stringify(value) }],
      structuredContent: Array.isArray(value) ? { items: value } : (value as Record<string, unknown>),
    };
  } catch (error) {
    if (error instanceof DomainError || isDatabaseUnavailable(error) || error instanceof z.ZodError) {
      const status = error instanceof DomainError ? error.status : error instanceof z.ZodError ? 422 : 503;
      const title =
        error instanceof DomainError
          ? error.title
          : error instanceof z.ZodError
            ? "Validation failed"
            : "Service unavailable";
      const detail =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
          : (error as Error).message;
      return {
        isError: true,
        content: [{ type: "text", text: `${status} ${title}: ${detail}` }],
        structuredContent: {
          status,
          title,
          detail,
          ...(error instanceof DomainError && error.errors ? { errors: error.errors } : {}),
        },
      };
    }
    throw error;
  }
}

/**
 * The route each tool mirrors. A tool's description is its route's summary (and what only a tool needs to hear);
 * its input is the route's body or query, plus the path's ids as fields (a test holds each tool to its route's).
 */
export const MIRRORS = {
  briefing: "GET /agents/{name}/briefing",
  list_tasks: "GET /tasks",
  get_task: "GET /tasks/{id}",
  create_task: "POST /tasks",
  claim_task: "POST /tasks/claim",
  heartbeat_task: "POST /tasks/{id}/heartbeat",
  release_task: "POST /tasks/{id}/release",
  complete_task: "POST /tasks/{id}/complete",
  list_votes: "GET /votes",
  get_vote: "GET /votes/{id}",
  cast_ballot: "POST /votes/{id}/ballots",
  route_task: "POST /route",
  record_outcome: "POST /outcomes",
} as const;
export type ToolName = keyof typeof MIRRORS;

const summaries = new WeakMap<readonly RouteModule[], Map<string, string>>();

/** The summary of the route a tool mirrors, from the routes' own declarations. */
function summaryOf(routes: readonly RouteModule[], tool: ToolName): string {
  let byKey = summaries.get(routes);
  if (!byKey) {
    byKey = new Map(operationsOf(routes).map((op) => [`${op.method.toUpperCase()} ${op.path}`, op.summary]));
    summaries.set(routes, byKey);
  }
  const summary = byKey.get(MIRRORS[tool]);
  if (!summary) throw new Error(`The tool ${tool} mirrors ${MIRRORS[tool]}, which no route declares.`);
  return summary;
}

/**
 * `routes`: the API's route index (app/api/v1/routes.ts), whose declarations describe the tools. `requestSignal`:
 * the HTTP request's, which ends when the client hangs up (a long-poll claim then takes nothing).
 */
export function createMcpServer(
  db: Db,
  actor: Actor,
  routes: readonly RouteModule[],
  requestSignal?: AbortSignal,
): McpServer {
  const server = new McpServer({ name: "federation", version: pkg.version }, { capabilities: { tools: {} } });
  const me = actor.kind === "agent" ? actor.agent : null;
  const about = (tool: ToolName, also?: string) =>
    also ? `${summaryOf(routes, tool)} ${also}` : summaryOf(routes, tool);

  server.registerTool(
    "briefing",
    {
      title: "Briefing",
      description: about("briefing", "Start each session with it."),
      inputSchema: { agent: z.string().optional().describe("An admin names the agent; agents read their own.") },
    },
    async ({ agent }) => answer(() => briefing(db, actor, agent ?? me ?? "")),
  );
  server.registerTool(
    "list_tasks",
    {
      title: "List tasks",
      description: about("list_tasks"),
      inputSchema: listTasksQuery,
    },
    async (q) => answer(() => listTasks(db, listTasksQuery.parse(q))),
  );
  server.registerTool(
    "get_task",
    { title: "Get a task", description: about("get_task"), inputSchema: { id } },
    async ({ id: taskId }) =>
      answer(async () => {
        const task = await getTask(db, taskId);
        return { ...task, events: redactEvents(actor, task.events) };
      }),
  );
  server.registerTool(
    "create_task",
    {
      title: "Create a task",
      description: about("create_task"),
      inputSchema: createTaskInput,
    },
    async (input) => answer(async () => (await createTask(db, actor, input)).task),
  );
  server.registerTool(
    "claim_task",
    {
      title: "Claim a task",
      description: about("claim_task", "Keep its leaseToken for heartbeat, release and complete."),
      inputSchema: claimInput,
    },
    async (input, extra) =>
      answer(() =>
        claimTask(
          db,
          actor,
          claimInput.parse(input),
          requestSignal ? AbortSignal.any([extra.signal, requestSignal]) : extra.signal,
        ),
      ),
  );
  server.registerTool(
    "heartbeat_task",
    {
      title: "Heartbeat",
      description: about("heartbeat_task"),
      inputSchema: heartbeatInput.extend({ id, leaseToken: lease }),
    },
    async ({ id: taskId, leaseToken: token, leaseSeconds }) =>
      answer(() => heartbeat(db, actor, taskId, leaseSeconds ?? 300, token)),
  );
  server.registerTool(
    "release_task",
    {
      title: "Release",
      description: about("release_task"),
      inputSchema: releaseInput.extend({ id, leaseToken: lease }),
    },
    async ({ id: taskId, leaseToken: token, reason }) => answer(() => releaseTask(db, actor, taskId, token, reason)),
  );
  server.registerTool(
    "complete_task",
    {
      title: "Complete",
      description: about("complete_task"),
      inputSchema: completeInput.safeExtend({ id, leaseToken: lease }),
    },
    async ({ id: taskId, leaseToken: token, ...body }) =>
      answer(() => completeTask(db, actor, taskId, completeInput.parse(body), token)),
  );
  server.registerTool(
    "list_votes",
    {
      title: "List votes",
      description: about("list_votes"),
      inputSchema: listVotesQuery,
    },
    async (q) => answer(() => listVotes(db, listVotesQuery.parse(q))),
  );
  server.registerTool(
    "get_vote",
    {
      title: "Get a vote",
      description: about("get_vote"),
      inputSchema: { voteId: z.string().min(1).max(64) },
    },
    async ({ voteId }) => answer(() => getVote(db, voteId)),
  );
  server.registerTool(
    "cast_ballot",
    {
      title: "Cast a ballot",
      description: about("cast_ballot", "Vote with a confidence 0..1 and a rationale."),
      inputSchema: ballotInput.extend({ voteId: z.string().min(1).max(64) }),
    },
    async ({ voteId, ...ballot }) => answer(() => castBallot(db, actor, voteId, ballotInput.parse(ballot))),
  );
  server.registerTool(
    "route_task",
    { title: "Route a task", description: about("route_task"), inputSchema: routeInput },
    async (input) => answer(() => routeTask(db, input)),
  );
  server.registerTool(
    "record_outcome",
    {
      title: "Record an outcome",
      description: about("record_outcome"),
      inputSchema: outcomeInput,
    },
    async (input) => answer(() => recordOutcomeFromApi(db, actor, input)),
  );
  return server;
}
