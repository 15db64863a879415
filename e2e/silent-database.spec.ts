// A silent database (a network partition: connections open, no byte comes back). Between the app and PostgreSQL
// sits a TCP proxy that can hold every byte in both directions. While it holds, the API answers 503 with
// Retry-After and pages answer, each within 15 s; once it lets bytes through again, the same calls succeed within
// 10 s, with no restart.
import { createServer, Socket, type Server } from "node:net";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { E2E_ADMIN, E2E_ADMIN_TOKEN } from "./support/env";
import { AppServer } from "./support/server";

/** A TCP proxy that forwards, or holds every byte (both ways) while `hold` is on; what it held flows on release. */
class HoldingProxy {
  private server: Server;
  private held = false;
  private readonly waiting: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly upstreamPort: number,
  ) {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.upstreamPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      const pipe = (from: Socket, to: Socket) =>
        from.on("data", (chunk) => {
          if (this.held) this.waiting.push(() => to.write(chunk));
          else to.write(chunk);
        });
      pipe(client, upstream);
      pipe(upstream, client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    for (const flush of this.waiting.splice(0)) flush();
  }

  /** The database refuses connections: nothing listens on the port, and open connections are cut. */
  async refuse(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async accept(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }
}

interface Upstream {
  host: string;
  port: number;
  url: (port: number) => string;
  dispose: () => Promise<void>;
}

/** The real PostgreSQL of E2E_DATABASE_URL (a database of this spec's own), or an embedded one. */
async function upstreamDatabase(): Promise<Upstream> {
  const server = process.env.E2E_DATABASE_URL;
  if (server) {
    const base = new URL(server);
    const name = `fed_e2e_silent_${process.pid}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    return {
      host: base.hostname,
      port: Number(base.port || 5432),
      url: (port) => {
        const via = new URL(server);
        via.hostname = "127.0.0.1";
        via.port = String(port);
        via.pathname = `/${name}`;
        return via.href;
      },
      dispose: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase();
  return {
    host: "127.0.0.1",
    port: embedded.port,
    url: (port) => {
      const via = new URL(embedded.url);
      via.port = String(port);
      return via.href;
    },
    dispose: () => embedded.stop(),
  };
}

async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await call();
  return { ms: Date.now() - start, value };
}

test("a silent database: 503 with Retry-After and pages answer within 15 s; back to 200 within 10 s of its return, no restart", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const upstream = await upstreamDatabase();
  const proxy = new HoldingProxy(upstream.host, upstream.port);
  await proxy.start();
  const app = new AppServer(3292, { DATABASE_URL: upstream.url(proxy.port) });
  try {
    await app.start();
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, "content-type": "application/json" },
        signal: AbortSignal.timeout(60_000),
      });
    // An agent with a token, a task for it, and a person signed in: all before the silence.
    expect((await api("/agents", { method: "POST", body: JSON.stringify({ name: "quiet" }) })).status).toBe(201);
    const agentToken = (await (await api("/agents/quiet/tokens", { method: "POST", body: "{}" })).json()).token;
    const claim = () =>
      fetch(`${app.url}/api/v1/tasks/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json" },
        body: JSON.stringify({ leaseSeconds: 60 }),
        signal: AbortSignal.timeout(60_000),
      });
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const queuePage = () => fetch(`${app.url}/queue`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
    expect((await api("/tasks")).status).toBe(200);

    proxy.hold();
    const [list, claimed, board] = await Promise.all([timed(() => api("/tasks")), timed(claim), timed(queuePage)]);
    for (const [what, r] of [
      ["GET /tasks", list],
      ["a claim", claimed],
    ] as const) {
      expect(r.ms, `${what} answered in ${r.ms} ms`).toBeLessThan(15_000);
      expect(r.value.status, what).toBe(503);
      expect(r.value.headers.get("retry-after"), what).toMatch(/^\d+$/);
      expect(r.value.headers.get("content-type"), what).toContain("application/problem+json");
    }
    expect(board.ms, `the queue page answered in ${board.ms} ms`).toBeLessThan(15_000);
    expect(board.value.status).toBeGreaterThanOrEqual(200);

    proxy.release();
    const back = Date.now();
    // Within 10 s of the database's return, the same calls succeed (each tried until then, no restart).
    const untilOk = async (what: string, call: () => Promise<Response>, ok: number[]) => {
      for (;;) {
        const res = await call();
        if (ok.includes(res.status)) return Date.now() - back;
        if (Date.now() - back > 10_000) throw new Error(`${what} still answers ${res.status} 10 s after the return`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    expect(await untilOk("GET /tasks", () => api("/tasks"), [200])).toBeLessThan(10_000);
    expect(await untilOk("a claim", claim, [200, 204])).toBeLessThan(10_000);
    expect(await untilOk("the queue page", queuePage, [200])).toBeLessThan(10_000);
  } finally {
    proxy.release();
    await app.dispose();
    await proxy.stop();
    await upstream.dispose();
  }
});

test("a database refusing connections: the API, the CSV export and pages answer 503, sign-in says the service is unavailable; all recover", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const upstream = await upstreamDatabase();
  const proxy = new HoldingProxy(upstream.host, upstream.port);
  await proxy.start();
  const app = new AppServer(3292, { DATABASE_URL: upstream.url(proxy.port) });
  try {
    await app.start();
    const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` }) =>
      fetch(`${app.url}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await get("/api/v1/tasks.csv")).status).toBe(200);

    await proxy.refuse();
    const list = await get("/api/v1/tasks");
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).toMatch(/^\d+$/);
    // The export answers a problem before it starts a download (not a connection reset mid-file).
    const csv = await get("/api/v1/tasks.csv");
    expect(csv.status).toBe(503);
    expect(csv.headers.get("content-type")).toContain("application/problem+json");
    expect(await csv.text()).toContain("unavailable");
    // Pages: 503 with Retry-After, never a 500.
    for (const path of ["/queue", "/", "/escalations"]) {
      const res = await get(path, { cookie });
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after"), path).toMatch(/^\d+$/);
    }
    // Signing in says the service is unavailable, not that the password is wrong.
    const fresh = await page.context().browser()!.newContext();
    try {
      const signIn = await fresh.newPage();
      await signIn.goto(`${app.url}/login`);
      await signIn.getByLabel("Email").fill(E2E_ADMIN.email);
      await signIn.getByLabel("Password").fill(E2E_ADMIN.password);
      await signIn.getByRole("button", { name: "Sign in" }).click();
      await expect(signIn.getByText(/cannot reach its database/)).toBeVisible();
      await expect(signIn.getByText(/wrong email or password/i)).toHaveCount(0);
    } finally {
      await fresh.close();
    }

    await proxy.accept();
    const back = Date.now();
    for (const [path, headers] of [
      ["/api/v1/tasks", undefined],
      ["/api/v1/tasks.csv", undefined],
      ["/queue", { cookie }],
    ] as const) {
      for (;;) {
        const res = await get(path, headers);
        if (res.status === 200) break;
        if (Date.now() - back > 10_000) throw new Error(`${path} still answers ${res.status} 10 s after the return`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await app.dispose();
    await proxy.stop();
    await upstream.dispose();
  }
});
