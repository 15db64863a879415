// `fed run` (issue 23) as an agent's machine runs it: the real bin in its own process, against the API over HTTP,
// a git repository of the test's own, and fake agents (tests/fake-agents: small scripts that behave like the coding
// CLIs) — a task done in its own worktree and branch, its output in the task's log, a rate limit that hands the
// task to the fallback and ends by itself, a cancel that kills the command's whole process group, task text that
// never reaches a shell, and votes answered from the command's JSON (and prose that casts nothing).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as agentList from "@/app/api/v1/agents/route";
import * as agentOne from "@/app/api/v1/agents/[name]/route";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as taskLog from "@/app/api/v1/tasks/[id]/log/route";
import * as cancel from "@/app/api/v1/tasks/[id]/cancel/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as votes from "@/app/api/v1/votes/route";
import * as voteOne from "@/app/api/v1/votes/[id]/route";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { startHttpApp, type HttpApp } from "./helpers/http-app";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const FAKES = path.resolve("tests/fake-agents");
let app: HttpApp;
let work: string;
let repo: string;

const sh = (args: string[], cwd = repo) => execFileSync("git", args, { cwd, encoding: "utf8" });

beforeAll(async () => {
  app = await startHttpApp();
  work = mkdtempSync(path.join(tmpdir(), "fed-run-"));
  repo = path.join(work, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  writeFileSync(path.join(repo, "README.md"), "# A project the agents work on\n");
  sh(["add", "README.md"]);
  sh(["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "Start"]);
});
afterAll(async () => {
  await app?.close();
  rmSync(work, { recursive: true, force: true });
});

/** An agent of its own for each test (with a fallback when asked), and its token. */
async function agent(name: string, fallback?: string): Promise<string> {
  if (fallback) await call(agentList.POST, "POST", { ...admin, body: { name: fallback } });
  const res = await call(agentList.POST, "POST", { ...admin, body: { name, ...(fallback ? { fallback } : {}) } });
  expect(res.status).toBe(201);
  return fed.token(name);
}

async function task(assignee: string, title = "Add a file", type = "implementation") {
  const res = await call(tasks.POST, "POST", { ...admin, body: { title, type, assignee } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

/** A new agent with its token, and a task assigned to it. */
async function agentWithTask(name: string) {
  const token = await agent(name);
  return { token, t: await task(name) };
}

const read = async (id: string) => (await call(taskOne.GET, "GET", { ...admin, params: { id } })).body;

interface Runner {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number>;
}

/** Starts `fed run` as an agent's machine would: the real bin, its own process, the agent's token in FED_TOKEN. */
function fedRun(
  token: string,
  args: string[],
  env: Record<string, string> = {},
  where: { bin?: string; cwd?: string } = {},
): Runner {
  let out = "";
  const [file, argv] = where.bin ? [where.bin, ["run", ...args]] : [process.execPath, ["bin/fed.mjs", "run", ...args]];
  const child = spawn(file, argv, {
    cwd: where.cwd ?? process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: work,
      FED_CONFIG_DIR: work,
      FED_URL: app.url,
      FED_TOKEN: token,
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess;
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  return { child, out: () => out, exited };
}

/** Stops a runner (SIGTERM) and waits for it to exit. */
async function stop(runner: Runner): Promise<number> {
  runner.child.kill("SIGTERM");
  return runner.exited;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  for (const stop = Date.now() + ms; Date.now() < stop; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** The pids a fake wrote once it started (forever.mjs: itself and its child). */
const started = (pidsFile: string) =>
  until(
    async () => (existsSync(pidsFile) ? (JSON.parse(readFileSync(pidsFile, "utf8")) as number[]) : null),
    15_000,
    "the fake to start",
  );

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the packed CLI (npm run pack:cli)", () => {
  test("installs with npm from dist/fed-cli.tgz and works from a folder outside the checkout: --version, and fed run doing a task", async () => {
    execFileSync("npm", ["run", "-s", "pack:cli", "--", work], { cwd: process.cwd(), stdio: "ignore" });
    const prefix = path.join(work, "global");
    const outside = path.join(work, "elsewhere");
    execFileSync("mkdir", ["-p", outside]);
    execFileSync("npm", ["install", "-g", "--silent", "--prefix", prefix, path.join(work, "fed-cli.tgz")], {
      stdio: "ignore",
    });
    const fed = path.join(prefix, "bin", "fed");
    const version = JSON.parse(readFileSync("package.json", "utf8")).version as string;
    expect(execFileSync(fed, ["--version"], { cwd: outside, encoding: "utf8" }).trim()).toBe(version);
    // No dependencies of its own: the package holds one file.
    expect(readdirSync(path.join(prefix, "lib", "node_modules", "fed-cli")).sort()).toEqual([
      "fed.mjs",
      "package.json",
    ]);

    const { token, t } = await agentWithTask("runner-packed");
    // Asynchronously: the API it calls is served by this process.
    const runner = fedRun(
      token,
      ["--agent", "runner-packed", "--repo", repo, "--once", "--", "node", `${FAKES}/coder.mjs`],
      {},
      { bin: fed, cwd: outside },
    );
    expect(await runner.exited, runner.out()).toBe(0);
    expect((await read(t.id)).state).toBe("completed");
  });
});

describe("fed run", () => {
  test("a task is done in its own worktree: completed, its outcome names branch fed/<id> and the commit, the branch holds the file, the log holds the output (streamed while it ran)", async () => {
    const { token, t } = await agentWithTask("runner-ok");
    const runner = fedRun(
      token,
      ["--agent", "runner-ok", "--repo", repo, "--once", "--", "node", `${FAKES}/coder.mjs`],
      {
        FAKE_DELAY_MS: "2500",
      },
    );
    // While the fake works, its first lines are already in the task's log.
    const streamed = await until(
      async () => {
        const res = await call(taskLog.GET, "GET", { ...admin, params: { id: t.id } });
        const text = res.body as unknown;
        return typeof text === "string" && text.includes("fake coder: got") ? text : null;
      },
      15_000,
      "the log while the fake runs",
    );
    expect((await read(t.id)).state).toBe("in_progress");
    expect(streamed).not.toContain("committed");
    expect(await runner.exited).toBe(0);

    const done = await read(t.id);
    expect(done.state).toBe("completed");
    expect(done.outcome.summary).toBe(`Wrote ${t.id}.txt and committed it.`);
    expect(done.outcome.output.git.branch).toBe(`fed/${t.id}`);
    expect(done.outcome.output.git.commits.length).toBeGreaterThanOrEqual(1);
    expect(done.outcome.output.git.commits[0].subject).toBe(`Do ${t.id}`);
    expect(done.outcome.output.git.diffStat).toContain(`${t.id}.txt`);
    expect(sh(["show", `fed/${t.id}:${t.id}.txt`])).toContain("done by the fake coder");
    // The repository's own checkout is untouched: the work is on the task's branch only.
    expect(existsSync(path.join(repo, `${t.id}.txt`))).toBe(false);

    const log = await call(taskLog.GET, "GET", { ...admin, params: { id: t.id } });
    expect(log.status).toBe(200);
    expect(log.body as string).toContain("fake coder: got");
    expect(log.body as string).toContain(`committed ${t.id}.txt`);
  });

  test("a rate limit that says when it resets: the agent is rate_limited until then, the task is pending with its attempts unchanged, and the fallback can claim it", async () => {
    const token = await agent("runner-limited", "runner-spare");
    const t = await task("runner-limited");
    const runner = fedRun(
      token,
      ["--agent", "runner-limited", "--repo", repo, "--", "node", `${FAKES}/rate-limited.mjs`],
      {
        FAKE_RESETS: "in 2 minutes",
      },
    );
    try {
      const limited = await until(
        async () => {
          const a = (await call(agentOne.GET, "GET", { ...admin, params: { name: "runner-limited" } })).body;
          const back = (await read(t.id)).state === "pending";
          return a.status === "rate_limited" && back ? a : null;
        },
        20_000,
        "the agent rate limited and the task back in the queue",
      );
      const until2 = Date.parse(limited.statusUntil ?? limited.until);
      expect(Math.abs(until2 - (Date.now() + 120_000))).toBeLessThan(20_000);
      const back = await read(t.id);
      expect(back.attempts).toBe(0);
      // The fallback takes it.
      const spare = await fed.token("runner-spare");
      const claimed = await call(claim.POST, "POST", { token: spare, body: {} });
      expect(claimed.status).toBe(200);
      expect(claimed.body.id).toBe(t.id);
    } finally {
      await stop(runner);
    }
  });

  test("when the limit ends the runner claims again, and finishes the task", async () => {
    const { token, t } = await agentWithTask("runner-resumes");
    const marker = path.join(work, "limited-once");
    const runner = fedRun(
      token,
      ["--agent", "runner-resumes", "--repo", repo, "--once", "--", "node", `${FAKES}/rate-limited.mjs`],
      { FAKE_RESETS: "in 3 seconds", FAKE_ONCE_MARKER: marker },
    );
    expect(await runner.exited, runner.out()).toBe(0);
    expect(runner.out()).toContain("Rate limited on");
    expect(runner.out()).toContain("claiming again");
    const done = await read(t.id);
    expect(done.state, runner.out()).toBe("completed");
    expect(done.attempts).toBe(0);
  });

  test("a task cancelled while its command never ends: the command and its child are gone within 10 s, the task is cancelled", async () => {
    const { token, t } = await agentWithTask("runner-stuck");
    const pidsFile = path.join(work, "stuck-pids.json");
    const runner = fedRun(token, ["--agent", "runner-stuck", "--repo", repo, "--", "node", `${FAKES}/forever.mjs`], {
      FAKE_PIDS_FILE: pidsFile,
    });
    try {
      const pids = await started(pidsFile);
      expect(pids.every(alive)).toBe(true);
      const cancelledAt = Date.now();
      expect((await call(cancel.POST, "POST", { ...admin, params: { id: t.id }, body: {} })).status).toBe(200);
      await until(async () => pids.every((p) => !alive(p)), 10_000, "the fake and its child to be gone");
      expect(Date.now() - cancelledAt).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await read(t.id)).state).toBe("cancelled");
    } finally {
      await stop(runner);
    }
  });

  test("Ctrl-C gives the task in hand back: the command is killed, the task is pending again with its attempts unchanged", async () => {
    const { token, t } = await agentWithTask("runner-interrupted");
    const pidsFile = path.join(work, "interrupted-pids.json");
    const runner = fedRun(
      token,
      ["--agent", "runner-interrupted", "--repo", repo, "--", "node", `${FAKES}/forever.mjs`],
      {
        FAKE_PIDS_FILE: pidsFile,
      },
    );
    const pids = await started(pidsFile);
    runner.child.kill("SIGINT");
    expect(await runner.exited).toBe(0);
    expect(pids.some(alive)).toBe(false);
    const back = await read(t.id);
    expect(back.state).toBe("pending");
    expect(back.attempts).toBe(0);
    expect(runner.out()).toContain(`Gave ${t.id} back: fed run stopped`);
  });

  test("--clean removes the worktrees of tasks that ended; their branches stay", async () => {
    const { token, t } = await agentWithTask("runner-cleaned");
    const done = fedRun(token, [
      "--agent",
      "runner-cleaned",
      "--repo",
      repo,
      "--once",
      "--",
      "node",
      `${FAKES}/coder.mjs`,
    ]);
    expect(await done.exited).toBe(0);
    const worktree = path.join(`${repo}.fed-worktrees`, t.id);
    expect(existsSync(worktree)).toBe(true);
    const other = path.join(`${repo}.fed-worktrees`, "not-a-task");
    execFileSync("mkdir", ["-p", other]);

    const clean = fedRun(token, ["--agent", "runner-cleaned", "--repo", repo, "--clean"]);
    expect(await clean.exited).toBe(0);
    expect(clean.out()).toContain(`Removed the worktree of ${t.id} (completed)`);
    expect(existsSync(worktree)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(sh(["branch", "--list", `fed/${t.id}`]).trim()).toBe(`fed/${t.id}`);
  });

  test("--parallel 2 works two tasks at once; a command that fails is a failed attempt with a retry; --timeout fails one that runs too long", async () => {
    const token = await agent("runner-busy");
    const a = await task("runner-busy", "First of two", "busy-two");
    const b = await task("runner-busy", "Second of two", "busy-two");
    const two = fedRun(
      token,
      [
        "--agent",
        "runner-busy",
        "--repo",
        repo,
        "--parallel",
        "2",
        "--types",
        "busy-two",
        "--",
        "node",
        `${FAKES}/coder.mjs`,
      ],
      { FAKE_DELAY_MS: "3000" },
    );
    try {
      await until(
        async () => (await read(a.id)).state === "in_progress" && (await read(b.id)).state === "in_progress",
        15_000,
        "both tasks in progress at once",
      );
      await until(
        async () => (await read(a.id)).state === "completed" && (await read(b.id)).state === "completed",
        20_000,
        "both tasks completed",
      );
    } finally {
      await stop(two);
    }

    const failing = await task("runner-busy", "Fails", "busy-fails");
    const fails = fedRun(token, [
      "--agent",
      "runner-busy",
      "--repo",
      repo,
      "--once",
      "--types",
      "busy-fails",
      "--",
      "node",
      `${FAKES}/fails.mjs`,
    ]);
    expect(await fails.exited).toBe(1);
    const retried = await read(failing.id);
    expect(retried.state).toBe("pending");
    expect(retried.attempts).toBe(1);
    const attempt = retried.events.find((e: { action: string }) => e.action === "task.retry_scheduled");
    expect(attempt.details.summary).toContain("Exit code 1.");
    expect(attempt.details.summary).toContain("TypeError");

    const slow = await task("runner-busy", "Never ends", "busy-slow");
    const pidsFile = path.join(work, "slow-pids.json");
    const timed = fedRun(
      token,
      [
        "--agent",
        "runner-busy",
        "--repo",
        repo,
        "--once",
        "--types",
        "busy-slow",
        "--timeout",
        "2s",
        "--",
        "node",
        `${FAKES}/forever.mjs`,
      ],
      { FAKE_PIDS_FILE: pidsFile },
    );
    expect(await timed.exited).toBe(1);
    const timedOut = await read(slow.id);
    expect(timedOut.attempts).toBe(1);
    expect(
      timedOut.events.find((e: { action: string }) => e.action === "task.retry_scheduled").details.summary,
    ).toContain("Stopped: timed out after 2 s");
    expect((JSON.parse(readFileSync(pidsFile, "utf8")) as number[]).some(alive)).toBe(false);
  });

  test("output the API would refuse as it is (a NUL, control characters by the ten thousand, a split character) still completes the task and reaches the log", async () => {
    const { token, t } = await agentWithTask("runner-odd");
    const runner = fedRun(token, [
      "--agent",
      "runner-odd",
      "--repo",
      repo,
      "--once",
      "--",
      "node",
      `${FAKES}/odd-output.mjs`,
    ]);
    expect(await runner.exited, runner.out()).toBe(0);
    expect((await read(t.id)).state).toBe("completed");
    const log = (await call(taskLog.GET, "GET", { ...admin, params: { id: t.id } })).body as string;
    expect(log).toContain("beforeafter");
    expect(log).toContain("☃");
    expect(log).toContain("done");
  });

  test("a command that exits leaving a child holding its output: the task completes at once and the child is gone", async () => {
    const { token, t } = await agentWithTask("runner-leaves");
    const pidsFile = path.join(work, "left-pids.json");
    const runner = fedRun(
      token,
      ["--agent", "runner-leaves", "--repo", repo, "--once", "--", "node", `${FAKES}/leaves-child.mjs`],
      {
        FAKE_PIDS_FILE: pidsFile,
      },
    );
    const started = Date.now();
    expect(await runner.exited, runner.out()).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await read(t.id)).state).toBe("completed");
    const [child] = JSON.parse(readFileSync(pidsFile, "utf8")) as number[];
    await until(async () => !alive(child!), 10_000, "the child left behind to be gone");
  });

  test("a failure whose output mentions a 429 early on is an ordinary failed attempt, not a rate limit", async () => {
    const { token, t } = await agentWithTask("runner-429");
    const runner = fedRun(token, [
      "--agent",
      "runner-429",
      "--repo",
      repo,
      "--once",
      "--",
      "node",
      `${FAKES}/mentions-429.mjs`,
    ]);
    expect(await runner.exited, runner.out()).toBe(1);
    const after = await read(t.id);
    expect(after.attempts).toBe(1);
    expect((await call(agentOne.GET, "GET", { ...admin, params: { name: "runner-429" } })).body.status).toBe("active");
  });

  test("a flag that is not a number is a usage error (exit 2), not an unbounded run", async () => {
    const token = await agent("runner-flags");
    const runner = fedRun(token, ["--agent", "runner-flags", "--repo", repo, "--parallel", "abc", "--", "true"]);
    expect(await runner.exited).toBe(2);
    expect(runner.out()).toContain('--parallel takes a whole number of at least 1, not "abc"');
  });

  test("task text never reaches a shell: a title of $(touch pwned) `touch pwned2` creates no file anywhere", async () => {
    const token = await agent("runner-safe");
    const title = "$(touch pwned) `touch pwned2` ; touch pwned3";
    const t = await task("runner-safe", title);
    const runner = fedRun(token, [
      "--agent",
      "runner-safe",
      "--repo",
      repo,
      "--once",
      "--",
      "node",
      `${FAKES}/echo-title.mjs`,
    ]);
    expect(await runner.exited).toBe(0);
    expect((await read(t.id)).state).toBe("completed");
    const log = await call(taskLog.GET, "GET", { ...admin, params: { id: t.id } });
    expect(log.body as string).toContain(`title: ${title}`);
    const everywhere = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.name === ".git" ? [] : e.isDirectory() ? everywhere(path.join(dir, e.name)) : [e.name],
      );
    for (const dir of [work, process.cwd() + "/tests", process.cwd()])
      expect((dir === process.cwd() ? readdirSync(dir) : everywhere(dir)).filter((n) => n.startsWith("pwned"))).toEqual(
        [],
      );
  });

  test("--votes: a JSON answer casts exactly that ballot; prose casts none and says why", async () => {
    const tokenJson = await agent("runner-voter");
    const tokenProse = await agent("runner-prose");
    const vote = (
      await call(votes.POST, "POST", {
        ...admin,
        body: { question: "Which library?", options: ["a", "b"], voters: ["runner-voter", "runner-prose"] },
      })
    ).body as { id: string };

    const json = fedRun(
      tokenJson,
      [
        "--agent",
        "runner-voter",
        "--repo",
        repo,
        "--votes",
        "--once",
        "--wait",
        "1",
        "--",
        "node",
        `${FAKES}/voter.mjs`,
      ],
      { FAKE_ANSWER: '{"option":"b","confidence":0.9,"rationale":"It is maintained."}' },
    );
    const prose = fedRun(tokenProse, [
      "--agent",
      "runner-prose",
      "--repo",
      repo,
      "--votes",
      "--once",
      "--wait",
      "1",
      "--",
      "node",
      `${FAKES}/voter.mjs`,
    ]);
    expect(await json.exited).toBe(3); // no task: exit 3, the vote answered
    expect(await prose.exited).toBe(3);
    const v = (await call(voteOne.GET, "GET", { ...admin, params: { id: vote.id } })).body;
    expect(v.ballots.map((b: { voter: string; option: string; confidence: number; rationale: string }) => b)).toEqual([
      expect.objectContaining({ voter: "runner-voter", option: "b", confidence: 0.9, rationale: "It is maintained." }),
    ]);
    expect(prose.out()).toContain("No ballot on");
    expect(prose.out()).toContain("no JSON object");
  });
});
