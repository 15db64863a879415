// `fed run`: a worker process per agent, on the agent's machine. It claims the agent's tasks (long poll), gives each
// its own git worktree on a branch fed/<task-id>, runs the agent's command there — argv only, never a shell; the
// prompt on stdin and in a file — heartbeats while it runs, streams its output to the task's log, and completes
// with the command's result and the git facts (branch, commits, diff stat). A cancelled task or a lost lease kills
// the command's whole process group; a rate limit marks the agent rate_limited until it ends, gives the task back
// for the fallback, and sleeps until then. With --votes it also answers the votes awaiting the agent.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClaimedTaskDto, TaskDto } from "@/lib/queue/schema";
import { CliError, EXIT, type ApiClient } from "./client";
import { DEFAULT_BACKOFF_MS, DEFAULT_RATE_LIMIT_PATTERNS, isRateLimited, rateLimitUntil } from "./rate-limit";

export interface RunnerOptions {
  api: ApiClient;
  agent: string;
  /** The git repository each task gets a worktree of. */
  repo: string;
  /** What each task's branch starts from (default: the repo's HEAD). */
  base?: string;
  /** Where the worktrees go (default: `<repo>.fed-worktrees` beside the repo). */
  worktrees?: string;
  /** The agent's command and its arguments: run as is, never through a shell. */
  command: string[];
  parallel?: number;
  types?: string[];
  /** An attempt that runs longer fails with that reason. */
  timeoutMs?: number;
  /** Answer the votes awaiting the agent with the command too. */
  votes?: boolean;
  /** One task (and the votes then awaiting), then stop. */
  once?: boolean;
  /** On stop, finish the tasks in hand instead of giving them back. */
  drain?: boolean;
  leaseSeconds?: number;
  heartbeatMs?: number;
  logFlushMs?: number;
  /** How long a killed command gets between SIGTERM and SIGKILL. */
  graceMs?: number;
  rateLimitPatterns?: RegExp[];
  /** Exit codes that mean a rate limit whatever the output says. */
  rateLimitExitCodes?: number[];
  /** How long to wait when a rate limit does not say when it ends. */
  rateLimitBackoffMs?: number;
  /** How long one claim waits for work (long poll), in seconds. */
  claimWaitSeconds?: number;
  signal: AbortSignal;
  report: (event: RunnerEvent) => void;
}

export type RunnerEvent =
  | { event: "started"; agent: string; repo: string; command: string[] }
  | { event: "claimed"; task: string; title: string; worktree: string; branch: string }
  | { event: "output"; task: string; stream: "stdout" | "stderr"; text: string }
  | { event: "completed"; task: string; success: boolean; exitCode: number | null; commits: number; seconds: number }
  | { event: "killed"; task: string; reason: string }
  | { event: "rate_limited"; task: string; until: string }
  | { event: "resumed"; after: string }
  | { event: "released"; task: string; reason: string }
  | { event: "ballot"; vote: string; option: string; confidence: number }
  | { event: "no_ballot"; vote: string; reason: string }
  | { event: "error"; detail: string }
  | { event: "stopped" };

/** How much of a command's output the runner keeps in memory: the tail for the summary and the outcome. */
const TAIL_BYTES = 64 * 1024;
/** How much unsent log the runner holds while the server is slow: beyond it, the middle is dropped (and said so). */
const PENDING_LOG_BYTES = 256 * 1024;
/** One log append (the server takes up to 48 KiB). */
const APPEND_BYTES = 32 * 1024;
const SUMMARY_MAX = 4_000;

