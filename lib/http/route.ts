// The route wrapper every API handler uses: auth → rate limit → CSRF → input checks → validation → domain
// call → JSON or problem+json, with the API's security headers on every answer.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getPrisma, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { resolveActor } from "@/lib/auth/resolve-actor";
import { BadRequest, DomainError, Invalid, PayloadTooLarge, RateLimited, Unauthorized } from "@/lib/errors";
import { requestAddress } from "./client-address";
import { checkCookieWrite } from "./csrf";
import { withApiHeaders } from "./headers";
import { checkJson, checkParams } from "./hostile-input";
import { fromDomainError, problem, zodFieldErrors } from "./problem";
import { authFailureConfig, takeToken } from "./rate-limit";
import { isDatabaseUnavailable } from "./unavailable";
import { describe, type Described, type RouteSpec } from "./doc";

export const BODY_LIMIT = 64 * 1024;

type Params = Record<string, string | string[]>;

export interface Context<B, Q> {
  req: Request;
  db: Db;
  actor: Actor;
  body: B;
  /** The parsed, checked JSON body before the route's schema (for handlers that pass it on, like MCP). */
  rawBody: unknown;
  query: Q;
  params: Record<string, string>;
}

type Handler = (req: Request, ctx?: { params?: Promise<Params> }) => Promise<Response>;

/** A handler may return data (200 JSON), or a Response it built itself. */
type Result = unknown;

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export const created = (data: unknown) => json(data, 201);
export const noContent = () => new Response(null, { status: 204 });

/**
 * How much of an oversized body is read and thrown away so that its sender, still writing, reads our 413 (a
 * connection closed under a writing client is a broken pipe to it, not an answer). Beyond this, the connection goes.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

async function readBody(req: Request): Promise<unknown> {
  const reader = req.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DRAIN_LIMIT) {
      await reader.cancel();
      break;
    }
    if (size <= BODY_LIMIT) chunks.push(value);
  }
  if (size > BODY_LIMIT) throw new PayloadTooLarge(BODY_LIMIT);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  const type = req.headers.get("content-type") ?? "application/json";
  if (!/json/i.test(type)) throw new DomainError(415, "Unsupported media type", "Send the body as application/json.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
  checkJson(parsed);
  return parsed;
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Invalid(`The ${what} has ${parsed.error.issues.length} invalid field(s).`, zodFieldErrors(parsed.error));
  return parsed.data;
}

/** Charges `n` more requests to the caller's rate limit (each call of a batch counts); 429 when over it. */
export function chargeRequests(actor: Actor, n: number): void {
  for (let i = 0; i < n; i++) {
    const wait = takeToken(rateKey(actor));
    if (wait > 0) throw new RateLimited(wait);
  }
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
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
  checkParams(params, "path");
  return params;
}

/**
 * Who is calling. Credentials are always checked, and valid ones always honoured: only a failure spends the
 * client address's failure budget, and only a failure over that budget answers 429 — so a guesser (or a tab whose
 * session was revoked) on the same address never locks out an agent or an admin with a good token.
 */
async function authenticate(db: Db, req: Request): Promise<Actor> {
  try {
    const actor = await resolveActor(db, req);
    if (!actor) throw new Unauthorized();
    return actor;
  } catch (error) {
    if (error instanceof Unauthorized && (req.headers.has("authorization") || req.headers.has("cookie"))) {
      const key = `auth-failures:${requestAddress(req.headers)}`;
      const wait = takeToken(key, authFailureConfig(key));
      if (wait > 0) throw new RateLimited(wait);
    }
    throw error;
  }
}

export function handleError(error: unknown, requestId: string): Response {
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof z.ZodError)
    return problem(422, "Validation failed", "The request has invalid fields.", zodFieldErrors(error));
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable:`, (error as Error).message?.split("\n")[0]);
    return problem(
      503,
      "Service unavailable",
      "The database is unavailable or busy right now; retry in a few seconds.",
      undefined,
      {
        "Retry-After": "5",
        "X-Request-Id": requestId,
      },
    );
  }
  console.error(`[${requestId}] unexpected error`, error);
  return problem(
    500,
    "Internal server error",
    `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    undefined,
    {
      "X-Request-Id": requestId,
    },
  );
}

/**
 * Wraps an authenticated route handler, described by its summary and `spec` (whose body and query are validated
 * before it runs).
 */
export function route<B = undefined, Q = undefined>(
  summary: string,
  spec: RouteSpec<B, Q>,
  handler: (ctx: Context<B, Q>) => Promise<Result>,
): Described<Handler> {
  return describe(guarded(spec, handler), { summary, ...(spec as RouteSpec) });
}

/**
 * An authenticated handler that is no operation of the API, so it is not in its description: the MCP endpoint
 * (its tools describe themselves) and the 404 for unknown paths.
 */
export function unlistedRoute(handler: (ctx: Context<undefined, undefined>) => Promise<Result>) {
  return guarded({}, handler);
}

function guarded<B, Q>(
  options: { body?: z.ZodType<B>; query?: z.ZodType<Q> },
  handler: (ctx: Context<B, Q>) => Promise<Result>,
): Handler {
  return async (req, routeCtx) => {
    try {
      const db = getPrisma();
      const actor = await authenticate(db, req);
      const wait = takeToken(rateKey(actor));
      if (wait > 0) throw new RateLimited(wait);
      // A browser session's writes must come from our own pages; a person's bearer token is no cookie to ride on.
      if (actor.kind === "user" && actor.sessionId) checkCookieWrite(req);
      const params = await flatParams(routeCtx);
      const search = Object.fromEntries(new URL(req.url).searchParams);
      checkParams(search, "query string");
      const query = options.query ? parseWith(options.query, search, "query string") : (undefined as Q);
      const rawBody = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
      const body = options.body ? parseWith(options.body, rawBody ?? {}, "request body") : (undefined as B);
      const result = await handler({ req, db, actor, body, rawBody, query, params });
      return withApiHeaders(result instanceof Response ? result : json(result));
    } catch (error) {
      return withApiHeaders(handleError(error, randomUUID()));
    }
  };
}

/** Wraps a route that needs no credentials (health). */
export function publicRoute(
  summary: string,
  spec: Pick<RouteSpec, "responses">,
  handler: (req: Request) => Promise<Response>,
): Described<(req: Request) => Promise<Response>> {
  return describe(
    async (req: Request) => {
      try {
        return withApiHeaders(await handler(req));
      } catch (error) {
        return withApiHeaders(handleError(error, randomUUID()));
      }
    },
    { summary, ...spec, access: "public" },
  );
}
