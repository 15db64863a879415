// The Ollama bridge against a fake Ollama on loopback that speaks the documented API (/api/tags, /api/chat):
// a task end to end with heartbeats while the model works; Ollama down → the agent offline, back → active
// and working again; Ctrl-C on `fed ollama-bridge` gives the task in hand back to the queue.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBridge, type BridgeEvent } from "@/lib/cli/bridge";
import { ApiClient } from "@/lib/cli/client";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { startHttpApp, type HttpApp } from "./helpers/http-app";

const fed = seededFederation();
let app: HttpApp;
const admin = () => new ApiClient(app.url, ADMIN_TOKEN);

beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app?.close());

interface FakeOllama {
  url: string;
  port: number;
  chats: { model: string; messages: { role: string; content: string }[]; stream: boolean }[];
  close(): Promise<void>;
}

/** A fake Ollama: `answer` decides each chat's reply (and may take its time). */
async function fakeOllama(
  answer: (body: { messages: { content: string }[] }, res: ServerResponse) => Promise<string | null> = async () =>
    "The answer.",
  port = 0,
): Promise<FakeOllama> {
  const chats: FakeOllama["chats"] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === "/api/tags" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ models: [{ name: "fake:7b", model: "fake:7b", size: 1 }] }));
    }
    if (req.url === "/api/chat" && req.method === "POST") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      chats.push(body);
      if (body.model !== "fake:7b") {
        res.writeHead(404, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: `model "${body.model}" not found, try pulling it first` }));
      }
      const content = await answer(body, res);
      if (content === null) return; // the handler dealt with the socket
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          model: body.model,
          created_at: new Date().toISOString(),
          message: { role: "assistant", content },
          done: true,
          done_reason: "stop",
          total_duration: 1_500_000_000,
          eval_count: 42,
        }),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    chats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const task = (id: string) =>
  admin().get<{ state: string; outcome: any; claimedBy: string | null; events: { action: string; details: any }[] }>(
    `/tasks/${id}`,
  );
const agentStatus = async () => (await admin().get<{ status: string }>("/agents/ollama")).status;

async function addTask(type: string, title = "Summarise the release notes") {
  return (
    await admin().post<{ id: string }>("/tasks", { title, type, assignee: "ollama", description: "Keep it short." })
  ).body;
}

