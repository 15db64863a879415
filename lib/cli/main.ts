// The `fed` program: global flags, the seed's commands, and one place that turns every error into a message
// and an exit code (0 ok, 1 failure, 2 usage, 3 nothing to claim, 4 auth).
import { Command, CommanderError } from "commander";
import { CliError, EXIT } from "./client";
import { analyticsCommands } from "./commands/analytics";
import { bridgeCommands } from "./commands/bridge";
import { escalationCommands } from "./commands/escalations";
import { queueCommands } from "./commands/queue";
import { routeCommands } from "./commands/routing";
import { runCommands } from "./commands/run";
import { CLI_VERSION } from "./version";
import { sessionCommands } from "./commands/session";
import { voteCommands } from "./commands/votes";

export function program(): Command {
  const fed = new Command("fed")
    .description("Federation from the terminal: the queue, votes, analytics, routing and escalations.")
    .option("--url <url>", "the server (default FED_URL, then `fed login`, then http://localhost:3000)")
    .option("--token <token>", "an agent or admin token (default FED_TOKEN, then `fed login`)")
    .option("--json", "print JSON for machines")
    .version(CLI_VERSION, "-V, --version", "print fed's version")
    .showHelpAfterError("(fed --help lists the commands)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 failure, 2 usage (a bad flag or field), 3 nothing to claim, 4 auth (no or bad token).",
    )
    .exitOverride();
  for (const add of [
    sessionCommands,
    queueCommands,
    voteCommands,
    analyticsCommands,
    routeCommands,
    escalationCommands,
    bridgeCommands,
    runCommands,
  ])
    add(fed);
  for (const command of allCommands(fed)) command.exitOverride();
  return fed;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Runs `fed` with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await program().parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help); help and --version are not failures.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`fed: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`fed: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}
