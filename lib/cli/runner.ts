// `fed run`: a worker process per agent, on the agent's machine. It claims the agent's tasks (long poll), gives each
// its own git worktree on a branch fed/<task-id>, runs the agent's command there — argv only, never a shell; the
// prompt on stdin and in a file — heartbeats while it runs, streams its output to the task's log, and completes
// with the command's result and the git facts (branch, commits, diff stat). A cancelled task or a lost lease kills
// the command's whole process group; a rate limit marks the agent rate_limited until it ends, gives the task back
// for the fallback, and sleeps until then. With --votes it also answers the votes awaiting the agent.
import { tmpdir } from "node:os";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClaimedTaskDto, TaskDto } from "@/lib/queue/schema";
import { CliError, EXIT, type ApiClient } from "./client";
import { stripAnsi } from "@/lib/text/ansi";
import { storable } from "@/lib/text/storable";
import { processExecutor, type ExecResult, type Executor } from "./executor";
import { readBallot, summaryOf, taskPrompt, votePrompt } from "./prompts";
import { fitJson, Tail } from "./tail";
import { git } from "./worktrees";
import { DEFAULT_BACKOFF_MS, DEFAULT_RATE_LIMIT_PATTERNS, isRateLimited, rateLimitUntil } from "./rate-limit";

export interface RunnerOptions {
  api: ApiClient;
  agent: string;
  /** The git repository each task gets a worktree of (a coding CLI needs one; a model that only answers does not). */
  repo?: string;
  /** What each task's branch starts from (default: the repo's HEAD). */
  base?: string;
  /** Where the worktrees go (default: `<repo>.fed-worktrees` beside the repo). */
  worktrees?: string;
  /** The agent's command and its arguments: run as is, never through a shell. */
  command?: string[];
  /** What runs each task, when not a command: e.g. the Ollama adapter (lib/cli/bridge.ts). */
  executor?: Executor;
  /** How long to wait between claims when a claim does not wait (long poll) or fails. */
  idleMs?: number;
  /** While the executor's backend is away (its probe fails): waits that double from firstMs up to maxMs. */
  backoff?: { firstMs: number; maxMs: number };
  /** The reason given when a task in hand goes back because the runner stops. */
  stopReleaseReason?: string;
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
  | { event: "started"; agent: string; repo: string | null; command: string[] }
  | { event: "claimed"; task: string; title: string; worktree: string; branch: string | null }
  | { event: "heartbeat"; task: string; leaseExpiresAt: string }
  | { event: "lost"; task: string; detail: string }
  | { event: "unavailable"; error: string; retryInMs: number; markedOffline: boolean }
  | { event: "available"; markedActive: boolean }
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

/** How much unsent log the runner holds while the server is slow: beyond it, the middle is dropped (and said so). */
const PENDING_LOG_BYTES = 256 * 1024;
/**
 * One log append, in characters: at most 6 bytes each once JSON-escaped (a control character), so an append stays
 * under the API's 64 KiB body limit whatever the command printed.
 */
const APPEND_BYTES = 8 * 1024;

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

interface Held {
  task: ClaimedTaskDto;
  kill: (reason: string) => void;
  done: Promise<void>;
}

/** Why a request failed, in a word where there is one (ECONNREFUSED), else its message. */
export const reasonOf = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
};

