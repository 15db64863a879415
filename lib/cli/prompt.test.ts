// The prompt fed run gives a coding CLI: the task, what came before it (a follow-up's parent), and what "done" means.
import { expect, test } from "vitest";
import type { TaskDto } from "@/lib/queue/schema";
import { taskPrompt, votePrompt } from "./prompts";

const task = (over: Partial<TaskDto>) =>
  ({
    id: "task-1",
    title: "Implement the queue",
    type: "implementation",
    priority: "high",
    description: "",
    ...over,
  }) as TaskDto;

test("a follow-up's prompt carries its parent's summary and output; every prompt says what done means", () => {
  const parent = task({
    id: "task-0",
    title: "Research queue libraries",
    outcome: { success: true, summary: "pg-boss or our own; ours wins on fencing.", output: { picks: ["own"] } },
  } as Partial<TaskDto>);
  const prompt = taskPrompt(task({ description: "Use the research.", parentId: "task-0" } as Partial<TaskDto>), parent);
  expect(prompt).toContain("# Implement the queue");
  expect(prompt).toContain("Task task-1 · type implementation · priority high");
  expect(prompt).toContain("Use the research.");
  expect(prompt).toContain("## Before this: Research queue libraries (task-0)");
  expect(prompt).toContain("pg-boss or our own; ours wins on fencing.");
  expect(prompt).toContain('"picks"');
  expect(prompt).toContain("## Done means");
  expect(prompt).toContain("commit it on this");
  expect(taskPrompt(task({}), null)).not.toContain("Before this");
});

test("a vote's prompt names the options and the JSON wanted", () => {
  const prompt = votePrompt({ id: "vote-1", question: "Which queue?", options: ["pg-boss", "own"] });
  expect(prompt).toContain("# Vote vote-1: Which queue?");
  expect(prompt).toContain("- pg-boss\n- own");
  expect(prompt).toContain('{"option":');
});
