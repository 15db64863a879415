// Query keys and fetchers for the queue.
import { api } from "@/lib/client/api";
import type { Page } from "@/lib/http/list";
import type { TaskDto, TaskState } from "@/lib/queue/schema";
import type { TaskDetail } from "@/lib/queue/read";

export interface QueueFilters {
  assignee: string;
  type: string;
  q: string;
}

export const queueKeys = {
  all: ["tasks"] as const,
  column: (state: TaskState, filters: QueueFilters) => ["tasks", "column", state, filters] as const,
  one: (id: string) => ["tasks", "one", id] as const,
};

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
