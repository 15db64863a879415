// What every command receives: the API client and where to print.
import type { Command } from "commander";
import { ApiClient } from "./client";
import { loadConfig } from "./config";
import { console_, type Output } from "./format";

export interface Ctx {
  api: ApiClient;
  out: Output;
}

/** Builds the context from the root command's global flags (--url, --token, --json). */
export function ctxOf(command: Command): Ctx {
  const root = command.optsWithGlobals() as { url?: string; token?: string; json?: boolean };
  const config = loadConfig({ url: root.url, token: root.token });
  return { api: new ApiClient(config.url, config.token), out: console_(Boolean(root.json)) };
}

/** Refuses to go on unless the credentials are `agent`'s own token: only the holder completes a task. */
export async function requireAgentToken(ctx: Ctx, agent: string, what: string): Promise<void> {
  const me = await ctx.api.get<{ kind: string; agent?: string }>("/me");
  const { CliError, EXIT } = await import("./client");
  if (me.kind !== "agent")
    throw new CliError(
      `${what} works as ${agent}: run it with ${agent}'s token (issue one on the agent's page).`,
      EXIT.auth,
    );
  if (me.agent !== agent) throw new CliError(`This token is ${me.agent}'s; it cannot work as ${agent}.`, EXIT.auth);
}

/**
 * Runs `work` with a signal that the first Ctrl-C (or SIGTERM) aborts, saying `stopping` on stderr; a second one quits
 * at once.
 */
export async function untilInterrupted<T>(stopping: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(`\n${stopping} (Ctrl-C again to quit at once)…\n`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(stop.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The agent the token belongs to (for `fed start`, `fed queue claim`…), from GET /me. */
export async function myAgent(ctx: Ctx, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const me = await ctx.api.get<{ kind: string; agent?: string; label: string }>("/me");
  if (me.agent) return me.agent;
  const { CliError, EXIT } = await import("./client");
  throw new CliError(`These credentials are ${me.label}, not an agent: pass --agent NAME.`, EXIT.usage);
}
