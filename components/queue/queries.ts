// Query keys and fetchers for the queue.
import { api } from "@/lib/client/api";
import { filterParams } from "./use-counts";
import type { Page } from "@/lib/http/list";
import type { TaskDto, TaskState } from "@/lib/queue/schema";
import type { TaskDetail } from "@/lib/queue/read";

import { queueKeys, type QueueFilters } from "@/components/live/keys";

export { queueKeys, type QueueFilters };

export function fetchColumn(state: TaskState, filters: QueueFilters, limit: number): Promise<Page<TaskDto>> {
  // Pending reads in claim order (priority, then oldest first): position 1 is the next to be claimed.
  const params = filterParams(filters);
  params.set("state", state);
  params.set("limit", String(limit));
  if (state === "pending") params.set("order", "claim");
  return api<Page<TaskDto>>(`/tasks?${params}`);
}

export const fetchTask = (id: string) => api<TaskDetail>(`/tasks/${id}`);
