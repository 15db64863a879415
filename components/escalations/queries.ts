// Query keys and calls for escalations, shared by the navigation badge, the tab title and the inbox.
import { api } from "@/lib/client/api";
import type { EscalationWithContext } from "@/lib/escalations/context";
import type { DecideInput, EscalationDto } from "@/lib/escalations/schema";
import type { EscalationSummary } from "@/lib/escalations/service";
import type { Page } from "@/lib/http/list";

export type InboxState = "open" | "resolved";
export type InboxKind = "" | EscalationDto["kind"];

export const escalationKeys = {
  all: ["escalations"] as const,
  summary: ["escalations", "summary"] as const,
  inbox: (state: InboxState, kind: InboxKind) => ["escalations", "inbox", state, kind] as const,
};

export const fetchSummary = () => api<EscalationSummary>("/escalations/summary");

export function fetchInbox(state: InboxState, kind: InboxKind): Promise<Page<EscalationWithContext>> {
  const params = new URLSearchParams({ state, limit: "100", expand: "context" });
  if (kind) params.set("kind", kind);
  return api<Page<EscalationWithContext>>(`/escalations?${params}`);
}

export const decideEscalation = (id: string, body: DecideInput) =>
  api<EscalationDto>(`/escalations/${id}/decide`, { body });
