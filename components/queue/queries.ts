// Query keys and fetchers for the queue.
import { api } from "@/lib/client/api";
import type { Page } from "@/lib/http/list";
import type { TaskDto, TaskState } from "@/lib/queue/schema";
import type { TaskDetail } from "@/lib/queue/read";

import { queueKeys, type QueueFilters } from "@/components/live/keys";

export { queueKeys, type QueueFilters };

export function fetchColumn(state: TaskState, filters: QueueFilters, limit: number): Promise<Page<TaskDto>> {
  // Pending reads in claim order (priority, then oldest first): position 1 is the next to be claimed.
  const params = new URLSearchParams({
    state,
    limit: String(limit),
    ...(state === "pending" ? { order: "claim" } : {}),
  });
  if (filters.assignee) params.set("assignee", filters.assignee);
  if (filters.type.trim()) params.set("type", filters.type.trim());
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return api<Page<TaskDto>>(`/tasks?${params}`);
}

export const fetchTask = (id: string) => api<TaskDetail>(`/tasks/${id}`);
