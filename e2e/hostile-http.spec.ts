// The real server under hostile HTTP: odd methods, malformed path ids (Next's routes and the fast lane),
// unknown API paths, the pages' security headers, and the cross-site page that once created a task.
import { createServer, type Server } from "node:http";
import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { apiCall, BASE } from "./support/api";
import { E2E_ADMIN, E2E_ADMIN_TOKEN, E2E_PORT } from "./support/env";
import { signIn } from "./support/session";

function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: E2E_PORT, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("odd methods, malformed path ids and unknown API paths get 4xx problem+json, never a 5xx or an HTML page", async () => {
  const cases: [string, string, number[]][] = [
    ["TRACE", "/", [405]],
    ["TRACE", "/api/v1/tasks", [405]],
    ["GET", "/api/v1/tasks/%ff", [400, 404]],
    ["GET", "/api/v1/tasks/%00", [400, 404]],
    ["GET", "/api/v1/agents/%E0%A4%A", [400, 404]],
    ["POST", "/api/v1/tasks/%ff/complete", [400]],
    ["POST", "/api/v1/tasks/%00/heartbeat", [400]],
    ["GET", "/api/v1/no-such-thing", [404]],
    ["DELETE", "/api/v1/tasks/claim/extra/segments", [404]],
  ];
  for (const [method, path, expected] of cases) {
    const res = await raw(
      method,
      path,
      { authorization: "Bearer e2e-admin-token-0123456789abcdef0123456789", "content-type": "application/json" },
      method === "POST" ? "{}" : undefined,
    );
    expect({ method, path, ok: expected.includes(res.status), status: res.status }).toMatchObject({
      method,
      path,
      ok: true,
    });
    expect(res.type).toContain("application/problem+json");
  }
});

/** Sends a 20 MB body the way a plain HTTP client does (all of it, before reading the answer). */
function bigPost(path: string, chunked: boolean): Promise<{ status: number; type: string; error?: string }> {
  const body = Buffer.alloc(20 * 1024 * 1024, 97);
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${E2E_ADMIN_TOKEN}`,
    "content-type": "application/json",
  };
  if (!chunked) headers["content-length"] = body.length;
  return new Promise((resolve) => {
    let answer: { status: number; type: string } | null = null;
    const req = httpRequest({ host: "127.0.0.1", port: E2E_PORT, method: "POST", path, headers }, (res) => {
      answer = { status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? "") };
      res.resume();
      res.on("end", () => resolve(answer!));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ ...(answer ?? { status: 0, type: "" }), error: e.code }));
    if (chunked) {
      for (let i = 0; i < 20; i++) req.write(body.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
      req.end();
    } else req.end(body);
  });
}

test("a 20 MB body gets a 413 problem, read whole by the client — never a broken pipe (Next's routes and the fast lane)", async () => {
  for (const path of ["/api/v1/tasks", "/api/v1/votes", "/api/v1/tasks/claim", "/api/v1/tasks/t_1/complete"]) {
    for (const chunked of [false, true]) {
      const res = await bigPost(path, chunked);
      const what = `${path}${chunked ? " (chunked)" : ""}`;
      expect(res.error, what).toBeUndefined();
      expect(res.status, what).toBe(413);
      expect(res.type, what).toContain("application/problem+json");
    }
  }
});

test("the fast lane decodes path ids like every other route", async () => {
  const created = await apiCall("/tasks", { body: { title: "Encoded id", type: "fastlane-decode", assignee: "kimi" } });
  const encoded = encodeURIComponent(created.body.id).replace(/-/g, "%2D");
  const res = await raw(
    "POST",
    `/api/v1/tasks/${encoded}/heartbeat`,
    { authorization: "Bearer e2e-admin-token-0123456789abcdef0123456789", "content-type": "application/json" },
    "{}",
  );
  // The admin is not the holder: 403 about the real task, not 404 about "task%2D…".
  expect(res.status).toBe(403);
});

test("pages carry a nonce-based CSP, refuse framing and never run an inline script without the nonce", async ({
  page,
}) => {
  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()["x-content-type-options"]).toBe("nosniff");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const inline = await page
    .locator("script:not([src])")
    .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(inline.length).toBeGreaterThan(0);
  expect(inline.every((n) => n === nonce)).toBe(true);
  // The page works under its policy: signing in succeeds.
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
});

test("a page on another port of the same host cannot make the signed-in admin create a task", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const title = `CSRF ${Date.now()}`;
  const attack = `<!doctype html><script>
    fetch(${JSON.stringify(`${BASE}/api/v1/tasks`)}, { method: "POST", mode: "no-cors", credentials: "include",
      headers: { "Content-Type": "text/plain; charset=json" },
      body: JSON.stringify({ title: ${JSON.stringify(title)}, type: "research", priority: "urgent" }) })
      .finally(() => { document.title = "sent"; });
  </script>`;
  const evil: Server = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(attack));
  await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
  try {
    const port = (evil.address() as { port: number }).port;
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page).toHaveTitle("sent");
  } finally {
    evil.close();
  }
  const found = await apiCall(`/tasks?q=${encodeURIComponent(title)}`);
  expect(found.body.items).toEqual([]);
});

test("a deep link returns there after sign-in, and a crafted callbackUrl cannot leave the app", async ({ page }) => {
  await page.goto("/queue?state=failed");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${BASE}/queue?state=failed`);

  // Leave the signed-in page first: once its cookies are gone, its own live stream would send it to sign in (with
  // its own address as the callbackUrl), racing the navigation below.
  await page.goto("about:blank");
  await page.context().clearCookies();
  await page.goto("/login?callbackUrl=/%5Cevil.example");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(BASE);
});

test("signing out ends the session on the server: the old cookie is refused afterwards", async ({ page, context }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!;
  const asBrowser = { cookie: `${cookie.name}=${cookie.value}` };
  expect((await fetch(`${BASE}/api/v1/me`, { headers: asBrowser })).status).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await fetch(`${BASE}/api/v1/me`, { headers: asBrowser })).status).toBe(401);
});

test("a tab whose session ended elsewhere goes to sign-in by itself (back here afterwards) and stops knocking", async ({
  page,
  context,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/queue?state=pending");
  await expect(page.locator("html[data-live=on]")).toHaveCount(1);
  // Signed out in another tab: the server ends the session; this tab still holds its stream and its queries.
  const other = await context.newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveURL(/\/login/);
  await other.close();

  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueue%3Fstate%3Dpending$/, { timeout: 15_000 });
  const knocks: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/")) knocks.push(r.url());
  });
  await page.waitForTimeout(4_000);
  expect(knocks).toEqual([]);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${BASE}/queue?state=pending`);
});
