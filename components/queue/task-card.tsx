"use client";
// One task on the board.
import Link from "next/link";
import { RelativeTime } from "@/components/ui/time";
import type { TaskDto } from "@/lib/queue/schema";
import { attemptsText, attemptsUsed, TaskFlags } from "./task-badges";

/** `position`: the task's place in claim order (Pending). */
export function TaskCard({ task, position }: { task: TaskDto; position?: number }) {
  const who = task.state === "in_progress" ? task.claimedBy : task.assignee;
  const attempts = attemptsText(task);
  return (
    <li data-task={task.id} data-state={task.state} data-position={position}>
      <Link
        href={`/queue/${task.id}`}
        className="block rounded-lg border border-zinc-200 bg-white p-3 shadow-xs transition hover:border-indigo-300 hover:shadow-sm dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-500/50"
      >
        <p className="flex gap-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">
          {position !== undefined && (
            <span
              className="shrink-0 text-zinc-600 tabular-nums dark:text-zinc-400"
              aria-label={`Number ${position} in claim order`}
            >
              {position}.
            </span>
          )}
          <span className="min-w-0 break-words">{task.title}</span>
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-1.5">
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
            {task.type}
          </span>
          <TaskFlags task={task} />
        </div>
        <div className="mt-2 flex items-center justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          <span className="truncate font-mono">{who ?? "unassigned"}</span>
          {attempts && (
            <span className="shrink-0 tabular-nums" data-attempts={attemptsUsed(task)}>
              {attempts}
            </span>
          )}
          <RelativeTime iso={task.completedAt ?? task.createdAt} />
        </div>
        {task.outcome && task.state !== "pending" && (
          <p
            className={`mt-2 truncate text-xs ${task.outcome.success ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
          >
            {task.outcome.success ? "✓ succeeded" : "✗ failed"}
            {typeof task.outcome.summary === "string" ? ` — ${task.outcome.summary}` : ""}
          </p>
        )}
      </Link>
    </li>
  );
}
