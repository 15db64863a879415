// fed login|logout|whoami: where the CLI's server and token come from when FED_URL/FED_TOKEN are not set.
import type { Command } from "commander";
import { ApiClient, CliError, EXIT } from "../client";
import { forgetConfig, loadConfig, saveConfig } from "../config";
import { ctxOf } from "../context";
import { emit, facts } from "../format";

interface Me {
  kind: string;
  role: string;
  label: string;
  agent?: string;
}

export function sessionCommands(program: Command): void {
  program
    .command("login")
    .description("check a token against the server and keep both in your config directory (mode 0600)")
    .addHelpText("after", "\nExample: fed login --url http://localhost:3000 --token fed_…")
    .action(async (_opts, cmd) => {
      const ctx = ctxOf(cmd);
      const { url: givenUrl, token } = cmd.optsWithGlobals() as { url?: string; token?: string };
      if (!token)
        throw new CliError("fed login needs --token (an agent's token from its page, or an admin token).", EXIT.usage);
      const url = loadConfig({ url: givenUrl }).url;
      const me = await new ApiClient(url, token).get<Me>("/me");
      const file = saveConfig({ url, token });
      emit(ctx.out, { url, ...me, savedTo: file }, () =>
        ctx.out.print(`Signed in to ${url} as ${me.label}. Saved in ${file}.`),
      );
    });

  program
    .command("logout")
    .description("forget the saved server and token")
    .action((_opts, cmd) => {
      forgetConfig();
      const ctx = ctxOf(cmd);
      emit(ctx.out, { loggedOut: true }, () => ctx.out.print("Forgotten."));
    });

  program
    .command("whoami")
    .description("who the token belongs to")
    .action(async (_opts, cmd) => {
      const ctx = ctxOf(cmd);
      const me = await ctx.api.get<Me>("/me");
      emit(ctx.out, { url: ctx.api.url, ...me }, () =>
        facts(ctx.out, [
          ["server", ctx.api.url],
          ["you are", me.label],
          ["role", me.role],
        ]),
      );
    });
}
