// fed escalations list|decide.
import type { Command } from "commander";
import { decideInput, type EscalationDto } from "@/lib/escalations/schema";
import { describeResolution } from "@/lib/escalations/describe";
import type { Page } from "@/lib/http/list";
import { ctxOf } from "../context";
import { emit, table, validate } from "../format";

export function escalationCommands(program: Command): void {
  const escalations = program.command("escalations").description("what waits for a person");

  escalations
    .command("list")
    .option("--state <state>", "open or resolved", "open")
    .option("--kind <kind>", "vote, task or routing")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const params = new URLSearchParams({ state: opts.state, ...(opts.kind ? { kind: opts.kind } : {}) });
      const page = await ctx.api.get<Page<EscalationDto>>(`/escalations?${params}`);
      emit(ctx.out, page, () =>
        table(
          ctx.out,
          page.items.map((e) => ({
            id: e.id,
            kind: e.kind,
            subject: e.subjectId,
            reason: e.reason,
            ...(e.state === "resolved" ? { decision: describeResolution(e) } : {}),
          })),
          ["id", "kind", "subject", opts.state === "resolved" ? "decision" : "reason"],
        ),
      );
    });

  escalations
    .command("decide")
    .description("decide one: --option (vote), --assignee, or --action retry|cancel|dismiss")
    .argument("<id>")
    .option("--option <option>")
    .option("--assignee <agent>")
    .option("--action <action>", "retry, cancel or dismiss")
    .option("--note <text>")
    .action(async (id, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(decideInput, {
        ...(opts.option ? { option: opts.option } : {}),
        ...(opts.assignee ? { assignee: opts.assignee } : {}),
        ...(opts.action ? { action: opts.action } : {}),
        ...(opts.note ? { note: opts.note } : {}),
      });
      const { body: e } = await ctx.api.post<EscalationDto>(`/escalations/${encodeURIComponent(id)}/decide`, body);
      emit(ctx.out, e, () => ctx.out.print(`${e.id}: ${describeResolution(e)}`));
    });
}
