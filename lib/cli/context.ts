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

/** The agent the token belongs to (for `fed start`, `fed queue claim`…), from GET /me. */
export async function myAgent(ctx: Ctx, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const me = await ctx.api.get<{ kind: string; agent?: string; label: string }>("/me");
  if (me.agent) return me.agent;
  const { CliError, EXIT } = await import("./client");
  throw new CliError(`These credentials are ${me.label}, not an agent: pass --agent NAME.`, EXIT.usage);
}
