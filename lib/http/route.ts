// The route wrapper every API handler uses: auth → rate limit → body/query validation → domain call → JSON or problem+json.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getPrisma, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { resolveActor } from "@/lib/auth/resolve-actor";
import { BadRequest, DomainError, Invalid, PayloadTooLarge, RateLimited, Unauthorized } from "@/lib/errors";
import { fromDomainError, problem, zodFieldErrors } from "./problem";
import { takeToken } from "./rate-limit";

export const BODY_LIMIT = 64 * 1024;

type Params = Record<string, string | string[]>;

export interface Context<B, Q> {
  req: Request;
  db: Db;
  actor: Actor;
  body: B;
  query: Q;
  params: Record<string, string>;
}

interface Options<B, Q> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
}

interface PublicOptions {
  public: true;
}

/** A handler may return data (200 JSON), or a Response it built itself. */
type Result = unknown;

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

export const created = (data: unknown) => json(data, 201);
export const noContent = () => new Response(null, { status: 204 });

async function readBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > BODY_LIMIT) throw new PayloadTooLarge(BODY_LIMIT);
  const reader = req.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > BODY_LIMIT) {
      await reader.cancel();
      throw new PayloadTooLarge(BODY_LIMIT);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  const type = req.headers.get("content-type") ?? "application/json";
  if (!/json/i.test(type)) throw new DomainError(415, "Unsupported media type", "Send the body as application/json.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Invalid(`The ${what} has ${parsed.error.issues.length} invalid field(s).`, zodFieldErrors(parsed.error));
  return parsed.data;
}

function rateKey(actor: Actor): string {
  switch (actor.kind) {
    case "agent":
      return `token:${actor.tokenId}`;
    case "user":
      return `user:${actor.userId}`;
    default:
      return actor.kind;
  }
}

async function flatParams(ctx: { params?: Promise<Params> } | undefined): Promise<Record<string, string>> {
  const raw = (await ctx?.params) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
}

export function handleError(error: unknown, requestId: string): Response {
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof z.ZodError) return problem(422, "Validation failed", "The request has invalid fields.", zodFieldErrors(error));
  console.error(`[${requestId}] unexpected error`, error);
  return problem(500, "Internal server error", `Something went wrong on our side. Quote request id ${requestId} when reporting it.`, undefined, {
    "X-Request-Id": requestId,
  });
}

/** Wraps an authenticated route handler. */
export function route<B = undefined, Q = undefined>(
  options: Options<B, Q>,
  handler: (ctx: Context<B, Q>) => Promise<Result>,
): (req: Request, ctx?: { params?: Promise<Params> }) => Promise<Response> {
  return async (req, routeCtx) => {
    try {
      const db = getPrisma();
      const actor = await resolveActor(db, req);
      if (!actor) throw new Unauthorized();
      const wait = takeToken(rateKey(actor));
      if (wait > 0) throw new RateLimited(wait);
      const url = new URL(req.url);
      const query = options.query ? parseWith(options.query, Object.fromEntries(url.searchParams), "query string") : (undefined as Q);
      const rawBody = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
      const body = options.body ? parseWith(options.body, rawBody ?? {}, "request body") : (undefined as B);
      const result = await handler({ req, db, actor, body, query, params: await flatParams(routeCtx) });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return handleError(error, randomUUID());
    }
  };
}

/** Wraps a route that needs no credentials (health). */
export function publicRoute(_: PublicOptions, handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      return handleError(error, randomUUID());
    }
  };
}
