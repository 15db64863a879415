// Small HTTP helpers for specs that drive the API like an agent would.
import { E2E_ADMIN_TOKEN, E2E_PORT } from "./env";

export const BASE = `http://127.0.0.1:${E2E_PORT}`;

export async function apiCall(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: `Bearer ${init.token ?? E2E_ADMIN_TOKEN}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function agentToken(agent: string): Promise<string> {
  const res = await apiCall(`/agents/${agent}/tokens`, { method: "POST" });
  if (res.status !== 201) throw new Error(`could not issue a token for ${agent}: ${res.status}`);
  return res.body.token;
}

export async function ensureAgent(name: string): Promise<void> {
  const res = await apiCall("/agents", { body: { name } });
  if (res.status !== 201 && res.status !== 409) throw new Error(`could not create agent ${name}: ${res.status}`);
}
