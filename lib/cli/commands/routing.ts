// fed route "TEXT" [--type] [--explain] [--compare]; fed route train --task … --agent … --success …
import type { Command } from "commander";
import { routeInput, trainInput, type RouteResult } from "@/lib/routing/schema";
import { CliError, EXIT } from "../client";
import { ctxOf } from "../context";
import { emit, facts, parseBool, table, validate } from "../format";

export function routeCommands(program: Command): void {
  program
    .command("route")
    .description(
      'which agent should do it: fed route "Research distributed databases" --explain; or train: fed route train --task … --agent … --success true',
    )
    .argument("<text...>", "the task, or `train`")
    .option("--type <type>", "the task type, if known")
    .option("--explain", "show the score breakdown")
    .option("--compare", "v1 (rules) against v2 (hybrid)")
    .option("--v1", "the rules router alone")
    .option("--task <text>", "train: the task's text")
    .option("--agent <agent>", "train: who did it")
    .option("--success <bool>", "train: whether it went well")
    .action(async (words: string[], opts, cmd) => {
      const ctx = ctxOf(cmd);
      if (words.length === 1 && words[0] === "train") {
        if (!opts.task || !opts.agent || opts.success === undefined)
          throw new CliError("fed route train needs --task, --agent and --success.", EXIT.usage);
        const body = validate(trainInput, {
          task: opts.task,
          agent: opts.agent,
          success: parseBool(opts.success, "--success"),
          ...(opts.type ? { type: opts.type } : {}),
        });
        const { body: model } = await ctx.api.post<{ samples: number }>("/route/train", body);
        emit(ctx.out, model, () => ctx.out.print(`Learnt. The model has ${model.samples} samples.`));
        return;
      }
      const body = validate(routeInput, {
        task: words.join(" "),
        ...(opts.type ? { type: opts.type } : {}),
        ...(opts.explain ? { explain: true } : {}),
        ...(opts.compare ? { compare: true } : {}),
        ...(opts.v1 ? { version: "v1" } : {}),
      });
      const { body: r } = await ctx.api.post<RouteResult>("/route", body);
      emit(ctx.out, r, () => {
        ctx.out.print("Routing decision");
        facts(ctx.out, [
          ["Agent", r.agent ?? "a person decides (no confident match)"],
          ["Confidence", r.confidence.toFixed(2)],
          ["Method", r.method],
          ...(r.fallbackApplied
            ? ([["Fallback", `${r.fallbackApplied.from} → ${r.fallbackApplied.to} (${r.fallbackApplied.reason})`]] as [
                string,
                unknown,
              ][])
            : []),
        ]);
        if (r.breakdown) {
          ctx.out.print("\nScore breakdown");
          facts(ctx.out, [
            ["Rule component", r.breakdown.ruleScore.toFixed(2)],
            ["ML component", r.breakdown.mlScore.toFixed(2)],
            ["ML confidence", `${r.breakdown.mlConfidence.toFixed(2)} (samples: ${r.breakdown.samples})`],
          ]);
          ctx.out.print("");
          table(
            ctx.out,
            r.candidates.map((c) => ({
              agent: c.agent,
              rule: c.ruleScore.toFixed(2),
              ml: c.mlScore.toFixed(2),
              final: c.final.toFixed(2),
              status: c.status,
            })),
            ["agent", "rule", "ml", "final", "status"],
          );
        }
        if (r.compare)
          ctx.out.print(
            `\nv1: ${r.compare.v1.agent} (${r.compare.v1.confidence.toFixed(2)})  v2: ${r.compare.v2.agent} (${r.compare.v2.confidence.toFixed(2)})  ${r.compare.agree ? "agree" : "differ"}`,
          );
      });
    });
}
