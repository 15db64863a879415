// Calls the real route handlers with real Requests, as Next.js would.
import { encode } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/secret";

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOptions {
  token?: string;
  cookie?: string;
  body?: unknown;
  rawBody?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function call(handler: Handler, method: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const url = new URL("http://localhost/api/v1/test");
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A next-auth session cookie for a user id, as the browser would hold after signing in. */
export async function sessionCookie(userId: string): Promise<string> {
  const token = await encode({ token: { sub: userId }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}
