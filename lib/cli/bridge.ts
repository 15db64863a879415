// The Ollama bridge: a local model working the queue as an agent — `fed run` with an Ollama adapter, one code path
// with the coding CLIs. It claims the agent's tasks, asks Ollama's chat API, heartbeats while the model works,
// completes with the answer as summary, and gives its task back when stopped. While Ollama is unreachable it backs
// off and marks the agent offline (its work flows to the fallback meanwhile), and marks it active again when Ollama
// answers.
import { Ollama } from "ollama";
import type { TaskDto } from "@/lib/queue/schema";
import type { ApiClient } from "./client";
import type { ExecResult, Executor } from "./executor";
import { reasonOf, runRunner, type RunnerEvent } from "./runner";

export interface BridgeOptions {
  api: ApiClient;
  agent: string;
  model: string;
  ollamaUrl: string;
  /** Stops the bridge: the task in hand is released, then run() returns. */
  signal: AbortSignal;
  /** What happens, for the terminal (people) or as JSON lines (machines). */
  report: (event: BridgeEvent) => void;
  types?: string[];
  leaseSeconds?: number;
  heartbeatMs?: number;
  /** How long to wait before asking again when nothing is claimable. */
  idleMs?: number;
  backoff?: { firstMs: number; maxMs: number };
}

export type BridgeEvent =
  | { event: "started"; agent: string; model: string; ollamaUrl: string }
  | { event: "ollama_down"; error: string; retryInMs: number; markedOffline: boolean }
  | { event: "ollama_up"; markedActive: boolean }
  | { event: "claimed"; task: string; title: string }
  | { event: "heartbeat"; task: string; leaseExpiresAt: string }
  | { event: "completed"; task: string; success: boolean; seconds: number }
  | { event: "released"; task: string; reason: string }
  | { event: "lost_lease"; task: string; detail: string }
  | { event: "error"; detail: string }
  | { event: "stopped" };

const SUMMARY_MAX = 10_000;

/** An answer from Ollama that is an error of the request (bad model…), not of reaching it. */
const isOllamaResponseError = (error: unknown): error is Error & { status_code: number } =>
  typeof (error as { status_code?: unknown })?.status_code === "number";

export function taskPrompt(agent: string, task: Pick<TaskDto, "title" | "description" | "type">) {
  return [
    {
      role: "system",
      content: `You are ${agent}, one agent of a federation of AI coding agents. Do the ${task.type} task you are given and answer with the result itself, ready to hand on.`,
    },
    { role: "user", content: task.description ? `${task.title}\n\n${task.description}` : task.title },
  ];
}

/**
 * The Ollama adapter of `fed run`: each task (or vote) is one chat with the model — the task's words as the user's
 * message, the answer as the summary (and the task's log). Ollama answering with an error of the request (an unknown
 * model) is a failed attempt; Ollama not answering at all makes the runner give the task back and mark the agent
 * offline until the probe (the model list) answers again. No worktree: a model that only answers edits no files.
 */
export function ollamaExecutor(o: { agent: string; model: string; ollamaUrl: string }): Executor {
  // Each request to Ollama carries its own signal (probe timeout, or the task's abort).
  const ollamaFor = (signal: AbortSignal) =>
    new Ollama({
      host: o.ollamaUrl,
      fetch: (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });
  return {
    describe: ["ollama", o.model, `(${o.ollamaUrl})`],
    needsRepo: false,
    probe: async (signal) => {
      await ollamaFor(signal).list();
    },
    start(job) {
      const stop = new AbortController();
      const done = (async (): Promise<ExecResult> => {
        const messages = job.task ? taskPrompt(o.agent, job.task) : [{ role: "user", content: job.prompt }];
        try {
          const res = await ollamaFor(stop.signal).chat({ model: o.model, messages, stream: false });
          const answer = res.message.content;
          job.onOutput("stdout", answer);
          return {
            code: 0,
            summary: answer.length > SUMMARY_MAX ? `${answer.slice(0, SUMMARY_MAX - 1)}…` : answer,
            output: {
              model: res.model,
              evalCount: res.eval_count,
              totalDurationMs: Math.round((res.total_duration ?? 0) / 1e6),
              answerChars: answer.length,
            },
          };
        } catch (error) {
          if (stop.signal.aborted) return { code: null };
          // Ollama answered, with an error of the request (unknown model, bad prompt): a failed attempt.
          if (isOllamaResponseError(error)) return { code: 1, failure: `Ollama refused: ${error.message}` };
          return { code: null, unavailable: `Ollama became unreachable (${reasonOf(error)}).` };
        }
      })();
      return { done, kill: () => stop.abort() };
    },
  };
}

/** The runner's events as the bridge has always told them (its --json lines keep their shape). */
function bridgeEvent(e: RunnerEvent, o: BridgeOptions): BridgeEvent | null {
  switch (e.event) {
    case "started":
      return { event: "started", agent: o.agent, model: o.model, ollamaUrl: o.ollamaUrl };
    case "claimed":
      return { event: "claimed", task: e.task, title: e.title };
    case "heartbeat":
      return e;
    case "completed":
      return { event: "completed", task: e.task, success: e.success, seconds: e.seconds };
    case "released":
      return e;
    case "lost":
      return { event: "lost_lease", task: e.task, detail: e.detail };
    case "unavailable":
      return { event: "ollama_down", error: e.error, retryInMs: e.retryInMs, markedOffline: e.markedOffline };
    case "available":
      return { event: "ollama_up", markedActive: e.markedActive };
    case "error":
      return e;
    case "stopped":
      return e;
    default:
      return null;
  }
}

/**
 * `fed ollama-bridge`: `fed run` with the Ollama adapter (one code path) — it claims the agent's tasks with a long
 * poll, heartbeats while the model works, completes with the answer, gives its task back when stopped, and while
 * Ollama is unreachable backs off and keeps the agent offline (its work flows to the fallback meanwhile).
 */
export async function runBridge(o: BridgeOptions): Promise<void> {
  const leaseSeconds = o.leaseSeconds ?? 300;
  const idleMs = o.idleMs ?? 5_000;
  await runRunner({
    api: o.api,
    agent: o.agent,
    executor: ollamaExecutor(o),
    types: o.types,
    leaseSeconds,
    heartbeatMs: o.heartbeatMs ?? Math.max(5_000, (leaseSeconds * 1000) / 3),
    // A long poll: the server answers as soon as a task becomes claimable, so an idle bridge does not poll.
    claimWaitSeconds: Math.min(30, Math.floor(idleMs / 1000)),
    idleMs,
    backoff: o.backoff,
    stopReleaseReason: "The Ollama bridge was stopped.",
    signal: o.signal,
    report: (e) => {
      const b = bridgeEvent(e, o);
      if (b) o.report(b);
    },
  });
}