describe("Ollama bridge", () => {
  test("claims the agent's task, heartbeats while the model works, completes with the answer as summary", async () => {
    const ollama = await fakeOllama(async () => {
      await sleep(1_200);
      return "Three changes: faster claims, votes, analytics.";
    });
    const events: BridgeEvent[] = [];
    const stop = new AbortController();
    try {
      const type = unique("summaries");
      const t = await addTask(type);
      const token = await fed.token("ollama");
      const running = runBridge({
        api: new ApiClient(app.url, token),
        agent: "ollama",
        model: "fake:7b",
        ollamaUrl: ollama.url,
        signal: stop.signal,
        report: (e) => events.push(e),
        types: [type],
        leaseSeconds: 60,
        heartbeatMs: 300,
        idleMs: 100,
      });
      await until(() => events.find((e) => e.event === "completed"), "the task to be completed");
      stop.abort();
      await running;

      const done = await task(t.id);
      expect(done.state).toBe("completed");
      expect(done.outcome).toMatchObject({
        agent: "ollama",
        success: true,
        summary: "Three changes: faster claims, votes, analytics.",
      });
      expect(ollama.chats).toHaveLength(1);
      expect(ollama.chats[0]).toMatchObject({ model: "fake:7b", stream: false });
      expect(ollama.chats[0]!.messages.at(-1)!.content).toBe("Summarise the release notes\n\nKeep it short.");
      expect(events.filter((e) => e.event === "heartbeat").length).toBeGreaterThanOrEqual(2);
      // Each heartbeat the server accepted moved the lease on.
      const leases = events.flatMap((e) => (e.event === "heartbeat" ? [Date.parse(e.leaseExpiresAt)] : []));
      expect(leases).toEqual([...leases].sort((a, b) => a - b));
      expect(leases.at(-1)!).toBeGreaterThan(leases[0]!);
      expect(events.at(-1)).toEqual({ event: "stopped" });
    } finally {
      stop.abort();
      await ollama.close();
    }
  });

  test("an unknown model is a failed attempt, not an outage", async () => {
    const ollama = await fakeOllama();
    const stop = new AbortController();
    const events: BridgeEvent[] = [];
    try {
      const type = unique("summaries");
      const t = await addTask(type);
      const running = runBridge({
        api: new ApiClient(app.url, await fed.token("ollama")),
        agent: "ollama",
        model: "missing:1b",
        ollamaUrl: ollama.url,
        signal: stop.signal,
        report: (e) => {
          events.push(e);
          if (e.event === "completed") stop.abort(); // one attempt is what this test looks at
        },
        types: [type],
        idleMs: 100,
      });
      await until(() => events.find((e) => e.event === "completed"), "the attempt to end");
      stop.abort();
      await running;
      const after = await task(t.id);
      expect(after.state).toBe("pending"); // retried: attempts remain
      expect(after.events.find((e) => e.action === "task.retry_scheduled")?.details).toBeDefined();
      expect(await agentStatus()).toBe("active");
    } finally {
      await ollama.close();
    }
  });

  test("with Ollama down the agent goes offline and the bridge backs off; when Ollama returns it is active and works again", async () => {
    // A port that was free a moment ago: nothing answers there yet.
    const probe = await fakeOllama();
    const port = probe.port;
    await probe.close();

    const events: BridgeEvent[] = [];
    const stop = new AbortController();
    const type = unique("summaries");
    const t = await addTask(type, "Write the changelog");
    const running = runBridge({
      api: new ApiClient(app.url, await fed.token("ollama")),
      agent: "ollama",
      model: "fake:7b",
      ollamaUrl: `http://127.0.0.1:${port}`,
      signal: stop.signal,
      report: (e) => events.push(e),
      types: [type],
      idleMs: 100,
      backoff: { firstMs: 100, maxMs: 400 },
    });
    let ollama: FakeOllama | undefined;
    try {
      await until(async () => (await agentStatus()) === "offline", "the agent to be marked offline");
      // Backing off: several probes, growing waits, one status change.
      await until(() => events.filter((e) => e.event === "ollama_down").length >= 3, "three failed probes");
      const downs = events.filter(
        (e): e is Extract<BridgeEvent, { event: "ollama_down" }> => e.event === "ollama_down",
      );
      expect(downs.map((d) => d.retryInMs).slice(0, 3)).toEqual([100, 200, 400]);
      expect(downs.filter((d) => d.markedOffline)).toHaveLength(1);
      expect((await task(t.id)).state).toBe("pending");

      ollama = await fakeOllama(async () => "Changelog written.", port);
      await until(async () => (await agentStatus()) === "active", "the agent to be active again");
      await until(async () => (await task(t.id)).state === "completed", "the task to be completed");
      expect((await task(t.id)).outcome.summary).toBe("Changelog written.");

      const log = await admin().get<{ items: { action: string; details: any }[] }>(
        "/log?subject=agent:ollama&limit=20",
      );
      const changes = log.items.filter((e) => e.action === "agent.status_changed").map((e) => e.details.status);
      expect(changes.slice(0, 2)).toEqual([
        { from: "offline", to: "active" },
        { from: "active", to: "offline" },
      ]);
    } finally {
      stop.abort();
      await running;
      await ollama?.close();
    }
  });

  test("Ollama vanishing mid-task: the task goes back to the queue and the agent offline", async () => {
    const ollama = await fakeOllama(async (_body, res) => {
      res.socket?.destroy();
      return null;
    });
    const events: BridgeEvent[] = [];
    const stop = new AbortController();
    const type = unique("summaries");
    const t = await addTask(type);
    const running = runBridge({
      api: new ApiClient(app.url, await fed.token("ollama")),
      agent: "ollama",
      model: "fake:7b",
      ollamaUrl: ollama.url,
      signal: stop.signal,
      report: (e) => events.push(e),
      types: [type],
      idleMs: 100,
      backoff: { firstMs: 5_000, maxMs: 5_000 },
    });
    try {
      await until(() => events.find((e) => e.event === "released"), "the task to be released");
      const after = await task(t.id);
      expect(after.state).toBe("pending");
      expect(after.claimedBy).toBeNull();
      expect(after.events.find((e) => e.action === "task.released")?.details).toMatchObject({
        reason: expect.stringContaining("Ollama became unreachable"),
      });
      await until(async () => (await agentStatus()) === "offline", "the agent to be marked offline");
    } finally {
      stop.abort();
      await running;
      await ollama.close();
      await admin().patch("/agents/ollama", { status: "active" });
    }
  });

  test("Ctrl-C on `fed ollama-bridge` gives the task in hand back to the queue", async () => {
    const ollama = await fakeOllama(() => new Promise(() => {})); // the model never finishes
    const type = unique("summaries");
    const t = await addTask(type);
    const child = spawn(
      process.execPath,
      [
        "bin/fed.mjs",
        "--json",
        "ollama-bridge",
        "--agent",
        "ollama",
        "--model",
        "fake:7b",
        "--ollama-url",
        ollama.url,
        "--types",
        type,
        "--idle",
        "0.1",
      ],
      {
        env: {
          NODE_ENV: "test",
          PATH: process.env.PATH,
          FED_URL: app.url,
          FED_TOKEN: await fed.token("ollama"),
          FED_CONFIG_DIR: "/nonexistent",
        },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await until(() => stdout.includes('"event":"claimed"'), "the bridge to claim", 20_000);
      expect((await task(t.id)).state).toBe("in_progress");
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      const lines = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as BridgeEvent);
      expect(lines.map((l) => l.event)).toEqual(["started", "claimed", "released", "stopped"]);
      expect(stderr).toContain("Stopping: giving the task in hand back to the queue");
      const after = await task(t.id);
      expect(after.state).toBe("pending");
      expect(after.events.find((e) => e.action === "task.released")?.details).toMatchObject({
        reason: "The Ollama bridge was stopped.",
      });
    } finally {
      child.kill("SIGKILL");
      await ollama.close();
    }
  });
});

