// The `fed` CLI as people and agents run it: the real bin in its own process, against the API over HTTP on
// loopback. Every command of the seed's scripts, --json that parses, and the documented exit codes
// (0 ok, 1 failure, 2 usage, 3 nothing to claim, 4 auth) with messages that say what to do.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as meTokens from "@/app/api/v1/me/tokens/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { startHttpApp, type HttpApp } from "./helpers/http-app";

const fed = seededFederation();
let app: HttpApp;
let configDir: string;

beforeAll(async () => {
  app = await startHttpApp();
  configDir = mkdtempSync(path.join(tmpdir(), "fed-cli-"));
});
afterAll(async () => {
  await app?.close();
  rmSync(configDir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

/** Runs `fed …` as a user would; `token: null` runs without any token. */
function run(
  args: string[],
  options: { token?: string | null; url?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH,
    HOME: configDir,
    FED_CONFIG_DIR: configDir,
    FED_URL: options.url ?? app.url,
    ...(token ? { FED_TOKEN: token } : {}),
    ...options.env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/fed.mjs", ...args],
      { env, cwd: process.cwd(), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

describe("fed CLI", () => {
  test("queue: add, list, show, claim, heartbeat, complete, release — tables for people, JSON for machines", async () => {
    const kimi = await fed.token("kimi");
    const type = unique("cli");
    const added = await run([
      "--json",
      "queue",
      "add",
      "Write the CLI guide",
      "--type",
      type,
      "--assignee",
      "kimi",
      "--priority",
      "high",
    ]);
    expect(added.code).toBe(0);
    const task = added.json();
    expect(task).toMatchObject({
      title: "Write the CLI guide",
      type,
      assignee: "kimi",
      priority: "high",
      state: "pending",
    });

    const human = await run(["queue", "list", "--type", type]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^ID\s+STATE\s+PRIORITY\s+TYPE\s+ASSIGNEE\s+TITLE/m);
    expect(human.stdout).toContain(task.id);
    expect(
      (await run(["--json", "queue", "list", "--type", type])).json().items.map((t: { id: string }) => t.id),
    ).toEqual([task.id]);

    const claimed = await run(["--json", "queue", "claim", "--types", type], { token: kimi });
    expect(claimed.code).toBe(0);
    expect(claimed.json()).toMatchObject({
      id: task.id,
      state: "in_progress",
      claimedBy: "kimi",
      leaseToken: expect.any(String),
    });
    // The lease token is remembered (mode 0600) so heartbeat and complete need no flag.
    expect(statSync(path.join(configDir, "leases.json")).mode & 0o777).toBe(0o600);

    const beat = await run(["queue", "heartbeat", task.id, "--lease", "600"], { token: kimi });
    expect(beat.code).toBe(0);
    expect(beat.stdout).toMatch(new RegExp(`${task.id}: lease until \\d{4}-`));

    const released = await run(["--json", "queue", "release", task.id, "--reason", "switching"], { token: kimi });
    expect(released.code).toBe(0);
    expect(released.json()).toMatchObject({ id: task.id, state: "pending" });

    await run(["queue", "claim", "--types", type], { token: kimi });
    const done = await run(
      ["queue", "complete", task.id, "--success", "--summary", "Guide written", "--duration", "12"],
      { token: kimi },
    );
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`${task.id}: completed`);

    const shown = await run(["queue", "show", task.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/state\s+completed/);
    expect(shown.stdout).toContain("History:");
    expect(shown.stdout).toContain("task.completed");
    expect((await run(["--json", "queue", "show", task.id])).json().outcome).toMatchObject({
      success: true,
      summary: "Guide written",
    });
  });

  test("fed queue claim with nothing claimable exits 3", async () => {
    const kimi = await fed.token("kimi");
    const res = await run(["queue", "claim", "--types", unique("empty")], { token: kimi });
    expect(res.code).toBe(3);
    expect(res.stdout).toContain("Nothing to claim.");
    const json = await run(["--json", "queue", "claim", "--types", unique("empty")], { token: kimi });
    expect(json.code).toBe(3);
    expect(json.json()).toEqual({ claimed: null });
  });

  test("fed start shows the agent's briefing", async () => {
    const copilot = await fed.token("copilot");
    const title = unique("Briefing item");
    await run(["queue", "add", title, "--type", "implementation", "--assignee", "copilot"]);
    const res = await run(["start"], { token: copilot });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^copilot \(active\)/);
    expect(res.stdout).toContain("You may claim");
    expect(res.stdout).toContain(title);
    const json = (await run(["--json", "start"], { token: copilot })).json();
    expect(json.agent.name).toBe("copilot");
    expect(json.tasks.pending.map((t: { title: string }) => t.title)).toContain(title);
    // An admin token is nobody's briefing unless it names the agent.
    const admin = await run(["start"]);
    expect(admin.code).toBe(2);
    expect(admin.stderr).toContain("pass --agent NAME");
    expect((await run(["--json", "start", "--agent", "copilot"])).json().agent.name).toBe("copilot");
  });

  test("votes: create, cast, show, list, resolve", async () => {
    const [kimi, copilot] = [await fed.token("kimi"), await fed.token("copilot")];
    const question = unique("Which queue library?");
    const created = await run([
      "--json",
      "vote",
      "create",
      question,
      "--options",
      "pg-boss,own",
      "--voters",
      "kimi,copilot",
    ]);
    expect(created.code).toBe(0);
    const vote = created.json();
    expect(vote).toMatchObject({ question, options: ["pg-boss", "own"], voters: ["kimi", "copilot"], status: "open" });

    const cast = await run(
      ["vote", "cast", vote.id, "own", "--confidence", "0.9", "--rationale", "fewer moving parts"],
      { token: kimi },
    );
    expect(cast.code).toBe(0);
    expect(cast.stdout).toContain(`Ballot cast on ${vote.id}; 1 of 2 in.`);
    await run(["vote", "cast", vote.id, "own", "--confidence", "0.8"], { token: copilot });

    const shown = await run(["vote", "show", vote.id]);
    expect(shown.stdout).toMatch(/own\s+1\.70\s+2/);
    expect(shown.stdout).toContain("fewer moving parts");
    expect((await run(["--json", "vote", "list"])).json().items.map((v: { id: string }) => v.id)).toContain(vote.id);
    const human = await run(["vote", "list"]);
    expect(human.stdout).toMatch(/^ID\s+STATUS\s+QUESTION\s+OUTCOME/m);

    const other = (
      await run([
        "--json",
        "vote",
        "create",
        unique("Tabs or spaces?"),
        "--options",
        "tabs,spaces",
        "--voters",
        "kimi,copilot",
      ])
    ).json();
    await run(["vote", "cast", other.id, "tabs", "--confidence", "0.95"], { token: kimi });
    const resolved = await run(["--json", "vote", "resolve", other.id]);
    expect(resolved.code).toBe(0);
    expect(resolved.json()).toMatchObject({ id: other.id, status: "decided", result: { winner: "tabs" } });
  });

  test("analytics: record, dashboard, agent, task-type, optimize --dry-run", async () => {
    const type = unique("docs");
    const rec = await run([
      "analytics",
      "record",
      "--agent",
      "ollama",
      "--task",
      type,
      "--success",
      "true",
      "--duration",
      "7",
    ]);
    expect(rec.code).toBe(0);
    expect(rec.stdout).toContain(`Recorded: ollama ${type} succeeded in 7 min.`);

    const dash = await run(["analytics", "dashboard"]);
    expect(dash.code).toBe(0);
    expect(dash.stdout).toContain("FEDERATION ANALYTICS DASHBOARD — the last 30 days");
    expect(dash.stdout).toMatch(/^Outcomes\s+\d+/m);
    expect(dash.stdout).not.toContain("Total tasks");
    expect((await run(["analytics", "dashboard", "--window", "all"])).stdout).toContain("— all time");
    expect(dash.stdout).toMatch(/Routing accuracy\s+\d+%\s+> 92%/);
    expect((await run(["--json", "analytics", "dashboard"])).json().kpis).toHaveProperty("handoffsPerDay");

    const agent = await run(["--json", "analytics", "agent", "ollama"]);
    expect(agent.json().byTaskType.find((t: { taskType: string }) => t.taskType === type)).toMatchObject({
      tasks: 1,
      successRate: 1,
    });
    expect((await run(["analytics", "agent", "ollama"])).stdout).toMatch(/Success rate\s+\d+%/);

    const byType = await run(["analytics", "task-type", type]);
    expect(byType.stdout).toMatch(/^AGENT\s+TASKS\s+RATE/m);
    expect(byType.stdout).toMatch(/ollama\s+1\s+100%/);

    const opt = await run(["analytics", "optimize", "--dry-run"]);
    expect(opt.code).toBe(0);
    expect(opt.stdout).toContain("Dry run: nothing changed.");
    expect((await run(["--json", "analytics", "optimize", "--dry-run"])).json()).toMatchObject({
      applied: false,
      suggestions: expect.any(Array),
    });
  });

  test("route: a decision, --explain, --compare, and train", async () => {
    const res = await run(["route", "Research distributed databases", "--explain"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Routing decision");
    expect(res.stdout).toMatch(/Agent\s+\S+/);
    expect(res.stdout).toContain("Score breakdown");
    const cmp = (await run(["--json", "route", "Implement the parser", "--compare"])).json();
    expect(cmp.compare).toMatchObject({ v1: { agent: expect.any(String) }, v2: { agent: expect.any(String) } });

    const trained = await run([
      "--json",
      "route",
      "train",
      "--task",
      "Write release notes",
      "--agent",
      "ollama",
      "--success",
      "true",
    ]);
    expect(trained.code).toBe(0);
    expect(trained.json().samples).toBeGreaterThan(0);
    const missing = await run(["route", "train", "--task", "x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("needs --task, --agent and --success");
  });

  test("escalations: list and decide", async () => {
    const kimi = await fed.token("kimi");
    const vote = (
      await run(["--json", "vote", "create", unique("Ship it?"), "--options", "yes,no", "--voters", "kimi"])
    ).json();
    await run(["vote", "cast", vote.id, "yes", "--confidence", "0.2"], { token: kimi });
    await run(["vote", "resolve", vote.id]);
    const open = (await run(["--json", "escalations", "list", "--kind", "vote"])).json();
    const escalation = open.items.find((e: { subjectId: string }) => e.subjectId === vote.id);
    expect(escalation).toBeDefined();
    expect((await run(["escalations", "list"])).stdout).toContain(escalation.id);

    const decided = await run(["escalations", "decide", escalation.id, "--option", "yes", "--note", "low risk"]);
    expect(decided.code).toBe(0);
    expect(decided.stdout).toContain(escalation.id);
    expect((await run(["--json", "vote", "show", vote.id])).json()).toMatchObject({
      status: "decided",
      result: { winner: "yes", decidedBy: expect.any(String) },
    });
    expect(
      (await run(["--json", "escalations", "list", "--state", "resolved"]))
        .json()
        .items.map((e: { id: string }) => e.id),
    ).toContain(escalation.id);
  });

  test("a person's own token decides an escalation through fed escalations decide; once expired it exits 4", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: `${unique("reuben")}@example.com`,
      name: "Reuben",
      role: "admin",
      password: "reuben-password-1",
    });
    const issued = await call(meTokens.POST, "POST", {
      cookie: await sessionCookie(user.id),
      body: { name: "terminal", expiresInDays: 7 },
    });
    const mine = issued.body.token as string;
    const kimi = await fed.token("kimi");
    const vote = (
      await run(["--json", "vote", "create", unique("Merge it?"), "--options", "yes,no", "--voters", "kimi"])
    ).json();
    await run(["vote", "cast", vote.id, "yes", "--confidence", "0.3"], { token: kimi });
    await run(["vote", "resolve", vote.id]);
    const escalation = (await run(["--json", "escalations", "list", "--kind", "vote"], { token: mine }))
      .json()
      .items.find((e: { subjectId: string }) => e.subjectId === vote.id);

    const decided = await run(["--json", "escalations", "decide", escalation.id, "--option", "yes"], { token: mine });
    expect(decided.code).toBe(0);
    expect(decided.json()).toMatchObject({ state: "resolved", resolvedBy: user.email });

    await fed.db.prisma.userToken.updateMany({
      where: { prefix: issued.body.prefix },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await run(["escalations", "list"], { token: mine });
    expect(expired.code).toBe(4);
  });

  test("a bad token exits 4 with a clear message; no token too", async () => {
    const bad = await run(["queue", "list"], { token: "fed_not-a-real-token" });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/The server refused the token: .+ Check FED_TOKEN/);
    const none = await run(["queue", "list"], { token: null });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("No token: set FED_TOKEN");
  });

  test("a validation error names the field and exits 2; so does a bad flag", async () => {
    const priority = await run(["queue", "add", "X", "--type", "research", "--priority", "extreme"]);
    expect(priority.code).toBe(2);
    expect(priority.stderr).toMatch(/priority: .+/);
    const confidence = await run(["vote", "cast", "v_1", "yes", "--confidence", "1.5"]);
    expect(confidence.code).toBe(2);
    expect(confidence.stderr).toMatch(/confidence: .+/);
    const duration = await run([
      "analytics",
      "record",
      "--agent",
      "kimi",
      "--task",
      "x",
      "--success",
      "maybe",
      "--duration",
      "1",
    ]);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('--success must be true or false, not "maybe"');
    // The server's own 422 names the field too (an unknown agent is only known there).
    const server = await run(["queue", "add", "X", "--type", "research", "--assignee", "nobody-here"]);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/assignee/);
    const flag = await run(["queue", "list", "--colour", "red"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--colour'");
  });

  test("the server down exits 1 and says where it looked", async () => {
    const res = await run(["queue", "list"], { url: "http://127.0.0.1:1" });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Cannot reach Federation at http://127.0.0.1:1");
  });

  test("login keeps the server and token in the config directory (0600); whoami; logout forgets", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fed-login-"));
    try {
      const kimi = await fed.token("kimi");
      const env = {
        FED_CONFIG_DIR: dir,
      };
      const login = await run(["login", "--url", app.url, "--token", kimi], { token: null, url: "", env });
      expect(login.code).toBe(0);
      expect(login.stdout).toContain(`Signed in to ${app.url} as kimi.`);
      const file = path.join(dir, "config.json");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: app.url, token: kimi });

      // No FED_URL, no FED_TOKEN: the saved ones are used.
      const who = await run(["--json", "whoami"], { token: null, env: { ...env, FED_URL: "" } });
      expect(who.json()).toMatchObject({ kind: "agent", agent: "kimi", url: app.url });

      const refused = await run(["login", "--url", app.url, "--token", "fed_wrong"], {
        token: null,
        env: { FED_CONFIG_DIR: path.join(dir, "other") },
      });
      expect(refused.code).toBe(4);

      expect((await run(["logout"], { token: null, env })).code).toBe(0);
      const after = await run(["whoami"], { token: null, env: { ...env, FED_URL: app.url } });
      expect(after.code).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