/** A bounded tail of text: what a command printed last, whatever it printed in all. */
export class Tail {
  private parts: string[] = [];
  private size = 0;
  total = 0;
  constructor(private readonly limit = TAIL_BYTES) {}
  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    this.total += text.length;
    while (this.size > this.limit) {
      const first = this.parts[0]!;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.parts.shift();
        this.size -= first.length;
      } else {
        this.parts[0] = first.slice(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return this.parts.join("");
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Runs git with argv (never a shell); resolves stdout, rejects with git's message. */
export function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.join(" ")}: ${stderr.trim() || error.message}`)) : resolve(stdout),
    );
  });
}

/** The prompt a coding CLI gets for a task: what to do, what came before, and what "done" means. */
export function taskPrompt(task: TaskDto, parent?: TaskDto | null): string {
  const lines = [`# ${task.title}`, "", `Task ${task.id} · type ${task.type} · priority ${task.priority}`];
  if (task.description) lines.push("", task.description);
  if (parent) {
    const outcome = (parent.outcome ?? {}) as { summary?: string; output?: unknown };
    lines.push("", `## Before this: ${parent.title} (${parent.id})`);
    if (outcome.summary) lines.push("", outcome.summary);
    if (outcome.output !== undefined) {
      const text = typeof outcome.output === "string" ? outcome.output : JSON.stringify(outcome.output, null, 2);
      lines.push("", "Its output:", "", text.slice(-8_000));
    }
  }
  lines.push(
    "",
    "## Done means",
    "",
    "You work in a git worktree of the repository, on this task's own branch. Make the change, commit it on this",
    "branch (do not push, do not switch branches), and end with a short summary of what you did. Exit with status 0",
    "when the task is done and non-zero when you could not do it.",
  );
  return lines.join("\n") + "\n";
}

/** A vote's prompt: the question, the options, and the JSON answer wanted. */
export function votePrompt(vote: { id: string; question: string; options: string[] }): string {
  return [
    `# Vote ${vote.id}: ${vote.question}`,
    "",
    "Options:",
    ...vote.options.map((o) => `- ${o}`),
    "",
    "Answer with one JSON object and nothing else:",
    '{"option": "<one of the options, exactly>", "confidence": <0..1, how sure you are>, "rationale": "<why, briefly>"}',
    "",
  ].join("\n");
}

/**
 * The first JSON object in a command's output with `option`, `confidence` and maybe `rationale`, checked: the
 * option one of the vote's, the confidence a number in [0, 1]. Anything else is a reason for no ballot — never a
 * made-up confidence.
 */
export function readBallot(
  output: string,
  options: string[],
): { ok: true; option: string; confidence: number; rationale?: string } | { ok: false; reason: string } {
  for (let start = output.indexOf("{"); start >= 0; start = output.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < output.length; i++) {
      const c = output[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(output.slice(start, i + 1));
        } catch {
          break;
        }
        const o = parsed as { option?: unknown; confidence?: unknown; rationale?: unknown };
        if (o && typeof o === "object" && "option" in o) {
          if (typeof o.option !== "string" || !options.includes(o.option))
            return { ok: false, reason: `option ${JSON.stringify(o.option)} is not one of ${options.join(", ")}` };
          if (typeof o.confidence !== "number" || !(o.confidence >= 0 && o.confidence <= 1))
            return { ok: false, reason: `confidence ${JSON.stringify(o.confidence)} is not a number from 0 to 1` };
          const rationale = typeof o.rationale === "string" && o.rationale.trim() ? o.rationale.trim() : undefined;
          return { ok: true, option: o.option, confidence: o.confidence, rationale: rationale?.slice(0, 4000) };
        }
        break;
      }
    }
  }
  return { ok: false, reason: "the output holds no JSON object with an option and a confidence" };
}

/** The summary of a finished command: its JSON `result` when it printed one (Claude Code, Codex), else its last lines. */
export function summaryOf(output: string): string {
  const lines = output.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 50; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line) as { result?: unknown };
      if (typeof parsed.result === "string" && parsed.result.trim()) return parsed.result.trim().slice(0, SUMMARY_MAX);
    } catch {
      /* not JSON */
    }
  }
  const tail = lines.slice(-20).join("\n").trim();
  return (tail || "(no output)").slice(-SUMMARY_MAX);
}

/** Strips ANSI escape sequences (colours, cursor moves) from terminal output. */
export const stripAnsi = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, "");

/** The child's environment: the runner's, with the task's facts, and without the agent's token. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.FED_TOKEN;
  return env;
}

/** Kills a command's whole process group: SIGTERM, then SIGKILL after the grace period. */
function killGroup(child: ChildProcess, graceMs: number): void {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      /* gone already */
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
  timer.unref();
  child.once("exit", () => {
    // The group may outlive its leader: what is left gets SIGKILL when the grace period ends.
    setTimeout(() => signalGroup("SIGKILL"), graceMs).unref();
  });
}

