// Calls the real route handlers with real Requests, as Next.js would.
import { encode } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/secret";
import { createSession } from "@/lib/auth/sessions";
import { getPrisma } from "@/lib/db/client";

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOptions {
  token?: string;
  /** The claim's lease token, sent as X-Lease-Token (heartbeat, release, complete). */
  lease?: string;
  cookie?: string;
  body?: unknown;
  rawBody?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function call(
  handler: Handler,
  method: string,
  options: CallOptions = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const url = new URL("http://localhost/api/v1/test");
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lease) headers["x-lease-token"] = options.lease;
  if (options.cookie) {
    headers.cookie = options.cookie;
    // What a browser sends with every same-origin write; the API refuses cookie writes without it (CSRF).
    if (method !== "GET" && method !== "HEAD") headers.origin ??= url.origin;
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await handler(new Request(url, { method, headers, body }), {
    params: Promise.resolve(options.params ?? {}),
  });
  const text = await bodyText(res);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  rememberLeases(parsed);
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The whole body; of an event stream (which has no end), only what the server sent first. */
async function bodyText(res: Response): Promise<string> {
  if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) return res.text();
  const reader = res.body!.getReader();
  const first = await reader.read();
  await reader.cancel();
  return first.value ? new TextDecoder().decode(first.value) : "";
}

const latestLease = new Map<string, string>();

function rememberLeases(body: unknown): void {
  for (const task of [body, (body as { next?: unknown } | null)?.next]) {
    const t = task as { id?: unknown; leaseToken?: unknown } | null | undefined;
    if (t && typeof t.id === "string" && typeof t.leaseToken === "string") latestLease.set(t.id, t.leaseToken);
  }
}

/** The lease token of the latest claim of task `id` a test has seen: what its current holder presents. */
export const leaseOf = (id: string): string | undefined => latestLease.get(id);

/** A next-auth session cookie for a user id, as the browser would hold after signing in (a live server-side session). */
export async function sessionCookie(userId: string): Promise<string> {
  const sid = await createSession(getPrisma(), userId, "vitest");
  const token = await encode({ token: { sub: userId, sid }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}
