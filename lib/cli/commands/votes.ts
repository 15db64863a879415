// fed vote create|cast|resolve|show|list.
import type { Command } from "commander";
import type { Page } from "@/lib/http/list";
import { ballotInput, createVoteInput, type VoteDto } from "@/lib/voting/schema";
import { describeOutcome } from "@/lib/voting/describe";
import { ctxOf, type Ctx } from "../context";
import { emit, facts, list, table, validate } from "../format";

function showVote(ctx: Ctx, v: VoteDto): void {
  facts(ctx.out, [
    ["id", v.id],
    ["question", v.question],
    ["status", v.status],
    ["outcome", describeOutcome(v)],
    ["method", v.method],
    ["threshold", v.threshold],
    ["closes", v.closesAt],
    ["voters", v.voters.join(", ")],
  ]);
  ctx.out.print("\nScores:");
  table(
    ctx.out,
    v.options.map((o) => ({
      option: o,
      score: (v.scores[o] ?? 0).toFixed(2),
      ballots: v.ballots.filter((b) => b.option === o).length,
    })),
    ["option", "score", "ballots"],
  );
  if (v.ballots.length) {
    ctx.out.print("\nBallots:");
    table(
      ctx.out,
      v.ballots.map((b) => ({
        voter: b.voter,
        option: b.option,
        confidence: b.confidence.toFixed(2),
        rationale: b.rationale,
      })),
      ["voter", "option", "confidence", "rationale"],
    );
  }
}

export function voteCommands(program: Command): void {
  const vote = program.command("vote").description("the voting booth");

  vote
    .command("create")
    .description("open a vote")
    .argument("<question>")
    .requiredOption("--options <options>", "comma-separated, 2 to 10")
    .option("--voters <agents>", "comma-separated; default every active agent")
    .option("--closes-in <minutes>")
    .option("--threshold <confidence>", "0..1, default 0.70")
    .option("--method <method>", "weighted_confidence or simple_majority")
    .option("--quorum <n>")
    .option("--require-rationale")
    .action(async (question, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(createVoteInput, {
        question,
        options: list(opts.options),
        ...(opts.voters ? { voters: list(opts.voters) } : {}),
        ...(opts.closesIn ? { closesAt: new Date(Date.now() + Number(opts.closesIn) * 60_000).toISOString() } : {}),
        ...(opts.threshold ? { threshold: Number(opts.threshold) } : {}),
        ...(opts.method ? { method: opts.method } : {}),
        ...(opts.quorum ? { quorum: Number(opts.quorum) } : {}),
        ...(opts.requireRationale ? { requireRationale: true } : {}),
      });
      const { body: v } = await ctx.api.post<VoteDto>("/votes", body);
      emit(ctx.out, v, () => ctx.out.print(`${v.id}  open for ${v.voters.join(", ")}`));
    });

  vote
    .command("cast")
    .description("cast (or replace) your ballot")
    .argument("<id>")
    .argument("<option>")
    .requiredOption("--confidence <0..1>")
    .option("--rationale <text>")
    .action(async (id, option, opts, cmd) => {
      const ctx = ctxOf(cmd);
      const body = validate(ballotInput, {
        option,
        confidence: Number(opts.confidence),
        ...(opts.rationale ? { rationale: opts.rationale } : {}),
      });
      const { body: v } = await ctx.api.post<VoteDto>(`/votes/${encodeURIComponent(id)}/ballots`, body);
      emit(ctx.out, v, () =>
        ctx.out.print(
          v.status === "open"
            ? `Ballot cast on ${v.id}; ${v.ballots.length} of ${v.voters.length} in.`
            : `${v.id}: ${describeOutcome(v)}`,
        ),
      );
    });

  vote
    .command("resolve")
    .description("close a vote now with the ballots so far")
    .argument("<id>")
    .action(async (id, _opts, cmd) => {
      const ctx = ctxOf(cmd);
      const { body: v } = await ctx.api.post<VoteDto>(`/votes/${encodeURIComponent(id)}/resolve`);
      emit(ctx.out, v, () => ctx.out.print(`${v.id}: ${describeOutcome(v)}`));
    });

  vote
    .command("show")
    .argument("<id>")
    .action(async (id, _opts, cmd) => {
      const ctx = ctxOf(cmd);
      const v = await ctx.api.get<VoteDto>(`/votes/${encodeURIComponent(id)}`);
      emit(ctx.out, v, () => showVote(ctx, v));
    });

  vote
    .command("list")
    .option("--status <status>", "open, decided or escalated")
    .action(async (opts, cmd) => {
      const ctx = ctxOf(cmd);
      const page = await ctx.api.get<Page<VoteDto>>(
        `/votes${opts.status ? `?status=${encodeURIComponent(opts.status)}` : ""}`,
      );
      emit(ctx.out, page, () =>
        table(
          ctx.out,
          page.items.map((v) => ({ id: v.id, status: v.status, question: v.question, outcome: describeOutcome(v) })),
          ["id", "status", "question", "outcome"],
        ),
      );
    });
}
