// Query keys and calls for analytics, shared by the Overview, the Analytics pages and the agent page.
import { api } from "@/lib/client/api";
import type { ChartsDto } from "@/lib/analytics/charts";
import type { OptimizerChangeDto, Suggestion } from "@/lib/analytics/schema";
import type { AgentAnalyticsDto, AgentFigures, DashboardDto } from "@/lib/analytics/schema";
import type { TimeWindow } from "@/lib/analytics/window";

import { analyticsKeys } from "@/components/live/keys";

export { analyticsKeys };

export const fetchDashboard = (window: TimeWindow) => api<DashboardDto>(`/analytics/dashboard?window=${window}`);
export const fetchCharts = (window: TimeWindow) => api<ChartsDto>(`/analytics/charts?window=${window}`);
export const fetchLeaderboard = (window: TimeWindow, taskType: string) =>
  api<{ items: AgentFigures[]; taskType: string | null }>(
    `/analytics/leaderboard?window=${window}${taskType ? `&taskType=${encodeURIComponent(taskType)}` : ""}`,
  );
export const fetchAgentAnalytics = (name: string, window: TimeWindow) =>
  api<AgentAnalyticsDto>(`/analytics/agents/${name}?window=${window}`);
export const fetchSuggestions = (window: TimeWindow) =>
  api<{ suggestions: Suggestion[]; applied: boolean }>("/analytics/optimize", { body: { dryRun: true, window } });
export const applySuggestions = (window: TimeWindow) =>
  api<{ suggestions: Suggestion[]; applied: boolean; change: OptimizerChangeDto }>("/analytics/optimize", {
    body: { dryRun: false, window },
  });
export const fetchHistory = () =>
  api<{ items: OptimizerChangeDto[] }>("/analytics/optimizer/history").then((r) => r.items);
export const undoChange = (id: string) =>
  api<OptimizerChangeDto>(`/analytics/optimizer/history/${id}/undo`, { method: "POST" });

export const percent = (x: number) => `${Math.round(x * 100)}%`;
/** A share over `samples` things, or "—" when there are none: 0% of nothing is no figure. */
export const percentOver = (x: number, samples: number) => (samples > 0 ? percent(x) : "—");
export const minutes = (x: number | null) =>
  x === null ? "—" : x >= 90 ? `${(x / 60).toFixed(1)} h` : `${Math.round(x)} min`;