describe("fed run --ollama: the bridge is fed run with the Ollama adapter", () => {
  test("the same command line that runs a coding CLI runs the model: a task answered (its log holds the answer), a vote cast from the model's JSON", async () => {
    const ollama = await fakeOllama(async (body) =>
      body.messages.at(-1)!.content.startsWith("# Vote")
        ? 'I prefer b.\n{"option":"b","confidence":0.8,"rationale":"Simpler."}'
        : "Release notes, summarised.",
    );
    const type = unique("run-ollama");
    const t = await addTask(type);
    const vote = (
      await admin().post<{ id: string }>("/votes", { question: "Which?", options: ["a", "b"], voters: ["ollama"] })
    ).body;
    const child = spawn(
      process.execPath,
      [
        "bin/fed.mjs",
        "run",
        "--agent",
        "ollama",
        "--ollama",
        "fake:7b",
        "--ollama-url",
        ollama.url,
        "--types",
        type,
        "--votes",
        "--once",
        "--wait",
        "1",
      ],
      {
        env: {
          NODE_ENV: "test",
          PATH: process.env.PATH,
          FED_URL: app.url,
          FED_TOKEN: await fed.token("ollama"),
          FED_CONFIG_DIR: "/nonexistent",
        },
      },
    );
    let said = "";
    child.stdout.on("data", (d) => (said += d));
    child.stderr.on("data", (d) => (said += d));
    try {
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(code, said).toBe(0);
      const done = await task(t.id);
      expect(done.state).toBe("completed");
      expect(done.outcome).toMatchObject({ agent: "ollama", success: true, summary: "Release notes, summarised." });
      expect(done.outcome.output).toMatchObject({ model: "fake:7b", answerChars: "Release notes, summarised.".length });
      const log = await fetch(`${app.url}/api/v1/tasks/${t.id}/log`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(await log.text()).toBe("Release notes, summarised.");
      const v = await admin().get<{ ballots: { voter: string; option: string; confidence: number }[] }>(
        `/votes/${vote.id}`,
      );
      expect(v.ballots).toEqual([expect.objectContaining({ voter: "ollama", option: "b", confidence: 0.8 })]);
    } finally {
      child.kill("SIGKILL");
      await ollama.close();
    }
  });
});
