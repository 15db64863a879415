// fed start, fed queue list|add|claim|heartbeat|complete|release|show.
import type { Command } from "commander";
import type { EventDto } from "@/lib/audit/schema";
import { claimInput, completeInput, createTaskInput, type ClaimedTaskDto, type TaskDto } from "@/lib/queue/schema";
import type { Page } from "@/lib/http/list";
import { CliError, EXIT } from "../client";
import { leases } from "../config";
import { ctxOf, myAgent, type Ctx } from "../context";
import { emit, facts, list, table, validate } from "../format";

const row = (t: TaskDto) => ({
  id: t.id,
  state: t.state,
  priority: t.priority,
  type: t.type,
  assignee: t.assignee,
  title: t.title,
});

function leaseFor(id: string, given?: string): string {
  const lease = given ?? leases.get(id);
  if (!lease)
    throw new CliError(
      `No lease token for ${id}: pass --lease-token (the claim printed it), or claim it with \`fed queue claim\`.`,
      EXIT.usage,
    );
  return lease;
}

function showTask(ctx: Ctx, t: TaskDto & { events?: EventDto[]; leaseToken?: string }): void {
  facts(ctx.out, [
    ["id", t.id],
    ["title", t.title],
    ["state", t.state],
    ["type", t.type],
    ["priority", t.priority],
    ["assignee", t.assignee],
    ["claimed by", t.claimedBy],
    ["lease until", t.leaseExpiresAt],
    ...(t.leaseToken ? ([["lease token", t.leaseToken]] as [string, unknown][]) : []),
    ["attempts", `${t.attempts} of ${t.maxAttempts}`],
    ["depends on", t.dependsOn.join(", ") || null],
    ["outcome", t.outcome],
  ]);
  if (t.description) ctx.out.print(`\n${t.description}`);
  if (t.events?.length) {
    ctx.out.print("\nHistory:");
    for (const e of [...t.events].reverse())
      ctx.out.print(`  ${e.at.slice(0, 19).replace("T", " ")}  ${e.actor}  ${e.action}`);
  }
}

