// Query keys and calls for escalations, shared by the navigation badge, the tab title and the inbox.
import { api } from "@/lib/client/api";
import type { EscalationWithContext } from "@/lib/escalations/context";
import type { DecideInput, EscalationDto } from "@/lib/escalations/schema";
import type { EscalationSummary } from "@/lib/escalations/service";
import type { Page } from "@/lib/http/list";

import { escalationKeys, type InboxKind, type InboxState } from "@/components/live/keys";

export { escalationKeys, type InboxKind, type InboxState };

export const fetchSummary = () => api<EscalationSummary>("/escalations/summary");

export function fetchInbox(state: InboxState, kind: InboxKind): Promise<Page<EscalationWithContext>> {
  const params = new URLSearchParams({ state, limit: "100", expand: "context" });
  if (kind) params.set("kind", kind);
  return api<Page<EscalationWithContext>>(`/escalations?${params}`);
}

export const decideEscalation = (id: string, body: DecideInput, keepalive = false) =>
  api<EscalationDto>(`/escalations/${id}/decide`, { body, keepalive });

/** Decided escalations, the most recently decided first (plain, without context: the history reads them). */
export function fetchDecided(kind: InboxKind, cursor?: string | null): Promise<Page<EscalationDto>> {
  const params = new URLSearchParams({ state: "resolved", limit: "50" });
  if (kind) params.set("kind", kind);
  if (cursor) params.set("cursor", cursor);
  return api<Page<EscalationDto>>(`/escalations?${params}`);
}
