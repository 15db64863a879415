// fed run --agent NAME --repo PATH [--base REF] [--parallel N] [--types a,b] [--timeout 60m] [--votes] [--once]
//   -- COMMAND [ARGS…]: the agent works by itself — each task claimed, run in its own git worktree, reported.
import type { Command } from "commander";
import { CliError, EXIT } from "../client";
import { ctxOf, requireAgentToken, untilInterrupted } from "../context";
import { list } from "../format";
import { ollamaExecutor } from "../bridge";
import { runRunner, type RunnerEvent } from "../runner";
import { cleanWorktrees } from "../worktrees";

/** "90s", "45m", "2h", or minutes as a bare number → milliseconds. */
export function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(text.trim());
  if (!m) throw new CliError(`"${text}" is not a duration: use e.g. 90s, 45m or 2h.`, EXIT.usage);
  const unit = (m[2] ?? "m").toLowerCase();
  return Number(m[1]) * (unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000);
}

const human = (e: RunnerEvent): string | null => {
  switch (e.event) {
    case "started":
      return `fed run: ${e.agent} works${e.repo ? ` in ${e.repo}` : ""} with \`${e.command.join(" ")}\`. Ctrl-C gives the tasks in hand back (--drain finishes them).`;
    case "claimed":
      return `Working on ${e.task}: ${e.title}\n  ${e.branch ? `worktree ${e.worktree} (branch ${e.branch})` : `in ${e.worktree}`}`;
    case "heartbeat":
      return null;
    case "lost":
      return `Stopped work on ${e.task}: ${e.detail}`;
    case "unavailable":
      return `The agent's backend is unreachable (${e.error})${e.markedOffline ? "; agent marked offline" : ""}. Trying again in ${Math.round(e.retryInMs / 1000)} s.`;
    case "available":
      return `The agent's backend is back${e.markedActive ? "; agent marked active" : ""}.`;
    case "output":
      return null;
    case "completed":
      return `${e.success ? "Completed" : "Failed"} ${e.task} in ${e.seconds} s (exit ${e.exitCode}, ${e.commits} commit${e.commits === 1 ? "" : "s"}).`;
    case "killed":
      return `Stopped the command of ${e.task}: ${e.reason}`;
    case "rate_limited":
      return `Rate limited on ${e.task}: the agent pauses until ${e.until}; the task goes back to the queue for the fallback.`;
    case "resumed":
      return `The rate limit ended (${e.after}): claiming again.`;
    case "released":
      return `Gave ${e.task} back: ${e.reason}`;
    case "ballot":
      return `Voted on ${e.vote}: ${e.option} (confidence ${e.confidence}).`;
    case "no_ballot":
      return `No ballot on ${e.vote}: ${e.reason}`;
    case "error":
      return `Error: ${e.detail}`;
    case "stopped":
      return "fed run stopped.";
  }
};

export function runCommands(program: Command): void {
  program
    .command("run")
    .description("work an agent's tasks by itself: each in its own git worktree, with the agent's command")
    .requiredOption("--agent <name>", "the agent it works as (its token: FED_TOKEN or --token)")
    .option("--repo <path>", "the git repository each task gets a worktree of (not with --ollama)")
    .option("--base <ref>", "what task branches start from (default: the repo's HEAD)")
    .option("--worktrees <path>", "where the worktrees go (default: <repo>.fed-worktrees beside the repo)")
    .option("--parallel <n>", "tasks at once", "1")
    .option("--types <types>", "only these task types (comma-separated)")
    .option("--timeout <duration>", "fail an attempt that runs longer (e.g. 60m, 2h)")
    .option("--votes", "also answer the votes awaiting the agent with the command")
    .option("--once", "one task (and the votes awaiting), then stop; exit 3 when there was none")
    .option("--drain", "on Ctrl-C, finish the tasks in hand instead of giving them back")
    .option("--lease <seconds>", "lease per claim, renewed while the command runs", "300")
    .option("--rate-limit-pattern <regex...>", "output that means a rate limit (replaces the defaults)")
    .option("--rate-limit-exit-code <code...>", "exit codes that mean a rate limit")
    .option("--rate-limit-backoff <duration>", "the pause when a rate limit does not say when it ends", "15m")
    .option("--wait <seconds>", "how long one claim waits for work", "20")
    .option("--clean", "remove the worktrees of tasks that have ended (their branches stay), then stop")
    .option("--ollama <model>", "the agent is a local Ollama model (no command, no repo): each task is one chat")
    .option("--ollama-url <url>", "where Ollama listens", process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434")
    .argument("[command...]", "the agent's command and its arguments, after `--`")
    .action(async (command: string[], opts, cmd) => {
      const ctx = ctxOf(cmd);
      for (const [flag, value, min] of [
        ["--parallel", opts.parallel, 1],
        ["--lease", opts.lease, 10],
        ["--wait", opts.wait, 0],
      ] as const) {
        const n = Number(value);
        if (!Number.isInteger(n) || n < min)
          throw new CliError(`${flag} takes a whole number of at least ${min}, not "${value}".`, EXIT.usage);
      }
      if (opts.clean) {
        if (!opts.repo) throw new CliError("--clean needs the repository: --repo PATH.", EXIT.usage);
        const removed = await cleanWorktrees({
          api: ctx.api,
          repo: opts.repo,
          worktrees: opts.worktrees,
          report: (line) => process.stderr.write(`${line}\n`),
        });
        if (ctx.out.json) ctx.out.print(JSON.stringify({ removed }));
        else process.stderr.write(`${removed.length} worktree${removed.length === 1 ? "" : "s"} removed.\n`);
        return;
      }
      await requireAgentToken(ctx, opts.agent, "fed run");
      const stopping = `Stopping: ${opts.drain ? "finishing" : "giving back"} the tasks in hand`;
      process.exitCode = await untilInterrupted(stopping, (signal) =>
        runRunner({
          api: ctx.api,
          agent: opts.agent,
          repo: opts.repo,
          base: opts.base,
          worktrees: opts.worktrees,
          command,
          executor: opts.ollama
            ? ollamaExecutor({
                agent: opts.agent,
                model: opts.ollama,
                ollamaUrl: String(opts.ollamaUrl).replace(/\/+$/, ""),
              })
            : undefined,
          parallel: Number(opts.parallel),
          types: list(opts.types),
          timeoutMs: opts.timeout ? duration(opts.timeout) : undefined,
          votes: Boolean(opts.votes),
          once: Boolean(opts.once),
          drain: Boolean(opts.drain),
          leaseSeconds: Number(opts.lease),
          rateLimitPatterns: (opts.rateLimitPattern as string[] | undefined)?.map((p) => new RegExp(p, "i")),
          rateLimitExitCodes: (opts.rateLimitExitCode as string[] | undefined)?.map(Number),
          rateLimitBackoffMs: duration(opts.rateLimitBackoff),
          claimWaitSeconds: Number(opts.wait),
          signal,
          report: (e) => {
            if (ctx.out.json) return ctx.out.print(JSON.stringify(e));
            if (e.event === "output") return void process.stdout.write(e.text);
            const line = human(e);
            if (line) process.stderr.write(`${line}\n`);
          },
        }),
      );
    });
}
