// Issue 24 in the browser: an admin adds a webhook on the Webhooks page (the secret shown once), sends a test, sees a
// real escalation arrive signed at a receiver, replays it with the same webhook-id, rotates the secret; people choose
// what reaches them by mail; a device opted in shows a system notification for a new escalation while the tab is
// hidden, and clicking it opens the card.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { agentToken, apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

interface Got {
  headers: Record<string, string>;
  body: string;
}

async function receiver(script: number[] = []) {
  const got: Got[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(script.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server };
}

/** A vote two agents tie on: vote.escalated and escalation.opened. */
async function tie(question: string): Promise<string> {
  const v = await apiCall("/votes", { body: { question, options: ["a", "b"], voters: ["claude", "kimi"] } });
  for (const [agent, option] of [
    ["claude", "a"],
    ["kimi", "b"],
  ] as const)
    await apiCall(`/votes/${v.body.id}/ballots`, { token: await agentToken(agent), body: { option, confidence: 0.8 } });
  return v.body.id;
}

test("an admin adds a webhook, tests it, receives a real escalation signed, replays it, rotates the secret", async ({
  page,
}) => {
  const r = await receiver();
  try {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await navigate(page, "Webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    // A private address is refused, saying why, and nothing is added.
    await page.getByLabel("URL").fill("http://10.0.0.1/hook");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText(/private address: webhooks do not go there/)).toBeVisible();

    await page.getByLabel("URL").fill(r.url);
    await page.getByLabel("Description").fill("The on-call receiver");
    await page.getByRole("checkbox", { name: /vote\.escalated/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByRole("region", { name: `Webhook ${r.url}` });
    await expect(card).toContainText("The on-call receiver");
    await expect(card).toContainText("escalation.opened");

    await card.getByRole("button", { name: "Send test" }).click();
    await expect(card.getByText(/Test delivered: 200/)).toBeVisible();
    expect(r.got).toHaveLength(1);
    expect((new Webhook(secret).verify(r.got[0]!.body, r.got[0]!.headers) as { type: string }).type).toBe(
      "webhook.test",
    );

    // A real tie: both events arrive within seconds, signed; the page lists them.
    const voteId = await tie("Which queue for the webhooks?");
    await expect.poll(() => r.got.length, { timeout: 10_000 }).toBe(3);
    const types = r.got.map((g) => (new Webhook(secret).verify(g.body, g.headers) as { type: string }).type).sort();
    expect(types).toEqual(["escalation.opened", "vote.escalated", "webhook.test"]);
    const escalated = r.got.find((g) => g.body.includes('"vote.escalated"'))!;
    expect(JSON.parse(escalated.body).data.question).toBe("Which queue for the webhooks?");
    expect(JSON.parse(escalated.body).data.url).toContain(`/votes/${voteId}`);
    const row = card.locator(`tr[data-delivery="${escalated.headers["webhook-id"]}"]`);
    await expect(row).toContainText("Delivered", { timeout: 10_000 });

    // A replay by hand: the same webhook-id once more.
    await row.getByRole("button", { name: /Replay/ }).click();
    await expect.poll(() => r.got.length).toBe(4);
    expect(r.got[3]!.headers["webhook-id"]).toBe(escalated.headers["webhook-id"]);
    await row.getByText(/^2 · 200/).click();
    await expect(row.getByText("(by hand)")).toBeVisible();

    await card.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    const rotated = (await card.getByTestId("webhook-secret").textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(card.getByText(/Old secret signs until/)).toBeVisible();

    await card.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await expect(card).toHaveCount(0);
  } finally {
    r.server.close();
  }
});

test("members do not see webhooks: no menu entry, the page says admins only, the API answers 403", async ({ page }) => {
  const email = `hooks-member-${Date.now() % 100000}@example.com`;
  await apiCall("/users", { body: { email, name: "Mo Member", role: "member", password: "member-password-1" } });
  await signIn(page, email, "member-password-1");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  await page.goto("/webhooks");
  await expect(page.getByText("Admins only")).toBeVisible();
  const res = await page.request.get("/api/v1/webhooks");
  expect(res.status()).toBe(403);
});

test("a person chooses what reaches them by mail; the choice is kept", async ({ page }) => {
  const email = `notify-${Date.now() % 100000}@example.com`;
  await apiCall("/users", { body: { email, name: "Nora Notify", role: "member", password: "member-password-1" } });
  await signIn(page, email, "member-password-1");
  await page.goto("/account");
  const card = page.getByRole("region", { name: "Notifications" });
  await expect(card).toContainText(email);
  await expect(card.getByText("Mail is off in this federation")).toBeVisible();
  await card.getByLabel(/A task fails/).selectOption("digest");
  await expect(card.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("region", { name: "Notifications" }).getByLabel(/A task fails/)).toHaveValue("digest");
  expect((await page.request.get("/api/v1/me/notifications")).ok()).toBe(true);
});

test("a device opted in gets a system notification for a new escalation while the tab is hidden; clicking it opens the card", async ({
  page,
}) => {
  // The page's Notification and visibility, observed: headless Chromium shows no system notifications itself.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __notes: { title: string; body: string; tag: string }[];
      __hidden: boolean;
      __last: { onclick: (() => void) | null };
    };
    w.__notes = [];
    w.__hidden = false;
    Object.defineProperty(document, "visibilityState", { get: () => (w.__hidden ? "hidden" : "visible") });
    class FakeNotification {
      static permission: NotificationPermission =
        (localStorage.getItem("fake-permission") as NotificationPermission) ?? "default";
      static async requestPermission() {
        FakeNotification.permission = "granted";
        localStorage.setItem("fake-permission", "granted");
        return "granted" as const;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string; tag: string }) {
        w.__notes.push({ title, body: options.body, tag: options.tag });
        w.__last = this;
      }
      close() {}
    }
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/account");
  const card = page.getByRole("region", { name: "Notifications" });
  await expect(card.getByTestId("browser-notify-state")).toContainText("Off");
  await card.getByRole("button", { name: "Turn on notifications" }).click();
  await expect(card.getByTestId("browser-notify-state")).toContainText("A system notification for each new escalation");

  // Visible tab: nothing pops up.
  await page.goto("/");
  await expect(page.locator("html[data-live=on]")).toHaveCount(1);
  await tie("Seen while looking?");
  await page.waitForTimeout(2500);
  expect(await page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes.length)).toBe(0);

  // Hidden tab: one notification naming the question.
  await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
  await tie("Decide while away?");
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __notes: { body: string }[] }).__notes), {
      timeout: 10_000,
    })
    .toEqual([
      expect.objectContaining({
        title: "Federation: a decision is needed",
        body: expect.stringContaining("Decide while away?"),
      }),
    ]);
  const tag = await page.evaluate(() => (window as unknown as { __notes: { tag: string }[] }).__notes[0]!.tag);
  expect(tag).toMatch(/^esc-/);
  await page.evaluate(() => (window as unknown as { __last: { onclick: () => void } }).__last.onclick());
  await expect(page).toHaveURL(new RegExp(`/escalations#${tag}$`));
  await expect(page.locator(`[data-escalation="${tag}"]`)).toBeFocused();
});