export async function runRunner(o: RunnerOptions): Promise<number> {
  const executor = o.executor ?? (o.command?.length ? processExecutor(o.command) : null);
  if (!executor) throw new CliError("Name the agent's command after `--`, e.g. `-- claude -p`.", EXIT.usage);
  const parallel = Math.max(1, o.parallel ?? 1);
  const leaseSeconds = o.leaseSeconds ?? 300;
  const heartbeatMs = o.heartbeatMs ?? Math.min(3_000, (leaseSeconds * 1000) / 3);
  const logFlushMs = o.logFlushMs ?? 1_000;
  const graceMs = o.graceMs ?? 5_000;
  const idleMs = o.idleMs ?? 5_000;
  const backoff = o.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
  const patterns = o.rateLimitPatterns ?? DEFAULT_RATE_LIMIT_PATTERNS;
  const repo = o.repo ? path.resolve(o.repo) : null;
  if (executor.needsRepo && !repo)
    throw new CliError("Name the git repository the agent works in: --repo PATH.", EXIT.usage);
  let base: string | null = null;
  if (repo) {
    try {
      await git(["rev-parse", "--git-dir"], repo);
    } catch {
      throw new CliError(`${repo} is not a git repository: fed run gives each task a worktree of one.`, EXIT.usage);
    }
    base = (
      await git(["rev-parse", "--verify", `${o.base ?? "HEAD"}^{commit}`], repo).catch(() => {
        throw new CliError(`No commit ${o.base ?? "HEAD"} in ${repo} to start task branches from.`, EXIT.usage);
      })
    ).trim();
  }
  // Worktrees (and each task's prompt files) beside the repository. An executor that needs neither (a model that
  // only answers) writes nothing to disk.
  const useWorktrees = executor.needsRepo && repo !== null;
  const worktreesDir = path.resolve(o.worktrees ?? `${repo ?? tmpdir()}.fed-worktrees`);
  if (useWorktrees) mkdirSync(worktreesDir, { recursive: true });

  // The agent as it stands: an `offline` left by an earlier run is ours to lift once the backend answers.
  let markedOffline = false;
  if (executor.probe) {
    const agent = await o.api.get<{ status: string }>(`/agents/${encodeURIComponent(o.agent)}`);
    markedOffline = agent.status === "offline";
  }
  o.report({ event: "started", agent: o.agent, repo, command: executor.describe });

  const held = new Map<string, Held>();
  /** Rate limited: no claims until then. */
  let pausedUntil = 0;
  const triedVotes = new Set<string>();
  /** Tasks this run saw to an end: completed, failed, or taken away (cancelled). A rate limit's release is not one. */
  let settled = 0;
  /** Whether the last task this run saw to an end failed (`--once` then exits 1). */
  let lastFailed = false;
  /** The backend went away during a task: the main loop marks the agent offline and backs off. */
  let wentAway: string | null = null;
  /** Rate-limit releases per task in this run: past MAX_RATE_LIMIT_RELEASES its failure counts as one. */
  const rateLimits = new Map<string, number>();
  /** A task could not be started: the next claim waits a moment. */
  let claimAfter = 0;
  const pauseClaimsUntil = (at: number) => (claimAfter = Math.max(claimAfter, at));
  let wait = backoff.firstMs;

  const post = async (p: string, body: unknown, lease?: string) => o.api.request(p, { body, lease });

  const setStatus = async (status: "offline" | "active") => {
    try {
      await o.api.patch(`/agents/${encodeURIComponent(o.agent)}`, { status });
      return true;
    } catch (error) {
      o.report({ event: "error", detail: `Could not mark ${o.agent} ${status}: ${(error as Error).message}` });
      return false;
    }
  };

  async function worktreeFor(task: TaskDto): Promise<{ dir: string; branch: string | null }> {
    if (!useWorktrees) return { dir: tmpdir(), branch: null };
    const branch = `fed/${task.id}`;
    const dir = path.join(worktreesDir, task.id);
    if (existsSync(dir)) return { dir, branch }; // a retry: the same worktree, with what the last attempt left
    const exists = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], repo!).then(
      () => true,
      () => false,
    );
    await git(exists ? ["worktree", "add", dir, branch] : ["worktree", "add", "-b", branch, dir, base!], repo!);
    return { dir, branch };
  }

  async function gitFacts(dir: string, branch: string) {
    const commits = (await git(["log", "--format=%H %s", `${base}..HEAD`], dir).catch(() => ""))
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => ({ sha: l.slice(0, 40), subject: l.slice(41) }));
    const diffStat = (await git(["diff", "--stat", `${base}..HEAD`], dir).catch(() => "")).trim();
    // Bounded, so the report fits the API's body limit however much the agent changed.
    return {
      branch,
      base,
      worktree: dir,
      commits: commits.slice(0, 50),
      commitCount: commits.length,
      diffStat: fitJson(diffStat, 8_000, "end"),
    };
  }

  async function parentOf(task: TaskDto): Promise<TaskDto | null> {
    if (!task.parentId) return null;
    return o.api.get<TaskDto>(`/tasks/${encodeURIComponent(task.parentId)}`).catch(() => null);
  }

  /** Runs the agent on a claimed task, start to end. */
  async function work(task: ClaimedTaskDto, h: Held): Promise<void> {
    const started = Date.now();
    const lease = task.leaseToken;
    const id = encodeURIComponent(task.id);
    let stopReason: string | null = null; // set when the runner stops the agent
    let lost = false; // the task was cancelled or claimed again: no completion, no release
    const { dir, branch } = await worktreeFor(task);
    o.report({ event: "claimed", task: task.id, title: task.title, worktree: dir, branch });
    const prompt = taskPrompt(task, await parentOf(task));
    const env: Record<string, string> = { FED_TASK_ID: task.id, FED_AGENT: o.agent };
    if (useWorktrees) {
      const meta = path.join(worktreesDir, `${task.id}.fed`);
      mkdirSync(meta, { recursive: true });
      env.FED_PROMPT_FILE = path.join(meta, "prompt.md");
      env.FED_TASK_FILE = path.join(meta, "task.json");
      const { leaseToken: _secret, ...publicTask } = task;
      writeFileSync(env.FED_PROMPT_FILE, prompt);
      writeFileSync(env.FED_TASK_FILE, JSON.stringify(publicTask, null, 2));
    }

    const tail = new Tail();
    const pending: { stream: "stdout" | "stderr"; text: string }[] = [];
    let pendingBytes = 0;
    let skipped = 0;
    const take = (stream: "stdout" | "stderr", text: string) => {
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
    const run = executor!.start(
      {
        task,
        prompt,
        cwd: dir,
        env,
        onOutput: take,
      },
      graceMs,
    );
    let ended = false;
    h.kill = (reason: string) => {
      if (stopReason || ended) return; // a run that has ended is reported as it ended
      stopReason = reason;
      if (!lost) o.report({ event: "killed", task: task.id, reason });
      run.kill();
    };

    /** A 409, 404 or 403 on the holder's calls: the task was cancelled, or its lease lost. Stop the agent. */
    const onLost = (error: unknown) => {
      const status = (error as CliError).status;
      if (status === 409 || status === 404 || status === 403) {
        if (!lost) {
          lost = true;
          o.report({ event: "lost", task: task.id, detail: (error as Error).message });
        }
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
          const stream = pending[0]!.stream;
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
            await post(`/tasks/${id}/log`, { stream, text: storable(text) }, lease);
          } catch (error) {
            if (onLost(error)) return;
            o.report({ event: "error", detail: `log: ${(error as Error).message}` });
            const status = (error as CliError).status ?? 0;
            if (status >= 400 && status < 500) continue; // refused as it is: sending it again would not help
            pending.unshift({ stream, text });
            pendingBytes += text.length;
            return; // the server is away: try again at the next flush
          }
        }
      }));
    const flusher = setInterval(() => void flush(), logFlushMs);
    let beating = false;
    const beat = setInterval(() => {
      if (beating) return; // the previous beat is still on its way: no pile-up while the server is slow
      beating = true;
      void post(`/tasks/${id}/heartbeat`, { leaseSeconds }, lease)
        .finally(() => (beating = false))
        .then(
          (res) =>
            o.report({
              event: "heartbeat",
              task: task.id,
              leaseExpiresAt: (res.body as { leaseExpiresAt: string }).leaseExpiresAt,
            }),
          (error) => {
            if (!onLost(error)) o.report({ event: "error", detail: `heartbeat: ${(error as Error).message}` });
          },
        );
    }, heartbeatMs);
    const timeout = o.timeoutMs
      ? setTimeout(
          () =>
            h.kill(
              `timed out after ${o.timeoutMs! >= 60_000 ? `${Math.round(o.timeoutMs! / 60_000)} min` : `${Math.round(o.timeoutMs! / 1000)} s`}`,
            ),
          o.timeoutMs,
        )
      : null;

    /** Reports how the run ended: released, completed or nothing (the task was taken away). */
    const report = async (result: ExecResult): Promise<void> => {
      await flush();
      await flushing;
      if (lost) {
        settled++; // cancelled or claimed again: nothing of ours to report
        lastFailed = true;
        return;
      }

      const release = async (reason: string) => {
        try {
          await post(`/tasks/${id}/release`, { reason }, lease);
          o.report({ event: "released", task: task.id, reason });
        } catch (error) {
          if (!onLost(error))
            o.report({ event: "error", detail: `release: ${(error as Error).message} (the lease will lapse instead)` });
        }
      };
      if (stopReason === STOPPED) return release(o.stopReleaseReason ?? "fed run stopped");
      if (result.unavailable && !stopReason) {
        wentAway = result.unavailable;
        return release(result.unavailable);
      }
      const output = stripAnsi(tail.text());
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      // Only the end of the output speaks for the exit: a test log that mentions "429" earlier on is not a rate limit.
      const last = output.trimEnd().split("\n").slice(-15).join("\n");
      const limited =
        !stopReason &&
        result.code !== 0 &&
        !result.failure &&
        (rateLimits.get(task.id) ?? 0) < MAX_RATE_LIMIT_RELEASES &&
        (o.rateLimitExitCodes?.includes(result.code ?? -1) || isRateLimited(last, patterns));
      if (limited) {
        rateLimits.set(task.id, (rateLimits.get(task.id) ?? 0) + 1);
        const fallback = new Date(Date.now() + (o.rateLimitBackoffMs ?? DEFAULT_BACKOFF_MS));
        const said = rateLimitUntil(last);
        // A time already past, or more than a day away, is a misreading: the default pause instead.
        const until =
          said && said.getTime() > Date.now() && said.getTime() - Date.now() <= 86_400_000 ? said : fallback;
        pausedUntil = Math.max(pausedUntil, until.getTime());
        o.report({ event: "rate_limited", task: task.id, until: until.toISOString() });
        await o.api
          .patch(`/agents/${encodeURIComponent(o.agent)}`, { status: "rate_limited", until: until.toISOString() })
          .catch((e) =>
            o.report({ event: "error", detail: `marking ${o.agent} rate limited: ${(e as Error).message}` }),
          );
        return release(`rate limited until ${until.toISOString()}`);
      }
      const facts = branch ? await gitFacts(dir, branch) : null;
      const success = !stopReason && !result.startError && !result.failure && result.code === 0;
      const summary = result.startError
        ? `Could not start ${executor!.describe[0]}: ${result.startError.message}`
        : result.failure
          ? result.failure
          : stopReason
            ? `Stopped: ${stopReason}.\n${summaryOf(output)}`
            : success
              ? (result.summary ?? summaryOf(output))
              : `Exit code ${result.code}.\n${summaryOf(output)}`;
      settled++;
      lastFailed = !success;
      const body = {
        success,
        ...(success ? {} : { retry: true }),
        summary: fitJson(storable(summary.slice(0, 10_000)), 16_000, "start"),
        durationMinutes: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
        output: result.output ?? {
          exitCode: result.code,
          ...(facts ? { git: facts } : {}),
          tail: fitJson(storable(output.slice(-16_000)), 24_000, "end"),
        },
      };
      // The work is done: its report must arrive. A server that is away is asked again (the same call repeated answers
      // the same; the heartbeats go on meanwhile) for about ten minutes; a refusal (4xx) is final.
      for (let tries = 0, pause = 1_000; ; tries++, pause = Math.min(pause * 2, 60_000)) {
        try {
          await post(`/tasks/${id}/complete`, body, lease);
          break;
        } catch (error) {
          if (onLost(error)) return;
          const status = (error as CliError).status ?? 0;
          o.report({ event: "error", detail: `complete: ${(error as Error).message}` });
          if ((status >= 400 && status < 500) || tries >= 12) {
            lastFailed = true;
            return;
          }
          await sleep(pause);
        }
      }
      o.report({
        event: "completed",
        task: task.id,
        success,
        exitCode: result.code,
        commits: facts?.commits.length ?? 0,
        seconds,
      });
    };

    const result = await run.done;
    ended = true;
    clearInterval(flusher);
    if (timeout) clearTimeout(timeout);
    // The lease is kept (the heartbeats go on) until the run is reported, however long the report takes.
    try {
      await report(result);
    } finally {
      clearInterval(beat);
    }
  }

  /** Answers the votes awaiting the agent (each once per run): a ballot from the agent's JSON, or none and why. */
  async function answerVotes(): Promise<void> {
    const briefing = await o.api.get<{ votesAwaitingBallot: { id: string; question: string; options: string[] }[] }>(
      `/agents/${encodeURIComponent(o.agent)}/briefing`,
    );
    for (const vote of briefing.votesAwaitingBallot) {
      if (triedVotes.has(vote.id) || o.signal.aborted) continue;
      triedVotes.add(vote.id);
      const prompt = votePrompt(vote);
      const env: Record<string, string> = { FED_VOTE_ID: vote.id, FED_AGENT: o.agent };
      if (useWorktrees) {
        const meta = path.join(worktreesDir, `vote-${vote.id}.fed`);
        mkdirSync(meta, { recursive: true });
        env.FED_PROMPT_FILE = path.join(meta, "prompt.md");
        writeFileSync(env.FED_PROMPT_FILE, prompt);
      }
      const tail = new Tail();
      const run = executor!.start(
        {
          task: null,
          prompt,
          cwd: tmpdir(), // never the person's own checkout: a vote changes no files
          env,
          onOutput: (stream, text) => stream === "stdout" && tail.push(text),
        },
        graceMs,
      );
      const timer = setTimeout(() => run.kill(), o.timeoutMs ?? 10 * 60_000);
      const result = await run.done;
      clearTimeout(timer);
      const ballot = readBallot(stripAnsi(result.summary ?? tail.text()), vote.options);
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

  /** The backend is away: mark the agent offline (once), say so, and wait before looking again. */
  async function away(error: string): Promise<void> {
    const marked = markedOffline ? false : await setStatus("offline");
    if (marked) markedOffline = true;
    o.report({ event: "unavailable", error, retryInMs: wait, markedOffline: marked });
    await sleep(wait, o.signal);
    wait = Math.min(wait * 2, backoff.maxMs);
  }

  const onStop = () => {
    if (o.drain) return;
    for (const h of held.values()) h.kill(STOPPED);
  };
  o.signal.addEventListener("abort", onStop, { once: true });
  try {
    while (!o.signal.aborted) {
      if (wentAway) {
        const why = wentAway;
        wentAway = null;
        if (await setStatus("offline")) markedOffline = true;
        o.report({ event: "unavailable", error: why, retryInMs: wait, markedOffline });
        await sleep(wait, o.signal);
        wait = Math.min(wait * 2, backoff.maxMs);
        continue;
      }
      if (executor.probe) {
        try {
          await executor.probe(AbortSignal.any([o.signal, AbortSignal.timeout(5_000)]));
        } catch (error) {
          if (o.signal.aborted) break;
          await away(reasonOf(error));
          continue;
        }
        wait = backoff.firstMs;
        if (markedOffline) {
          const marked = await setStatus("active");
          if (marked) markedOffline = false;
          o.report({ event: "available", markedActive: marked });
        }
      }
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
      if (Date.now() < claimAfter) await sleep(claimAfter - Date.now(), o.signal);
      if (o.signal.aborted) break;
      if (o.once && settled > 0) break;
      const waitSeconds = o.claimWaitSeconds ?? 20;
      let task: ClaimedTaskDto | null = null;
      try {
        const res = await o.api.request<ClaimedTaskDto>("/tasks/claim", {
          body: {
            ...(o.types?.length ? { types: o.types } : {}),
            leaseSeconds,
            ...(waitSeconds ? { waitSeconds } : {}),
          },
          signal: o.signal,
        });
        task = res.status === 200 ? res.body : null;
      } catch (error) {
        if (o.signal.aborted) break;
        if (error instanceof CliError && error.exitCode === EXIT.auth) throw error;
        o.report({ event: "error", detail: `claim: ${(error as Error).message}` });
        await sleep(idleMs, o.signal);
        continue;
      }
      if (!task) {
        if (o.once) break; // one look (and the votes then awaiting): nothing to do
        if (!waitSeconds) await sleep(idleMs, o.signal);
        continue;
      }
      const claimed = task;
      const h: Held = { task: claimed, kill: () => {}, done: Promise.resolve() };
      h.done = work(claimed, h)
        .catch(async (error) => {
          o.report({ event: "error", detail: `${claimed.id}: ${(error as Error).message}` });
          settled++;
          lastFailed = true;
          // Not straight back to claiming the same task: whatever refused it (git…) gets a moment.
          pauseClaimsUntil(Date.now() + idleMs);
          // Could not run it (a worktree git refused…): give it back rather than hold it until the lease ends.
          return post(
            `/tasks/${encodeURIComponent(claimed.id)}/release`,
            { reason: (error as Error).message },
            claimed.leaseToken,
          )
            .then(() => undefined)
            .catch(() => undefined);
        })
        .finally(() => held.delete(claimed.id));
      held.set(claimed.id, h);
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

/** A task "rate limited" this often in one run is failing, whatever its output says: its attempts count again. */
const MAX_RATE_LIMIT_RELEASES = 5;

/** The stop reason of a task the runner gives back because it is stopping. */
const STOPPED = "stopped by the runner";