interface Held {
  task: ClaimedTaskDto;
  child: ChildProcess | null;
  kill: (reason: string) => void;
  done: Promise<void>;
}

export async function runRunner(o: RunnerOptions): Promise<number> {
  const repo = path.resolve(o.repo);
  const parallel = Math.max(1, o.parallel ?? 1);
  const leaseSeconds = o.leaseSeconds ?? 300;
  const heartbeatMs = o.heartbeatMs ?? Math.min(3_000, (leaseSeconds * 1000) / 3);
  const logFlushMs = o.logFlushMs ?? 1_000;
  const graceMs = o.graceMs ?? 5_000;
  const patterns = o.rateLimitPatterns ?? DEFAULT_RATE_LIMIT_PATTERNS;
  const worktreesDir = path.resolve(o.worktrees ?? `${repo}.fed-worktrees`);
  if (!o.command.length) throw new CliError("Name the agent's command after `--`, e.g. `-- claude -p`.", EXIT.usage);
  try {
    await git(["rev-parse", "--git-dir"], repo);
  } catch {
    throw new CliError(`${repo} is not a git repository: fed run gives each task a worktree of one.`, EXIT.usage);
  }
  const base = (
    await git(["rev-parse", "--verify", `${o.base ?? "HEAD"}^{commit}`], repo).catch(() => {
      throw new CliError(`No commit ${o.base ?? "HEAD"} in ${repo} to start task branches from.`, EXIT.usage);
    })
  ).trim();
  mkdirSync(worktreesDir, { recursive: true });
  o.report({ event: "started", agent: o.agent, repo, command: o.command });

  const held = new Map<string, Held>();
  /** Rate limited: no claims until then. */
  let pausedUntil = 0;
  const triedVotes = new Set<string>();
  /** Tasks this run saw to an end: completed, failed, or taken away (cancelled). A rate limit's release is not one. */
  let settled = 0;
  /** Whether the last task this run saw to an end failed (`--once` then exits 1). */
  let lastFailed = false;

  const post = async (p: string, body: unknown, lease?: string) => o.api.request(p, { body, lease });

  async function worktreeFor(task: TaskDto): Promise<{ dir: string; branch: string }> {
    const branch = `fed/${task.id}`;
    const dir = path.join(worktreesDir, task.id);
    if (existsSync(dir)) return { dir, branch }; // a retry: the same worktree, with what the last attempt left
    const exists = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], repo).then(
      () => true,
      () => false,
    );
    await git(exists ? ["worktree", "add", dir, branch] : ["worktree", "add", "-b", branch, dir, base], repo);
    return { dir, branch };
  }

  async function gitFacts(dir: string, branch: string) {
    const commits = (await git(["log", "--format=%H %s", `${base}..HEAD`], dir).catch(() => ""))
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => ({ sha: l.slice(0, 40), subject: l.slice(41) }));
    const diffStat = (await git(["diff", "--stat", `${base}..HEAD`], dir).catch(() => "")).trim();
    return { branch, base, worktree: dir, commits, diffStat };
  }

  async function parentOf(task: TaskDto): Promise<TaskDto | null> {
    if (!task.parentId) return null;
    return o.api.get<TaskDto>(`/tasks/${encodeURIComponent(task.parentId)}`).catch(() => null);
  }

  /** Runs the command for a claimed task, start to end. */
  async function work(task: ClaimedTaskDto, h: Held): Promise<void> {
    const started = Date.now();
    const lease = task.leaseToken;
    const id = encodeURIComponent(task.id);
    let stopReason: string | null = null; // set when the runner kills the command
    let lost = false; // the task was cancelled or claimed again: no completion, no release
    const { dir, branch } = await worktreeFor(task);
    o.report({ event: "claimed", task: task.id, title: task.title, worktree: dir, branch });
    const meta = path.join(worktreesDir, `${task.id}.fed`);
    mkdirSync(meta, { recursive: true });
    const prompt = taskPrompt(task, await parentOf(task));
    const promptFile = path.join(meta, "prompt.md");
    const taskFile = path.join(meta, "task.json");
    const { leaseToken: _secret, ...publicTask } = task;
    writeFileSync(promptFile, prompt);
    writeFileSync(taskFile, JSON.stringify(publicTask, null, 2));

    const child = spawn(o.command[0]!, o.command.slice(1), {
      cwd: dir,
      env: childEnv({ FED_TASK_ID: task.id, FED_PROMPT_FILE: promptFile, FED_TASK_FILE: taskFile, FED_AGENT: o.agent }),
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // its own process group: a kill reaches whatever it started
      shell: false,
    });
    h.child = child;
    h.kill = (reason: string) => {
      if (stopReason) return;
      stopReason = reason;
      o.report({ event: "killed", task: task.id, reason });
      killGroup(child, graceMs);
    };
    child.stdin.on("error", () => {});
    child.stdin.end(prompt);

    const tail = new Tail();
    const pending: { stream: "stdout" | "stderr"; text: string }[] = [];
    let pendingBytes = 0;
    let skipped = 0;
    const take = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      tail.push(text);
      o.report({ event: "output", task: task.id, stream, text });
      pending.push({ stream, text });
      pendingBytes += text.length;
      while (pendingBytes > PENDING_LOG_BYTES && pending.length > 1) {
        const dropped = pending.shift()!;
        pendingBytes -= dropped.text.length;
        skipped += dropped.text.length;
      }
    };
    child.stdout.on("data", take("stdout"));
    child.stderr.on("data", take("stderr"));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("close", (code, signal) => resolve({ code, signal })),
    );
    let spawnError: Error | null = null;
    child.once("error", (e) => (spawnError = e));

    /** A 409 or 404 on the holder's calls: the task was cancelled, or its lease lost. Stop the command. */
    const onLost = (error: unknown) => {
      const status = (error as CliError).status;
      if (status === 409 || status === 404 || status === 403) {
        lost = true;
        h.kill(`the task is no longer ours: ${(error as CliError).problem?.detail ?? (error as Error).message}`);
        return true;
      }
      return false;
    };

    let flushing: Promise<void> = Promise.resolve();
    const flush = () =>
      (flushing = flushing.then(async () => {
        if (lost) return;
        if (skipped) {
          pending.unshift({ stream: "stderr", text: `\n[fed run: ${skipped} characters of output not sent]\n` });
          skipped = 0;
        }
        while (pending.length) {
          let stream = pending[0]!.stream;
          let text = "";
          while (pending.length && pending[0]!.stream === stream && text.length < APPEND_BYTES) {
            const next = pending[0]!;
            const room = APPEND_BYTES - text.length;
            if (next.text.length <= room) {
              text += next.text;
              pendingBytes -= next.text.length;
              pending.shift();
            } else {
              text += next.text.slice(0, room);
              next.text = next.text.slice(room);
              pendingBytes -= room;
            }
          }
          try {
            await post(`/tasks/${id}/log`, { stream, text }, lease);
          } catch (error) {
            if (onLost(error)) return;
            o.report({ event: "error", detail: `log: ${(error as Error).message}` });
            pending.unshift({ stream, text });
            pendingBytes += text.length;
            return; // try again at the next flush
          }
          stream = pending[0]?.stream ?? stream;
        }
      }));
    const flusher = setInterval(() => void flush(), logFlushMs);
    const beat = setInterval(() => {
      void post(`/tasks/${id}/heartbeat`, { leaseSeconds }, lease).catch((error) => {
        if (!onLost(error)) o.report({ event: "error", detail: `heartbeat: ${(error as Error).message}` });
      });
    }, heartbeatMs);
    const timeout = o.timeoutMs
      ? setTimeout(() => h.kill(`timed out after ${Math.round(o.timeoutMs! / 60_000)} min`), o.timeoutMs)
      : null;

    const { code } = await exited;
    clearInterval(flusher);
    clearInterval(beat);
    if (timeout) clearTimeout(timeout);
    await flush();
    await flushing;
    if (lost) {
      settled++; // cancelled or claimed again: nothing of ours to report
      lastFailed = true;
      return;
    }

    const output = stripAnsi(tail.text());
    const seconds = Math.round((Date.now() - started) / 1000);
    const failedToStart = spawnError as Error | null;
    const limited =
      !stopReason &&
      code !== 0 &&
      (o.rateLimitExitCodes?.includes(code ?? -1) || isRateLimited(output.slice(-8_000), patterns));
    if (limited) {
      const until =
        rateLimitUntil(output.slice(-8_000)) ?? new Date(Date.now() + (o.rateLimitBackoffMs ?? DEFAULT_BACKOFF_MS));
      pausedUntil = Math.max(pausedUntil, until.getTime());
      o.report({ event: "rate_limited", task: task.id, until: until.toISOString() });
      await o.api
        .patch(`/agents/${encodeURIComponent(o.agent)}`, { status: "rate_limited", until: until.toISOString() })
        .catch((e) => o.report({ event: "error", detail: `marking ${o.agent} rate limited: ${(e as Error).message}` }));
      const reason = `rate limited until ${until.toISOString()}`;
      await post(`/tasks/${id}/release`, { reason }, lease).catch((e) => onLost(e));
      o.report({ event: "released", task: task.id, reason });
      return;
    }
    if (stopReason === "stopped by the runner") {
      await post(`/tasks/${id}/release`, { reason: "fed run stopped" }, lease).catch((e) => onLost(e));
      o.report({ event: "released", task: task.id, reason: "fed run stopped" });
      return;
    }
    const facts = await gitFacts(dir, branch);
    const success = !stopReason && !failedToStart && code === 0;
    const summary = failedToStart
      ? `Could not start ${o.command[0]}: ${failedToStart.message}`
      : stopReason
        ? `Stopped: ${stopReason}.\n${summaryOf(output)}`
        : success
          ? summaryOf(output)
          : `Exit code ${code}.\n${summaryOf(output)}`;
    settled++;
    lastFailed = !success;
    try {
      await post(
        `/tasks/${id}/complete`,
        {
          success,
          ...(success ? {} : { retry: true }),
          summary: summary.slice(0, SUMMARY_MAX),
          durationMinutes: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
          output: { exitCode: code, git: facts, tail: output.slice(-16_000) },
        },
        lease,
      );
    } catch (error) {
      if (!onLost(error)) throw error;
      return;
    }
    o.report({ event: "completed", task: task.id, success, exitCode: code, commits: facts.commits.length, seconds });
  }

  /** Answers the votes awaiting the agent (each once per run): a ballot from the command's JSON, or none and why. */
  async function answerVotes(): Promise<void> {
    const briefing = await o.api.get<{ votesAwaitingBallot: { id: string; question: string; options: string[] }[] }>(
      `/agents/${encodeURIComponent(o.agent)}/briefing`,
    );
    for (const vote of briefing.votesAwaitingBallot) {
      if (triedVotes.has(vote.id) || o.signal.aborted) continue;
      triedVotes.add(vote.id);
      const prompt = votePrompt(vote);
      const meta = path.join(worktreesDir, `vote-${vote.id}.fed`);
      mkdirSync(meta, { recursive: true });
      const promptFile = path.join(meta, "prompt.md");
      writeFileSync(promptFile, prompt);
      const tail = new Tail();
      const child = spawn(o.command[0]!, o.command.slice(1), {
        cwd: repo,
        env: childEnv({ FED_VOTE_ID: vote.id, FED_PROMPT_FILE: promptFile, FED_AGENT: o.agent }),
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
        shell: false,
      });
      child.stdin.on("error", () => {});
      child.stdin.end(prompt);
      child.stdout.on("data", (c: Buffer) => tail.push(c.toString("utf8")));
      child.stderr.on("data", () => {});
      child.once("error", () => {});
      const timer = setTimeout(() => killGroup(child, graceMs), o.timeoutMs ?? 10 * 60_000);
      await new Promise((resolve) => child.once("close", resolve));
      clearTimeout(timer);
      const ballot = readBallot(stripAnsi(tail.text()), vote.options);
      if (!ballot.ok) {
        o.report({ event: "no_ballot", vote: vote.id, reason: ballot.reason });
        continue;
      }
      try {
        await post(`/votes/${encodeURIComponent(vote.id)}/ballots`, {
          option: ballot.option,
          confidence: ballot.confidence,
          ...(ballot.rationale ? { rationale: ballot.rationale } : {}),
        });
        o.report({ event: "ballot", vote: vote.id, option: ballot.option, confidence: ballot.confidence });
      } catch (error) {
        o.report({ event: "no_ballot", vote: vote.id, reason: (error as Error).message });
      }
    }
  }

  const onStop = () => {
    if (o.drain) return;
    for (const h of held.values()) h.kill("stopped by the runner");
  };
  o.signal.addEventListener("abort", onStop, { once: true });
  try {
    while (!o.signal.aborted) {
      if (o.votes)
        await answerVotes().catch((e) => o.report({ event: "error", detail: `votes: ${(e as Error).message}` }));
      if (o.once && settled > 0) break;
      if (Date.now() < pausedUntil) {
        await sleep(pausedUntil - Date.now(), o.signal);
        if (o.signal.aborted) break;
        o.report({ event: "resumed", after: new Date(pausedUntil).toISOString() });
        continue;
      }
      if (held.size >= parallel) {
        await Promise.race([...held.values()].map((h) => h.done));
        continue;
      }
      let task: ClaimedTaskDto | null = null;
      try {
        const res = await o.api.request<ClaimedTaskDto>("/tasks/claim", {
          body: {
            ...(o.types?.length ? { types: o.types } : {}),
            leaseSeconds,
            waitSeconds: o.claimWaitSeconds ?? 20,
          },
          signal: o.signal,
        });
        task = res.status === 200 ? res.body : null;
      } catch (error) {
        if (o.signal.aborted) break;
        o.report({ event: "error", detail: `claim: ${(error as Error).message}` });
        await sleep(5_000, o.signal);
        continue;
      }
      if (!task) {
        if (o.once) break; // one look (and the votes then awaiting): nothing to do
        continue;
      }
      const h: Held = { task, child: null, kill: () => {}, done: Promise.resolve() };
      h.done = work(task, h)
        .catch((error) => {
          o.report({ event: "error", detail: `${task.id}: ${(error as Error).message}` });
          // Could not run it (a worktree git refused…): give it back rather than hold it until the lease ends.
          return post(
            `/tasks/${encodeURIComponent(task.id)}/release`,
            { reason: (error as Error).message },
            task.leaseToken,
          )
            .then(() => undefined)
            .catch(() => undefined);
        })
        .finally(() => held.delete(task.id));
      held.set(task.id, h);
      if (o.once) await h.done;
    }
    await Promise.all([...held.values()].map((h) => h.done));
  } finally {
    o.signal.removeEventListener("abort", onStop);
  }
  o.report({ event: "stopped" });
  if (!o.once) return EXIT.ok;
  return settled === 0 ? EXIT.nothingToClaim : lastFailed ? EXIT.failure : EXIT.ok;
}

/**
 * `fed run --clean`: removes the worktrees (and prompt files) of this repository's tasks that have ended —
 * completed, failed or cancelled. Their branches stay: the work lives there. Returns what it removed.
 */
export async function cleanWorktrees(o: {
  api: ApiClient;
  repo: string;
  worktrees?: string;
  report: (line: string) => void;
}): Promise<string[]> {
  const repo = path.resolve(o.repo);
  const dir = path.resolve(o.worktrees ?? `${repo}.fed-worktrees`);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^task-[\w-]+$/.test(name)) continue;
    const task = await o.api.get<TaskDto>(`/tasks/${encodeURIComponent(name)}`).catch(() => null);
    if (!task || !["completed", "failed", "cancelled"].includes(task.state)) continue;
    await git(["worktree", "remove", "--force", path.join(dir, name)], repo).catch((e: Error) =>
      o.report(`Could not remove ${name}'s worktree: ${e.message}`),
    );
    rmSync(path.join(dir, `${name}.fed`), { recursive: true, force: true });
    removed.push(name);
    o.report(`Removed the worktree of ${name} (${task.state}); its branch fed/${name} stays.`);
  }
  await git(["worktree", "prune"], repo).catch(() => {});
  return removed;
}
