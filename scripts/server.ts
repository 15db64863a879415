// The production server: Next.js for pages and most routes, and a fast lane for the agents' hot queue
// routes. The fast lane calls the very same route handlers (app/api/v1/…/route.ts) but skips Next's
// router, which costs more CPU per request than the claim itself. Every request gets the client address
// this server vouches for (lib/http/client-address.ts); methods no route serves are refused up front.
import "./check-settings";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxies } from "@/lib/http/client-address";
import { withApiHeaders } from "@/lib/http/headers";
import { databaseAwaySince } from "@/lib/db/client";
import { BODY_LIMIT, DRAIN_LIMIT } from "@/lib/http/route";
import { BadRequest } from "@/lib/errors";
import { decodePathSegment } from "@/lib/http/hostile-input";
import { problem } from "@/lib/http/problem";
import { setting } from "@/lib/config/settings";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const FAST_LANE: { pattern: RegExp; handler: Handler }[] = [
  { pattern: /^\/api\/v1\/tasks\/claim$/, handler: claim.POST as Handler },
  { pattern: /^\/api\/v1\/tasks\/(?<id>[^/]+)\/complete$/, handler: complete.POST as Handler },
  { pattern: /^\/api\/v1\/tasks\/(?<id>[^/]+)\/heartbeat$/, handler: heartbeat.POST as Handler },
];

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const trusted = trustedProxies();

/**
 * The body, whole up to the API's limit. A bigger one is read to its end and thrown away (up to DRAIN_LIMIT), so a
 * client still writing it reads the route's 413 instead of a broken pipe; the route sees a body over its limit.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT) break;
    if (size - (chunk as Buffer).length <= BODY_LIMIT) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function toRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Request> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
    else if (value !== undefined) headers.set(key, value);
  }
  // Buffered rather than streamed: agent requests are small, and a stream costs more than the claim.
  // Aborted when the client goes away (a long-poll claim stops waiting and gives back what it took).
  const gone = new AbortController();
  // Only a client that left before its answer aborts (an abort builds a DOMException: not on every request).
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  return new Request(url, {
    method: req.method,
    headers,
    body: new Uint8Array(await readBody(req)),
    signal: gone.signal,
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/**
 * A page that failed while the database was away (its connections refused, reset or silent) is answered 503 with
 * Retry-After — the page itself says the server cannot reach its data and retries — not 500, which would read as
 * a bug to a person and to a load balancer alike.
 */
function answerOutageAs503(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
    const status = typeof args[0] === "number" ? args[0] : res.statusCode;
    if (status === 500 && databaseAwaySince() !== null) {
      if (typeof args[0] === "number") args[0] = 503;
      if (typeof args[1] === "string") args[1] = "Service Unavailable";
      res.statusCode = 503;
      res.setHeader("Retry-After", "5");
    }
    return writeHead(...args);
  };
}

/** Decodes the fast lane's path parameters as Next decodes the others'; a malformed one is a 400. */
function decodeGroups(groups: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(groups ?? {}).map(([k, v]) => [k, decodePathSegment(v)]));
}

const port = setting("PORT");
const host = setting("HOST") ?? "0.0.0.0";
const app = next({ dev: false, dir: process.cwd(), port, hostname: host });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer(async (req, res) => {
  try {
    const forwarded = req.headers["x-forwarded-for"];
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(
      req.socket.remoteAddress,
      Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
      trusted,
    );
    if (!ALLOWED_METHODS.has(req.method ?? "")) {
      await send(
        res,
        withApiHeaders(
          problem(405, "Method not allowed", `${req.method} is not served here.`, undefined, {
            Allow: [...ALLOWED_METHODS].join(", "),
          }),
        ),
      );
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      // Next answers a path segment that is not valid percent-encoded UTF-8 (`%ff`) with a 500.
      url.pathname.split("/").forEach(decodePathSegment);
    } catch (error) {
      const detail = error instanceof BadRequest ? error.message : "The request's URL or Host header is malformed.";
      await send(res, withApiHeaders(problem(400, "Bad request", detail)));
      return;
    }
    if (req.method === "POST") {
      for (const lane of FAST_LANE) {
        const match = lane.pattern.exec(url.pathname);
        if (match) {
          let params: Record<string, string>;
          try {
            params = decodeGroups(match.groups);
          } catch (error) {
            await send(res, withApiHeaders(problem(400, "Bad request", (error as Error).message)));
            return;
          }
          await send(res, await lane.handler(await toRequest(req, res, url), { params: Promise.resolve(params) }));
          return;
        }
      }
    }
    if (!url.pathname.startsWith("/api/")) answerOutageAs503(res);
    await handle(req, res);
  } catch (error) {
    console.error("request failed", error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/problem+json" });
    res.end(
      JSON.stringify({
        type: "about:blank",
        title: "Internal server error",
        status: 500,
        detail: "Something went wrong on our side.",
      }),
    );
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`✓ Ready on http://${host}:${port}`));

const shutdown = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
