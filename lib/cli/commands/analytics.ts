// fed analytics dashboard|agent|task-type|optimize|record — the seed's fed-analytics.py commands.
import type { Command } from "commander";
import {
  outcomeInput,
  type AgentAnalyticsDto,
  type AgentFigures,
  type DashboardDto,
  type Suggestion,
} from "@/lib/analytics/schema";
import { DEFAULT_WINDOW, windowWords } from "@/lib/analytics/window";
import { ctxOf } from "../context";
import { emit, facts, parseBool, pct, table, validate } from "../format";

const ranked = (items: AgentFigures[]) =>
  items.map((a) => ({
    agent: a.agent,
    tasks: a.tasks,
    rate: pct(a.successRate),
    interval: `${pct(a.interval[0])}–${pct(a.interval[1])}`,
    rating: a.rating.toFixed(2),
  }));

export function analyticsCommands(program: Command): void {
  const analytics = program.command("analytics").description("figures, leaderboards and the optimizer");
  const windowOption = ["--window <window>", "24h, 7d, 30d or all", DEFAULT_WINDOW] as const;

  analytics
    .command("dashboard")
    .option(...windowOption)
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const d = await ctx.api.get<DashboardDto>(`/analytics/dashboard?window=${opts.window}`);
      emit(ctx.out, d, () => {
        ctx.out.print(`FEDERATION ANALYTICS DASHBOARD — ${windowWords(opts.window)}\n`);
        facts(ctx.out, [
          ["Outcomes", d.totalTasks],
          ["Success rate", d.totalTasks ? pct(d.successRate) : "—"],
          ["Active agents", `${d.activeAgents} (${d.agentsWithOutcomes} with outcomes)`],
          ["Task types", d.taskTypes],
        ]);
        ctx.out.print("\nPhase KPIs:");
        const k = d.kpis;
        table(
          ctx.out,
          [
            {
              kpi: "Auto-scheduled share",
              value: pct(k.autoScheduledShare.value),
              target: "≥ 50%",
              status: k.autoScheduledShare.enoughData ? k.autoScheduledShare.status : "not enough data",
            },
            {
              kpi: "Votes settled by agents",
              value: pct(k.voteResolutionRate.value),
              target: "≥ 80%",
              status: k.voteResolutionRate.enoughData ? k.voteResolutionRate.status : "not enough data",
            },
            {
              kpi: "Routing accuracy",
              value:
                pct(k.routingAccuracy.value) +
                (k.routingAccuracy.fallbackSaved ? ` (${k.routingAccuracy.fallbackSaved} saved by a fallback)` : ""),
              target: "> 92%",
              status: k.routingAccuracy.enoughData ? k.routingAccuracy.status : "not enough data",
            },
            {
              kpi: "Handoffs a day",
              value: k.handoffsPerDay.value.toFixed(1),
              target: "< 3",
              status: k.handoffsPerDay.enoughData ? k.handoffsPerDay.status : "not enough data",
            },
          ],
          ["kpi", "value", "target", "status"],
        );
        ctx.out.print("\nTop performers:");
        table(
          ctx.out,
          d.topPerformers.map((p) => ({
            agent: p.agent,
            rate: pct(p.successRate),
            tasks: p.tasks,
            rating: p.rating.toFixed(2),
          })),
          ["agent", "rate", "tasks", "rating"],
        );
      });
    });

  analytics
    .command("agent")
    .argument("<name>")
    .option(...windowOption)
    .action(async (name, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const a = await ctx.api.get<AgentAnalyticsDto>(
        `/analytics/agents/${encodeURIComponent(name)}?window=${opts.window}`,
      );
      emit(ctx.out, a, () => {
        facts(ctx.out, [
          ["Agent", a.agent],
          ["Tasks", a.tasks],
          ["Success rate", pct(a.successRate)],
          ["95% interval", `${pct(a.interval[0])}–${pct(a.interval[1])}`],
          ["Median duration", a.medianDurationMinutes === null ? null : `${a.medianDurationMinutes.toFixed(1)} min`],
          ["Rework rate", pct(a.reworkRate)],
        ]);
        ctx.out.print("\nBy task type:");
        table(
          ctx.out,
          a.byTaskType.map((t) => ({
            type: t.taskType,
            tasks: t.tasks,
            rate: pct(t.successRate),
            rework: pct(t.reworkRate),
          })),
          ["type", "tasks", "rate", "rework"],
        );
      });
    });

  analytics
    .command("task-type")
    .argument("<type>")
    .option(...windowOption)
    .action(async (type, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const t = await ctx.api.get<{ type: string; agents: AgentFigures[] }>(
        `/analytics/task-types/${encodeURIComponent(type)}?window=${opts.window}`,
      );
      emit(ctx.out, t, () => table(ctx.out, ranked(t.agents), ["agent", "tasks", "rate", "interval", "rating"]));
    });

  analytics
    .command("optimize")
    .description("high and low performers; --apply (admin) changes routing-rule weights")
    .option("--dry-run", "only list the suggestions (the default)")
    .option("--apply", "apply them")
    .option(...windowOption)
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const { body: r } = await ctx.api.post<{
        suggestions: Suggestion[];
        applied: boolean;
        change: { id: string } | null;
      }>("/analytics/optimize", { dryRun: !opts.apply, window: opts.window });
      emit(ctx.out, r, () => {
        table(
          ctx.out,
          r.suggestions.map((s) => ({
            kind: s.kind,
            agent: s.agent,
            type: s.taskType,
            evidence: `${s.evidence.successes}/${s.evidence.tasks} vs ${pct(s.evidence.typeRate)}`,
            sure: pct(s.evidence.certainty),
          })),
          ["kind", "agent", "type", "evidence", "sure"],
        );
        ctx.out.print(
          r.applied
            ? `\nApplied (change ${r.change?.id}; undo it in the Optimizer's history).`
            : "\nDry run: nothing changed. --apply to apply.",
        );
      });
    });

  analytics
    .command("record")
    .description("record an outcome directly")
    .requiredOption("--agent <agent>")
    .requiredOption("--task <type>", "the task type")
    .requiredOption("--success <bool>")
    .requiredOption("--duration <minutes>")
    .option("--rework")
    .option("--task-id <id>")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(outcomeInput, {
        agent: opts.agent,
        taskType: opts.task,
        success: parseBool(opts.success, "--success"),
        durationMinutes: Number(opts.duration),
        ...(opts.rework ? { rework: true } : {}),
        ...(opts.taskId ? { taskId: opts.taskId } : {}),
      });
      const { body: o } = await ctx.api.post<{ id: number }>("/outcomes", body);
      emit(ctx.out, o, () =>
        ctx.out.print(
          `Recorded: ${body.agent} ${body.taskType} ${body.success ? "succeeded" : "failed"} in ${body.durationMinutes} min.`,
        ),
      );
    });
}
