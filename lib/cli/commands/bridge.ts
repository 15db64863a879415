// fed ollama-bridge --agent ollama --model NAME [--ollama-url URL]: a local model as an agent of the federation.
import type { Command } from "commander";
import { runBridge, type BridgeEvent } from "../bridge";
import { ctxOf, requireAgentToken, untilInterrupted } from "../context";
import { list } from "../format";

const human = (e: BridgeEvent): string => {
  switch (e.event) {
    case "started":
      return `Bridge up: ${e.agent} works on ${e.model} at ${e.ollamaUrl}. Ctrl-C stops it (its task goes back to the queue).`;
    case "ollama_down":
      return `Ollama unreachable (${e.error})${e.markedOffline ? "; agent marked offline" : ""}. Trying again in ${Math.round(e.retryInMs / 1000)} s.`;
    case "ollama_up":
      return `Ollama is back${e.markedActive ? "; agent marked active" : ""}.`;
    case "claimed":
      return `Working on ${e.task}: ${e.title}`;
    case "heartbeat":
      return `  still working on ${e.task} (lease until ${e.leaseExpiresAt.slice(11, 19)})`;
    case "completed":
      return `${e.success ? "Completed" : "Failed"} ${e.task} in ${e.seconds} s.`;
    case "released":
      return `Gave ${e.task} back: ${e.reason}`;
    case "lost_lease":
      return `Stopped work on ${e.task}: ${e.detail}`;
    case "error":
      return `Error: ${e.detail}`;
    case "stopped":
      return "Bridge stopped.";
  }
};

export function bridgeCommands(program: Command): void {
  program
    .command("ollama-bridge")
    .description("work an agent's tasks with a local Ollama model")
    .requiredOption("--agent <name>", "the agent it works as, e.g. ollama")
    .requiredOption("--model <name>", "the Ollama model, e.g. qwen2.5-coder:7b")
    .option("--ollama-url <url>", "where Ollama listens", process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434")
    .option("--types <types>", "only these task types (comma-separated)")
    .option("--lease <seconds>", "lease per claim, renewed while the model works", "300")
    .option("--idle <seconds>", "wait between claims when there is nothing to do", "5")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      // The bridge works as the agent, so it runs on the agent's own token: only the holder completes a task.
      await requireAgentToken(ctx, opts.agent, "The bridge");
      await untilInterrupted("Stopping: giving the task in hand back to the queue", (signal) =>
        runBridge({
          api: ctx.api,
          agent: opts.agent,
          model: opts.model,
          ollamaUrl: String(opts.ollamaUrl).replace(/\/+$/, ""),
          signal,
          types: list(opts.types),
          leaseSeconds: Number(opts.lease),
          idleMs: Number(opts.idle) * 1000,
          report: (e) => (ctx.out.json ? ctx.out.print(JSON.stringify(e)) : process.stderr.write(`${human(e)}\n`)),
        }),
      );
    });
}
