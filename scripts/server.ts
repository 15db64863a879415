// The production server: Next.js for pages and most routes, and a fast lane for the agents' hot queue
// routes. The fast lane calls the very same route handlers (app/api/v1/…/route.ts) but skips Next's
// router, which costs more CPU per request than the claim itself.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const FAST_LANE: { pattern: RegExp; handler: Handler }[] = [
  { pattern: /^\/api\/v1\/tasks\/claim$/, handler: claim.POST as Handler },
  { pattern: /^\/api\/v1\/tasks\/(?<id>[^/]+)\/complete$/, handler: complete.POST as Handler },
  { pattern: /^\/api\/v1\/tasks\/(?<id>[^/]+)\/heartbeat$/, handler: heartbeat.POST as Handler },
];

const FAST_LANE_BODY_LIMIT = 1024 * 1024; // the route wrapper enforces the API's own 64 KiB limit

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > FAST_LANE_BODY_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function toRequest(req: IncomingMessage, url: URL): Promise<Request> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
    else if (value !== undefined) headers.set(key, value);
  }
  // Buffered rather than streamed: agent requests are small, and a stream costs more than the claim.
  return new Request(url, { method: req.method, headers, body: new Uint8Array(await readBody(req)) });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const app = next({ dev: false, dir: process.cwd(), port, hostname: host });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer(async (req, res) => {
  try {
    if (req.method === "POST" && req.url) {
      const url = new URL(req.url, `http://${req.headers.host ?? "localhost"}`);
      for (const lane of FAST_LANE) {
        const match = lane.pattern.exec(url.pathname);
        if (match) {
          await send(res, await lane.handler(await toRequest(req, url), { params: Promise.resolve({ ...match.groups }) }));
          return;
        }
      }
    }
    await handle(req, res);
  } catch (error) {
    console.error("request failed", error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/problem+json" });
    res.end(JSON.stringify({ type: "about:blank", title: "Internal server error", status: 500, detail: "Something went wrong on our side." }));
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
