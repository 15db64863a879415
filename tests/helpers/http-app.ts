// The app's API over real HTTP on loopback, for clients that run in another process (the `fed` CLI, the Ollama
// bridge): each request goes to the route module Next.js would pick, with the same params.
import { readdirSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Module = Partial<Record<string, Handler>>;

const ROOT = path.resolve(import.meta.dirname, "../..");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? routeFiles(full) : entry === "route.ts" ? [full] : [];
  });
}

// Plain dynamic imports (not the bundler's glob), so a second instance can run this file in its own process.
const modules: Record<string, () => Promise<Module>> = Object.fromEntries(
  routeFiles(path.join(ROOT, "app/api")).map((file) => [
    "/" + path.relative(ROOT, file).split(path.sep).join("/"),
    () => import(pathToFileURL(file).href) as Promise<Module>,
  ]),
);

interface RouteEntry {
  segments: string[];
  load: () => Promise<Module>;
}

/** Static segments beat [param], which beats [...catchAll] — Next.js's order. */
const rank = (segment: string) => (segment.startsWith("[...") ? 2 : segment.startsWith("[") ? 1 : 0);

const routes: RouteEntry[] = Object.entries(modules)
  .map(([file, load]) => ({
    segments: file
      .replace(/^\/app/, "")
      .replace(/\/route\.ts$/, "")
      .split("/")
      .filter(Boolean),
    load,
  }))
  .sort((a, b) => {
    for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
      const d = rank(a.segments[i] ?? "") - rank(b.segments[i] ?? "");
      if (d) return d;
    }
    return b.segments.length - a.segments.length;
  });

function match(pathname: string): { entry: RouteEntry; params: Record<string, string | string[]> } | null {
  const parts = pathname
    .split("/")
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  for (const entry of routes) {
    const params: Record<string, string | string[]> = {};
    let ok = true;
    for (let i = 0; i < entry.segments.length && ok; i++) {
      const seg = entry.segments[i]!;
      if (seg.startsWith("[...")) {
        if (i >= parts.length) ok = false;
        else params[seg.slice(4, -1)] = parts.slice(i);
        return ok ? { entry, params } : null;
      }
      if (i >= parts.length) ok = false;
      else if (seg.startsWith("[")) params[seg.slice(1, -1)] = parts[i]!;
      else if (seg !== parts[i]) ok = false;
    }
    if (ok && entry.segments.length === parts.length) return { entry, params };
  }
  return null;
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const url = new URL(req.url ?? "/", origin);
  const found = match(url.pathname);
  const method = req.method ?? "GET";
  const handler = found ? (await found.entry.load())[method] : undefined;
  if (!found || !handler) {
    res.writeHead(found ? 405 : 404, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ title: found ? "Method not allowed" : "Not found", status: found ? 405 : 404 }));
    return;
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const body = method === "GET" || method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream);
  const request = new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(found.params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on("close", () => void reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

export interface HttpApp {
  url: string;
  close(): Promise<void>;
}

/** Serves the API on 127.0.0.1 on a free port. */
export async function startHttpApp(): Promise<HttpApp> {
  let origin = "";
  const server: Server = createServer((req, res) => {
    handle(req, res, origin).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
