"use client";
// The small facts shown on every task: priority, blocked, needs routing, lease countdown.
import { useNow } from "@/components/ui/use-now";
import { Badge, type Tone } from "@/components/ui/badge";
import type { Priority, TaskDto, TaskState } from "@/lib/queue/schema";

const priorityTone: Record<Priority, Tone> = { low: "gray", normal: "blue", high: "amber", urgent: "red" };
const stateTone: Record<TaskState, Tone> = {
  pending: "gray",
  in_progress: "indigo",
  completed: "green",
  failed: "red",
  cancelled: "gray",
};
export const stateLabel: Record<TaskState, string> = {
  pending: "Pending",
  in_progress: "In progress",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function PriorityBadge({ priority }: { priority: Priority }) {
  return <Badge tone={priorityTone[priority]}>{priority}</Badge>;
}

export function StateBadge({ state }: { state: TaskState }) {
  return (
    <Badge tone={stateTone[state]} dot>
      {stateLabel[state]}
    </Badge>
  );
}

export function LeaseCountdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(1000);
  if (now === null) return null;
  const left = Math.round((new Date(expiresAt).getTime() - now) / 1000);
  const text =
    left <= 0
      ? "lease expired"
      : left >= 60
        ? `lease ${Math.floor(left / 60)}m ${String(left % 60).padStart(2, "0")}s`
        : `lease ${left}s`;
  return (
    <Badge
      tone={left <= 0 ? "red" : left < 60 ? "amber" : "gray"}
      aria-label={`Lease: ${left <= 0 ? "expired" : `${left} seconds left`}`}
    >
      <span className="tabular-nums">{text}</span>
    </Badge>
  );
}

export function TaskFlags({ task }: { task: TaskDto }) {
  return (
    <>
      <PriorityBadge priority={task.priority} />
      {task.blocked && <Badge tone="amber">blocked</Badge>}
      {!task.assignee && task.state === "pending" && <Badge tone="red">needs routing</Badge>}
      {task.source === "auto" && <Badge tone="indigo">auto</Badge>}
      {task.state === "in_progress" && task.leaseExpiresAt && <LeaseCountdown expiresAt={task.leaseExpiresAt} />}
    </>
  );
}

/**
 * Attempts as the history counts them (one per claim): the queue's counter counts the attempts that failed, so a
 * task in progress or completed has used one more than it.
 */
export function attemptsUsed(task: Pick<TaskDto, "attempts" | "state">): number {
  return task.attempts + (task.state === "in_progress" || task.state === "completed" ? 1 : 0);
}

/** "attempt 2 of 3" while held; "2 of 3 attempts used" after; null when there is nothing worth saying. */
export function attemptsText(task: Pick<TaskDto, "attempts" | "state" | "maxAttempts">): string | null {
  const used = attemptsUsed(task);
  if (task.state === "in_progress") return `attempt ${used} of ${task.maxAttempts}`;
  if (used === 0 || (task.state === "completed" && used === 1)) return null;
  return `${used} of ${task.maxAttempts} attempts used`;
}
