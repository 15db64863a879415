// The MCP server through the SDK's own client: an agent token connects, lists the tools, claims and completes a
// task; another agent's task gets the same refusal as the HTTP API; no token, no entry.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import * as mcp from "@/app/api/mcp/route";
import { ROUTES } from "@/app/api/v1/routes";
import { MIRRORS } from "@/lib/mcp/tools";
import { operationsOf } from "@/lib/openapi/operations";
import * as tasks from "@/app/api/v1/tasks/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };

async function connect(token?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("http://localhost/api/mcp"), {
    fetch: (url, init) => mcp.POST(new Request(url, init)),
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name: "federation-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, any>;
  content: { type: string; text: string }[];
};

describe("MCP", () => {
  test("an agent connects with its token, lists the tools, claims and completes a task", async () => {
    const token = await fed.token("kimi");
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Done over MCP", type: "mcp-check", assignee: "kimi" },
    });
    const client = await connect(token);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(
        [
          "briefing",
          "cast_ballot",
          "claim_task",
          "complete_task",
          "create_task",
          "get_task",
          "get_vote",
          "heartbeat_task",
          "list_tasks",
          "list_votes",
          "record_outcome",
          "release_task",
          "route_task",
        ].sort(),
      );
      const brief = (await client.callTool({ name: "briefing", arguments: {} })) as ToolResult;
      expect(brief.structuredContent?.agent.name).toBe("kimi");
      expect(brief.structuredContent?.tasks.pending.map((t: { id: string }) => t.id)).toContain(created.body.id);

      const claimed = (await client.callTool({
        name: "claim_task",
        arguments: { types: ["mcp-check"] },
      })) as ToolResult;
      expect(claimed.isError).toBeFalsy();
      expect(claimed.structuredContent).toMatchObject({ id: created.body.id, state: "in_progress", claimedBy: "kimi" });
      const lease = claimed.structuredContent!.leaseToken as string;

      const beat = (await client.callTool({
        name: "heartbeat_task",
        arguments: { id: created.body.id, leaseToken: lease, leaseSeconds: 120 },
      })) as ToolResult;
      expect(beat.structuredContent?.leaseExpiresAt).toEqual(expect.any(String));
      const done = (await client.callTool({
        name: "complete_task",
        arguments: { id: created.body.id, leaseToken: lease, success: true, summary: "via MCP" },
      })) as ToolResult;
      expect(done.structuredContent?.task).toMatchObject({
        state: "completed",
        outcome: { agent: "kimi", summary: "via MCP" },
      });
      const nothing = (await client.callTool({
        name: "claim_task",
        arguments: { types: ["mcp-check"] },
      })) as ToolResult;
      expect(nothing.structuredContent).toMatchObject({ claimed: null });
    } finally {
      await client.close();
    }
  });

  test("with another agent's task the tool gets the same refusal as the HTTP API", async () => {
    const kimi = await fed.token("kimi");
    const copilot = await fed.token("copilot");
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Kimi's", type: "mcp-refuse", assignee: "kimi" },
    });
    const held = await call(claim.POST, "POST", { token: kimi, body: { types: ["mcp-refuse"] } });
    const http = await call(complete.POST, "POST", {
      token: copilot,
      lease: held.body.leaseToken,
      params: { id: created.body.id },
      body: { success: true },
    });
    expect(http.status).toBe(403);

    const client = await connect(copilot);
    try {
      const res = (await client.callTool({
        name: "complete_task",
        arguments: { id: created.body.id, leaseToken: held.body.leaseToken, success: true },
      })) as ToolResult;
      expect(res.isError).toBe(true);
      expect(res.structuredContent).toMatchObject({ status: 403, title: http.body.title, detail: http.body.detail });
      const forOther = (await client.callTool({ name: "briefing", arguments: { agent: "kimi" } })) as ToolResult;
      expect(forOther.structuredContent).toMatchObject({ status: 403 });
      const bad = (await client.callTool({
        name: "record_outcome",
        arguments: { agent: "copilot", taskType: "Not A Slug", success: true, durationMinutes: 3 },
      })) as ToolResult;
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: created.body.id } })).state).toBe("in_progress");
  });

  test("each tool is described by the route it mirrors: the route's summary, and every field of its body or query", async () => {
    const client = await connect(await fed.token("kimi"));
    try {
      const tools = (await client.listTools()).tools;
      expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(MIRRORS).sort());
      const ops = operationsOf(ROUTES);
      for (const tool of tools) {
        const key = MIRRORS[tool.name as keyof typeof MIRRORS];
        const op = ops.find((o) => `${o.method.toUpperCase()} ${o.path}` === key)!;
        expect(tool.description, tool.name).toMatch(
          new RegExp(`^${op.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
        );
        const input = op.body ?? op.query;
        if (!input) continue;
        const fields = Object.keys(
          (z.toJSONSchema(input, { io: "input" }) as { properties?: object }).properties ?? {},
        );
        expect(
          fields.filter((f) => !(f in (tool.inputSchema.properties ?? {}))),
          tool.name,
        ).toEqual([]);
      }
    } finally {
      await client.close();
    }
  });

  test("without a bearer token there is no session", async () => {
    await expect(connect()).rejects.toThrow();
    const res = await mcp.POST(
      new Request("http://localhost/api/mcp", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
    );
    expect(res.status).toBe(401);
  });

  test("a claim_task long poll whose client hangs up takes nothing: a task created meanwhile stays pending", async () => {
    const token = await fed.token("kimi");
    const type = `mcp-gone-${Date.now() % 100000}`;
    const hangUp = new AbortController();
    const waiting = mcp
      .POST(
        new Request("http://localhost/api/mcp", {
          method: "POST",
          signal: hangUp.signal,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "claim_task", arguments: { types: [type], waitSeconds: 5 } },
          }),
        }),
      )
      .catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    hangUp.abort();
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Nobody is waiting for this", type, assignee: "kimi" },
    });
    await waiting;
    await new Promise((r) => setTimeout(r, 500));
    const task = await fed.db.prisma.task.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(task).toMatchObject({ state: "pending", claimedBy: null, leaseToken: null });
  });

  test("each call of a JSON-RPC batch counts against the rate limit", async () => {
    const token = await fed.token("copilot");
    const before = process.env.FED_RATE_LIMIT_PER_MINUTE;
    const burst = process.env.FED_RATE_LIMIT_BURST;
    process.env.FED_RATE_LIMIT_PER_MINUTE = "60";
    process.env.FED_RATE_LIMIT_BURST = "10";
    try {
      const batch = Array.from({ length: 30 }, (_, i) => ({
        jsonrpc: "2.0",
        id: i + 1,
        method: "tools/call",
        params: { name: "list_tasks", arguments: {} },
      }));
      const res = await mcp.POST(
        new Request("http://localhost/api/mcp", {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify(batch),
        }),
      );
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBeTruthy();
    } finally {
      process.env.FED_RATE_LIMIT_PER_MINUTE = before;
      process.env.FED_RATE_LIMIT_BURST = burst;
      if (before === undefined) delete process.env.FED_RATE_LIMIT_PER_MINUTE;
      if (burst === undefined) delete process.env.FED_RATE_LIMIT_BURST;
    }
  });
});
