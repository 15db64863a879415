// What `fed run` tells an agent's command (a task's prompt, a vote's) and reads back (a ballot, a summary).
import type { TaskDto } from "@/lib/queue/schema";

/** How long a summary may be. */
const SUMMARY_MAX = 4_000;

/** The prompt a coding CLI gets for a task: what to do, what came before, and what "done" means. */
export function taskPrompt(task: TaskDto, parent?: TaskDto | null): string {
  const lines = [`# ${task.title}`, "", `Task ${task.id} · type ${task.type} · priority ${task.priority}`];
  if (task.description) lines.push("", task.description);
  if (parent) {
    const outcome = (parent.outcome ?? {}) as { summary?: string; output?: unknown };
    lines.push("", `## Before this: ${parent.title} (${parent.id})`);
    if (outcome.summary) lines.push("", outcome.summary);
    if (outcome.output !== undefined) {
      const text = typeof outcome.output === "string" ? outcome.output : JSON.stringify(outcome.output, null, 2);
      lines.push("", "Its output:", "", text.slice(-8_000));
    }
  }
  lines.push(
    "",
    "## Done means",
    "",
    "You work in a git worktree of the repository, on this task's own branch. Make the change, commit it on this",
    "branch (do not push, do not switch branches), and end with a short summary of what you did. Exit with status 0",
    "when the task is done and non-zero when you could not do it.",
  );
  return lines.join("\n") + "\n";
}

/** A vote's prompt: the question, the options, and the JSON answer wanted. */
export function votePrompt(vote: { id: string; question: string; options: string[] }): string {
  return [
    `# Vote ${vote.id}: ${vote.question}`,
    "",
    "Options:",
    ...vote.options.map((o) => `- ${o}`),
    "",
    "Answer with one JSON object and nothing else:",
    '{"option": "<one of the options, exactly>", "confidence": <0..1, how sure you are>, "rationale": "<why, briefly>"}',
    "",
  ].join("\n");
}

/**
 * The first JSON object in a command's output with `option`, `confidence` and maybe `rationale`, checked: the
 * option one of the vote's, the confidence a number in [0, 1]. Anything else is a reason for no ballot — never a
 * made-up confidence.
 */
export function readBallot(
  output: string,
  options: string[],
): { ok: true; option: string; confidence: number; rationale?: string } | { ok: false; reason: string } {
  for (let start = output.indexOf("{"); start >= 0; start = output.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < output.length; i++) {
      const c = output[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(output.slice(start, i + 1));
        } catch {
          break;
        }
        const o = parsed as { option?: unknown; confidence?: unknown; rationale?: unknown };
        if (o && typeof o === "object" && "option" in o) {
          if (typeof o.option !== "string" || !options.includes(o.option))
            return { ok: false, reason: `option ${JSON.stringify(o.option)} is not one of ${options.join(", ")}` };
          if (typeof o.confidence !== "number" || !(o.confidence >= 0 && o.confidence <= 1))
            return { ok: false, reason: `confidence ${JSON.stringify(o.confidence)} is not a number from 0 to 1` };
          const rationale = typeof o.rationale === "string" && o.rationale.trim() ? o.rationale.trim() : undefined;
          return { ok: true, option: o.option, confidence: o.confidence, rationale: rationale?.slice(0, 4000) };
        }
        break;
      }
    }
  }
  return { ok: false, reason: "the output holds no JSON object with an option and a confidence" };
}

/** The summary of a finished command: its JSON `result` when it printed one (Claude Code, Codex), else its last lines. */
export function summaryOf(output: string): string {
  const lines = output.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 50; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line) as { result?: unknown };
      if (typeof parsed.result === "string" && parsed.result.trim()) return parsed.result.trim().slice(0, SUMMARY_MAX);
    } catch {
      /* not JSON */
    }
  }
  const tail = lines.slice(-20).join("\n").trim();
  return (tail || "(no output)").slice(-SUMMARY_MAX);
}