export function queueCommands(program: Command): void {
  program
    .command("start")
    .description("your session start: tasks in progress, what you may claim, votes awaiting your ballot")
    .option("--agent <name>", "an admin names the agent")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const agent = await myAgent(ctx, opts.agent);
      const b = await ctx.api.get<{
        agent: { name: string; status: string };
        tasks: { inProgress: TaskDto[]; pending: TaskDto[] };
        votesAwaitingBallot: { id: string; question: string; options: string[]; timeLeftSeconds: number | null }[];
      }>(`/agents/${agent}/briefing`);
      emit(ctx.out, b, () => {
        ctx.out.print(`${b.agent.name} (${b.agent.status})`);
        ctx.out.print(`\nIn progress (${b.tasks.inProgress.length}):`);
        table(ctx.out, b.tasks.inProgress.map(row), ["id", "priority", "type", "title"]);
        ctx.out.print(`\nYou may claim (${b.tasks.pending.length}):`);
        table(ctx.out, b.tasks.pending.map(row), ["id", "priority", "type", "assignee", "title"]);
        ctx.out.print(`\nVotes awaiting your ballot (${b.votesAwaitingBallot.length}):`);
        table(
          ctx.out,
          b.votesAwaitingBallot.map((v) => ({
            id: v.id,
            question: v.question,
            options: v.options.join(" / "),
            left: v.timeLeftSeconds === null ? "open" : `${Math.round(v.timeLeftSeconds / 60)} min`,
          })),
          ["id", "question", "options", "left"],
        );
      });
    });

  const queue = program.command("queue").description("the task queue");

  queue
    .command("list")
    .description("tasks, newest first")
    .option("--state <state>", "pending, in_progress, completed, failed or cancelled")
    .option("--assignee <agent>", "an agent, or none")
    .option("--type <type>")
    .option("--search <text>")
    .option("--limit <n>", "1..200", "50")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const params = new URLSearchParams({ limit: opts.limit });
      for (const [k, v] of [
        ["state", opts.state],
        ["assignee", opts.assignee],
        ["type", opts.type],
        ["q", opts.search],
      ] as const)
        if (v) params.set(k, v);
      const page = await ctx.api.get<Page<TaskDto>>(`/tasks?${params}`);
      emit(ctx.out, page, () =>
        table(ctx.out, page.items.map(row), ["id", "state", "priority", "type", "assignee", "title"]),
      );
    });

  queue
    .command("add")
    .description("queue a task (without --assignee the router picks one)")
    .argument("<title>")
    .requiredOption("--type <type>", "research, implementation, review, …")
    .option("--priority <priority>", "low, normal, high or urgent")
    .option("--assignee <agent>")
    .option("--description <text>")
    .option("--depends-on <ids>", "comma-separated task ids")
    .option("--max-attempts <n>")
    .option("--idempotency-key <key>", "the same key again returns the same task")
    .action(async (title, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(createTaskInput, {
        title,
        type: opts.type,
        ...(opts.priority ? { priority: opts.priority } : {}),
        ...(opts.assignee ? { assignee: opts.assignee } : {}),
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.dependsOn ? { dependsOn: list(opts.dependsOn) } : {}),
        ...(opts.maxAttempts ? { maxAttempts: Number(opts.maxAttempts) } : {}),
        ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
      });
      const { body: task } = await ctx.api.post<TaskDto>("/tasks", body);
      emit(ctx.out, task, () =>
        ctx.out.print(
          `${task.id}  ${task.state}  assigned to ${task.assignee ?? "nobody yet (a person decides: see `fed escalations list`)"}`,
        ),
      );
    });

  queue
    .command("claim")
    .description("claim your best claimable task; exit code 3 when there is none")
    .option("--types <types>", "comma-separated task types")
    .option("--lease <seconds>", "30..3600", "300")
    .option("--agent <name>", "an admin claims for an agent")
    .option("--wait <seconds>", "0..30: wait that long for a task to become claimable (long poll)")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(claimInput, {
        ...(opts.types ? { types: list(opts.types) } : {}),
        leaseSeconds: Number(opts.lease),
        ...(opts.wait !== undefined ? { waitSeconds: Number(opts.wait) } : {}),
        ...(opts.agent ? { agent: opts.agent } : {}),
      });
      const res = await ctx.api.request<ClaimedTaskDto>("/tasks/claim", { body });
      if (res.status === 204) {
        emit(ctx.out, { claimed: null }, () => ctx.out.print("Nothing to claim."));
        process.exitCode = EXIT.nothingToClaim;
        return;
      }
      leases.set(res.body.id, res.body.leaseToken);
      emit(ctx.out, res.body, () => showTask(ctx, res.body));
    });

  queue
    .command("heartbeat")
    .description("extend your lease on a task")
    .argument("<id>")
    .option("--lease <seconds>", "30..3600", "300")
    .option("--lease-token <token>", "the claim's lease token (remembered from `fed queue claim`)")
    .action(async (id, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const { body } = await ctx.api.post<{ leaseExpiresAt: string }>(
        `/tasks/${encodeURIComponent(id)}/heartbeat`,
        { leaseSeconds: Number(opts.lease) },
        leaseFor(id, opts.leaseToken),
      );
      emit(ctx.out, body, () => ctx.out.print(`${id}: lease until ${body.leaseExpiresAt}`));
    });

  queue
    .command("complete")
    .description("report how your claim ended")
    .argument("<id>")
    .option("--success", "it worked")
    .option("--failure", "it did not")
    .option("--retry", "with --failure: put it back for another attempt")
    .option("--summary <text>")
    .option("--duration <minutes>")
    .option("--rework", "it needed rework")
    .option("--verdict <verdict>", "reviews: approved or changes_requested (a review that requests changes succeeded)")
    .option("--output <json>", "any JSON to keep with the outcome")
    .option("--lease-token <token>")
    .action(async (id, opts, cmd) => {
      const ctx = ctxOf(cmd);
      if (Boolean(opts.success) === Boolean(opts.failure))
        throw new CliError("Say how it ended: --success or --failure.", EXIT.usage);
      let output: unknown;
      if (opts.output) {
        try {
          output = JSON.parse(opts.output);
        } catch {
          throw new CliError("--output must be JSON.", EXIT.usage);
        }
      }
      const body = validate(completeInput, {
        success: Boolean(opts.success),
        ...(opts.retry ? { retry: true } : {}),
        ...(opts.summary ? { summary: opts.summary } : {}),
        ...(opts.duration ? { durationMinutes: Number(opts.duration) } : {}),
        ...(opts.rework ? { rework: true } : {}),
        ...(opts.verdict ? { verdict: opts.verdict } : {}),
        ...(output !== undefined ? { output } : {}),
      });
      const { body: done } = await ctx.api.post<{ task: TaskDto; followUps: TaskDto[] }>(
        `/tasks/${encodeURIComponent(id)}/complete`,
        body,
        leaseFor(id, opts.leaseToken),
      );
      leases.drop(id);
      emit(ctx.out, done, () => {
        ctx.out.print(`${done.task.id}: ${done.task.state}`);
        for (const f of done.followUps) ctx.out.print(`  follow-up ${f.id} for ${f.assignee ?? "routing"}: ${f.title}`);
      });
    });

  queue
    .command("release")
    .description("give a task back to the queue")
    .argument("<id>")
    .option("--reason <text>")
    .option("--lease-token <token>")
    .action(async (id, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const { body } = await ctx.api.post<TaskDto>(
        `/tasks/${encodeURIComponent(id)}/release`,
        opts.reason ? { reason: opts.reason } : {},
        leaseFor(id, opts.leaseToken),
      );
      leases.drop(id);
      emit(ctx.out, body, () => ctx.out.print(`${body.id}: ${body.state} again`));
    });

  queue
    .command("show")
    .description("one task with its history")
    .argument("<id>")
    .action(async (id, _opts, cmd) => {
      const ctx = ctxOf(cmd);
      const task = await ctx.api.get<TaskDto & { events: EventDto[] }>(`/tasks/${encodeURIComponent(id)}`);
      emit(ctx.out, task, () => showTask(ctx, task));
    });
}
