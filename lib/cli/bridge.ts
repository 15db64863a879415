// The Ollama bridge: a local model working the queue as an agent. It claims the agent's tasks, asks Ollama's
// chat API, heartbeats while the model works, completes with the answer as summary, and gives its task back
// when stopped. While Ollama is unreachable it backs off and marks the agent offline (its work flows to the
// fallback meanwhile), and marks it active again when Ollama answers.
import { Ollama } from "ollama";
import type { ClaimedTaskDto, TaskDto } from "@/lib/queue/schema";
import { CliError, EXIT, type ApiClient } from "./client";

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

/** Sleeps `ms`, or less if the signal fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** An answer from Ollama that is an error of the request (bad model…), not of reaching it. */
const isOllamaResponseError = (error: unknown): error is Error & { status_code: number } =>
  typeof (error as { status_code?: unknown })?.status_code === "number";

const reason = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
};

export function taskPrompt(agent: string, task: Pick<TaskDto, "title" | "description" | "type">) {
  return [
    {
      role: "system",
      content: `You are ${agent}, one agent of a federation of AI coding agents. Do the ${task.type} task you are given and answer with the result itself, ready to hand on.`,
    },
    { role: "user", content: task.description ? `${task.title}\n\n${task.description}` : task.title },
  ];
}

