// What runs an agent for `fed run`: a command (a coding CLI), argv only, in its own process group, the prompt on
// stdin; its whole group is killed when the run is stopped.
import { spawn, type ChildProcess } from "node:child_process";
import type { TaskDto } from "@/lib/queue/schema";

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

/** One run of the agent: a task's prompt (or a vote's), where, and where its output goes. */
export interface ExecJob {
  /** The task, or null for a vote. */
  task: TaskDto | null;
  prompt: string;
  cwd: string;
  env: Record<string, string>;
  onOutput: (stream: "stdout" | "stderr", text: string) => void;
}

/** How a run ended. */
export interface ExecResult {
  /** The exit code: 0 is success. null when it was killed or never started. */
  code: number | null;
  /** It could not start at all (no such command…). */
  startError?: Error;
  /** The backend went away (Ollama unreachable): the task goes back and the agent is marked offline. */
  unavailable?: string;
  /** Why it failed, when the executor can say better than an exit code (Ollama refusing a request). */
  failure?: string;
  /** The summary, when the executor has one of its own (a model's answer). */
  summary?: string;
  /** What to report as the outcome's output instead of the command's tail and git facts. */
  output?: Record<string, unknown>;
}

export interface Execution {
  done: Promise<ExecResult>;
  /** Stops it: SIGTERM and SIGKILL after the grace period for a command; an aborted request for a model. */
  kill: () => void;
}

/** What runs the agent: a command (a coding CLI) or an adapter (a local model). */
export interface Executor {
  /** For the log: what runs. */
  describe: string[];
  /** Whether each task gets a git worktree of --repo. */
  needsRepo: boolean;
  /** Is the backend there? Throws why not. Checked before each claim. */
  probe?: (signal: AbortSignal) => Promise<void>;
  start(job: ExecJob, graceMs: number): Execution;
}

/** A command, argv only, in its own process group; the prompt on stdin. */
export function processExecutor(command: string[]): Executor {
  return {
    describe: command,
    needsRepo: true,
    start(job, graceMs) {
      const child = spawn(command[0]!, command.slice(1), {
        cwd: job.cwd,
        env: childEnv(job.env),
        stdio: ["pipe", "pipe", "pipe"],
        detached: true, // its own process group: a kill reaches whatever it started
        shell: false,
      });
      child.stdin.on("error", () => {});
      child.stdin.end(job.prompt);
      // Decoded as a stream: a character split across two reads arrives whole.
      child.stdout.setEncoding("utf8");
      child.stderr.setEncoding("utf8");
      child.stdout.on("data", (c: string) => job.onOutput("stdout", c));
      child.stderr.on("data", (c: string) => job.onOutput("stderr", c));
      let startError: Error | undefined;
      child.once("error", (e) => (startError = e));
      const done = new Promise<ExecResult>((resolve) => {
        let settled = false;
        const finish = (code: number | null) => {
          if (settled) return;
          settled = true;
          resolve({ code: startError ? null : code, startError });
        };
        child.once("close", (code) => finish(code));
        child.once("exit", (code) => {
          // What it left running in its group goes too (SIGTERM, then SIGKILL), and a background child that still
          // holds its output does not keep the task open: the output is read for a moment more, then the end.
          killGroup(child, graceMs);
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
            finish(code);
          }, 1_000).unref();
        });
      });
      return { done, kill: () => killGroup(child, graceMs) };
    },
  };
}
