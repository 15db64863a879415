"use client";
// Task counts per state for a filter: one shared query, so the navigation badge, the Overview and the board's
// column headers show the same numbers and refresh together.
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { queueKeys, type QueueFilters } from "@/components/live/keys";
import type { TaskState } from "@/lib/queue/schema";

export type TaskCounts = Record<TaskState, number> & { total: number };
export const NO_FILTERS: QueueFilters = { q: "", assignee: "", type: "" };

export function filterParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.assignee) params.set("assignee", filters.assignee);
  if (filters.type.trim()) params.set("type", filters.type.trim());
  return params;
}

export const fetchCounts = (filters: QueueFilters) => api<TaskCounts>(`/tasks/counts?${filterParams(filters)}`);

export function useTaskCounts(filters: QueueFilters = NO_FILTERS, initialData?: TaskCounts) {
  return useQuery({ queryKey: queueKeys.counts(filters), queryFn: () => fetchCounts(filters), initialData });
}