export async function runBridge(o: BridgeOptions): Promise<void> {
  const leaseSeconds = o.leaseSeconds ?? 300;
  const heartbeatMs = o.heartbeatMs ?? Math.max(5_000, (leaseSeconds * 1000) / 3);
  const idleMs = o.idleMs ?? 5_000;
  const backoff = o.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
  let wait = backoff.firstMs;
  let markedOffline = false;

  // Each request to Ollama carries its own signal (probe timeout, or the task's abort).
  const ollamaFor = (signal: AbortSignal) =>
    new Ollama({
      host: o.ollamaUrl,
      fetch: (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });

  const setStatus = async (status: "offline" | "active") => {
    try {
      await o.api.patch(`/agents/${encodeURIComponent(o.agent)}`, { status });
      return true;
    } catch (error) {
      o.report({ event: "error", detail: `Could not mark ${o.agent} ${status}: ${(error as Error).message}` });
      return false;
    }
  };

  // The agent as it stands: an `offline` left by an earlier bridge is ours to lift; other statuses are not.
  const agent = await o.api.get<{ status: string }>(`/agents/${encodeURIComponent(o.agent)}`);
  markedOffline = agent.status === "offline";
  o.report({ event: "started", agent: o.agent, model: o.model, ollamaUrl: o.ollamaUrl });

  while (!o.signal.aborted) {
    // 1. Is Ollama there?
    try {
      await ollamaFor(AbortSignal.any([o.signal, AbortSignal.timeout(5_000)])).list();
    } catch (error) {
      if (o.signal.aborted) break;
      const marked = markedOffline ? false : await setStatus("offline");
      if (marked) markedOffline = true;
      o.report({ event: "ollama_down", error: reason(error), retryInMs: wait, markedOffline: marked });
      await sleep(wait, o.signal);
      wait = Math.min(wait * 2, backoff.maxMs);
      continue;
    }
    wait = backoff.firstMs;
    if (markedOffline) {
      const marked = await setStatus("active");
      if (marked) markedOffline = false;
      o.report({ event: "ollama_up", markedActive: marked });
    }

    // 2. Anything to do?
    // A long poll: the server answers as soon as a task becomes claimable, so an idle bridge does not poll.
    const waitSeconds = Math.min(30, Math.floor(idleMs / 1000));
    let claimed: ClaimedTaskDto | null;
    try {
      const res = await o.api.request<ClaimedTaskDto>("/tasks/claim", {
        body: { leaseSeconds, ...(o.types ? { types: o.types } : {}), ...(waitSeconds ? { waitSeconds } : {}) },
        signal: o.signal,
      });
      claimed = res.status === 204 ? null : res.body;
    } catch (error) {
      if (o.signal?.aborted) break;
      if (error instanceof CliError && error.exitCode === EXIT.auth) throw error;
      o.report({ event: "error", detail: (error as Error).message });
      await sleep(idleMs, o.signal);
      continue;
    }
    if (!claimed) {
      if (!waitSeconds) await sleep(idleMs, o.signal);
      continue;
    }

    // 3. Work it.
    const outcome = await work(o, claimed, ollamaFor, leaseSeconds, heartbeatMs);
    if (outcome === "ollama_down") {
      if (await setStatus("offline")) markedOffline = true;
      o.report({ event: "ollama_down", error: "Ollama stopped answering mid-task", retryInMs: wait, markedOffline });
      await sleep(wait, o.signal);
      wait = Math.min(wait * 2, backoff.maxMs);
    }
  }
  o.report({ event: "stopped" });
}

type WorkOutcome = "done" | "ollama_down" | "stopped" | "lost";

async function work(
  o: BridgeOptions,
  task: ClaimedTaskDto,
  ollamaFor: (signal: AbortSignal) => Ollama,
  leaseSeconds: number,
  heartbeatMs: number,
): Promise<WorkOutcome> {
  const path = `/tasks/${encodeURIComponent(task.id)}`;
  const lease = task.leaseToken;
  const started = Date.now();
  const stop = new AbortController();
  let lost: string | null = null;
  const onStop = () => stop.abort();
  o.signal.addEventListener("abort", onStop, { once: true });
  o.report({ event: "claimed", task: task.id, title: task.title });

  const beat = setInterval(async () => {
    try {
      const { body } = await o.api.post<{ leaseExpiresAt: string }>(`${path}/heartbeat`, { leaseSeconds }, lease);
      o.report({ event: "heartbeat", task: task.id, leaseExpiresAt: body.leaseExpiresAt });
    } catch (error) {
      // 409/403: the claim is no longer ours (reaped, reassigned, cancelled): stop working on it.
      if (error instanceof CliError && (error.status === 409 || error.status === 403 || error.status === 404)) {
        lost = error.message;
        stop.abort();
      } else o.report({ event: "error", detail: `heartbeat: ${(error as Error).message}` });
    }
  }, heartbeatMs);

  const release = async (why: string) => {
    try {
      await o.api.post(`${path}/release`, { reason: why }, lease);
      o.report({ event: "released", task: task.id, reason: why });
    } catch (error) {
      o.report({ event: "error", detail: `release: ${(error as Error).message} (the lease will lapse instead)` });
    }
  };

  try {
    let answer: string;
    let meta: Record<string, unknown> = {};
    try {
      const res = await ollamaFor(stop.signal).chat({
        model: o.model,
        messages: taskPrompt(o.agent, task),
        stream: false,
      });
      answer = res.message.content;
      meta = {
        model: res.model,
        evalCount: res.eval_count,
        totalDurationMs: Math.round((res.total_duration ?? 0) / 1e6),
      };
    } catch (error) {
      if (lost) {
        o.report({ event: "lost_lease", task: task.id, detail: lost });
        return "lost";
      }
      if (o.signal.aborted) {
        await release("The Ollama bridge was stopped.");
        return "stopped";
      }
      if (isOllamaResponseError(error)) {
        // Ollama answered, with an error of the request (unknown model, bad prompt): a failed attempt.
        await complete(o, path, lease, task.id, started, {
          success: false,
          retry: true,
          summary: `Ollama refused: ${error.message}`,
        });
        return "done";
      }
      await release(`Ollama became unreachable (${reason(error)}).`);
      return "ollama_down";
    }
    await complete(o, path, lease, task.id, started, {
      success: true,
      summary: answer.length > SUMMARY_MAX ? `${answer.slice(0, SUMMARY_MAX - 1)}…` : answer,
      output: { ...meta, answerChars: answer.length },
    });
    return "done";
  } finally {
    clearInterval(beat);
    o.signal.removeEventListener("abort", onStop);
  }
}

async function complete(
  o: BridgeOptions,
  path: string,
  lease: string,
  id: string,
  started: number,
  body: { success: boolean; retry?: boolean; summary: string; output?: unknown },
): Promise<void> {
  const seconds = (Date.now() - started) / 1000;
  try {
    await o.api.post(`${path}/complete`, { ...body, durationMinutes: Math.round((seconds / 60) * 100) / 100 }, lease);
    o.report({ event: "completed", task: id, success: body.success, seconds: Math.round(seconds * 10) / 10 });
  } catch (error) {
    o.report({ event: "error", detail: `complete: ${(error as Error).message}` });
  }
}
