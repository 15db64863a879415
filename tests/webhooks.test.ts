// Webhooks (issue 24): registered by admins, signed to the Standard Webhooks spec (its own library verifies them),
// delivered from an outbox written with the change — retried with the same webhook-id until they succeed, replayed
// only by hand — never to loopback, private, link-local or metadata addresses unless allowed; Slack and Discord
// posts a person reads.
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { Webhook } from "standardwebhooks";
import * as votes from "@/app/api/v1/votes/route";
import * as ballots from "@/app/api/v1/votes/[id]/ballots/route";
import * as webhooks from "@/app/api/v1/webhooks/route";
import * as webhookOne from "@/app/api/v1/webhooks/[id]/route";
import * as testRoute from "@/app/api/v1/webhooks/[id]/test/route";
import * as rotate from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import * as deliveries from "@/app/api/v1/webhooks/[id]/deliveries/route";
import * as retry from "@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/retry/route";
import { SYSTEM } from "@/lib/auth/actor";
import { NOTIFY_EVENTS } from "@/lib/notify/events";
import { startNotifier, notifyOnce } from "@/lib/notify/loop";
import { drainOutbox } from "@/lib/notify/outbox";
import { watchKpis } from "@/lib/notify/kpi-watch";
import { createUser } from "@/lib/users/service";
import { sendDueDeliveries } from "@/lib/webhooks/deliver";
import { call, sessionCookie } from "./helpers/api";
import { onRealPostgres } from "./helpers/database";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { startReceiver, typeOf, type Received } from "./helpers/receiver";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const VOTERS = ["claude", "kimi", "copilot"];
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

beforeAll(() => {
  process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  process.env.FED_PUBLIC_URL = "https://fed.example.com";
});
afterEach(async () => {
  // Each test's endpoints go, so the next test's events reach only its own receivers.
  await fed.db.prisma.webhookEndpoint.deleteMany({});
  await drainOutbox(fed.db.prisma);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  delete process.env.FED_WEBHOOK_ALLOW_HOSTS;
  delete process.env.FED_PUBLIC_URL;
});

async function receiver(script: number[] = [], answer?: string) {
  const r = await startReceiver(script, answer);
  receivers.push(r);
  return r;
}

async function register(body: Record<string, unknown>) {
  // Events already in the outbox predate this endpoint.
  await drainOutbox(fed.db.prisma);
  const res = await call(webhooks.POST, "POST", { ...admin, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

/** A vote the three agents tie on: vote.escalated and escalation.opened. */
async function tie(question = "Which language for the CLI?") {
  const v = await call(votes.POST, "POST", {
    ...admin,
    body: { question, options: ["python", "go", "typescript"], voters: VOTERS },
  });
  expect(v.status).toBe(201);
  const cast = async (agent: string, option: string, confidence: number) =>
    call(ballots.POST, "POST", {
      token: await fed.token(agent),
      params: { id: v.body.id },
      body: { option, confidence },
    });
  await cast("claude", "python", 0.8);
  await cast("kimi", "go", 0.8);
  const last = await cast("copilot", "typescript", 0.1);
  expect(last.body.result).toMatchObject({ status: "escalated", reason: "tie" });
  return v.body.id as string;
}

const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers);

test("a tie reaches a loopback receiver within 5 s as vote.escalated and escalation.opened, each verified by standardwebhooks", async () => {
  const r = await receiver();
  const hook = await register({ url: r.url, events: ["vote.escalated", "escalation.opened"] });
  expect(hook.secret).toMatch(/^whsec_/);
  const stop = startNotifier(fed.db.prisma, 200);
  try {
    const voteId = await tie();
    const started = Date.now();
    await r.waitFor((x) => typeOf(x) === "vote.escalated", 1, 5000);
    await r.waitFor((x) => typeOf(x) === "escalation.opened", 1, Math.max(0, 5000 - (Date.now() - started)));
    for (const x of r.received) {
      const payload = verify(hook.secret, x) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(payload.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(x.headers["webhook-id"]).toMatch(/^msg_/);
      expect(() => verify("whsec_" + Buffer.from("another key 123456").toString("base64"), x)).toThrow();
    }
    const escalated = JSON.parse(r.received.find((x) => typeOf(x) === "vote.escalated")!.body);
    expect(escalated.data).toMatchObject({
      id: voteId,
      question: "Which language for the CLI?",
      reason: "tie",
      url: `https://fed.example.com/votes/${voteId}`,
    });
    const opened = JSON.parse(r.received.find((x) => typeOf(x) === "escalation.opened")!.body);
    expect(opened.data).toMatchObject({ kind: "vote", subjectId: voteId, action: expect.stringMatching(/admin/) });
    expect(opened.data.url).toMatch(/^https:\/\/fed\.example\.com\/escalations#esc-/);
    // Only the events it subscribed to.
    expect(r.received.map(typeOf).sort()).toEqual(["escalation.opened", "vote.escalated"]);
  } finally {
    stop();
  }
});

test("500, 500, then 200: the same webhook-id three times on the back-off schedule, three attempts listed; once more only by a manual replay", async () => {
  const r = await receiver([500, 500]);
  const hook = await register({ url: r.url, events: ["vote.escalated"] });
  await tie("Retry me?");
  await notifyOnce(fed.db.prisma);
  await r.waitFor(() => true, 1);
  const list = async () =>
    (await call(deliveries.GET, "GET", { ...admin, params: { id: hook.id } })).body.items as {
      id: string;
      state: string;
      nextAttemptAt: string | null;
      attempts: { at: string; statusCode: number; manual: boolean }[];
    }[];
  let [d] = await list();
  expect(d!.state).toBe("pending");
  // The first retry within 10 s of the failure.
  const wait1 = Date.parse(d!.nextAttemptAt!) - Date.parse(d!.attempts[0]!.at);
  expect(wait1).toBeGreaterThan(0);
  expect(wait1).toBeLessThanOrEqual(10_000);
  // Not sent again before its time.
  expect(await sendDueDeliveries(fed.db.prisma)).toBe(0);
  const due = () =>
    fed.db.prisma.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ${d!.id}`;
  await due();
  await notifyOnce(fed.db.prisma);
  [d] = await list();
  // The second within a minute.
  const wait2 = Date.parse(d!.nextAttemptAt!) - Date.parse(d!.attempts[1]!.at);
  expect(wait2).toBeGreaterThan(10_000);
  expect(wait2).toBeLessThanOrEqual(60_000);
  await due();
  await notifyOnce(fed.db.prisma);
  [d] = await list();
  expect(d!.state).toBe("delivered");
  expect(d!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  expect(r.received).toHaveLength(3);
  expect(new Set(r.received.map((x) => x.headers["webhook-id"]))).toEqual(new Set([d!.id]));
  expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
  for (const x of r.received) verify(hook.secret, x);

  // Delivered: nothing more, however often the notifier runs.
  await fed.db.prisma.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ${d!.id}`;
  for (let i = 0; i < 3; i++) await notifyOnce(fed.db.prisma);
  expect(r.received).toHaveLength(3);
  const replay = await call(retry.POST, "POST", { ...admin, params: { id: hook.id, deliveryId: d!.id } });
  expect(replay.status).toBe(200);
  expect(replay.body.attempts.at(-1)).toMatchObject({ statusCode: 200, manual: true });
  expect(r.received).toHaveLength(4);
  expect(r.received[3]!.headers["webhook-id"]).toBe(d!.id);
  expect((await call(retry.POST, "POST", { ...admin, params: { id: hook.id, deliveryId: "msg_nope" } })).status).toBe(
    404,
  );
});

test.each([
  "http://169.254.169.254/",
  "http://10.0.0.1/",
  "http://[::1]/",
  "http://localhost:8080/hook",
  "http://127.0.0.1:9/",
])("registering %s without the allowance → 422, and nothing is stored", async (url) => {
  delete process.env.FED_WEBHOOK_ALLOW_HOSTS;
  try {
    const res = await call(webhooks.POST, "POST", { ...admin, body: { url, events: ["task.failed"] } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors[0].path).toBe("url");
    expect((await call(webhooks.GET, "GET", admin)).body.items).toEqual([]);
  } finally {
    process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  }
});

test("the address is checked when connecting: a name that now resolves to loopback is refused, nothing sent", async () => {
  const r = await receiver();
  process.env.FED_WEBHOOK_ALLOW_HOSTS = "localhost";
  const hook = await register({ url: r.url.replace("127.0.0.1", "localhost"), events: ["vote.escalated"] });
  // The allowance goes: the name resolves to 127.0.0.1 at send time.
  process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  const sent = await call(testRoute.POST, "POST", { ...admin, params: { id: hook.id } });
  expect(sent.status).toBe(200);
  expect(sent.body.state).toBe("pending");
  expect(sent.body.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/loopback/) });
  expect(r.received).toHaveLength(0);
});

test("bad bodies are 422 problem+json; unknown ids 404", async () => {
  const bad = [
    { url: "http://127.0.0.1:1/", events: [] },
    { url: "http://127.0.0.1:1/", events: ["task.exploded"] },
    { url: "ftp://127.0.0.1/", events: ["task.failed"] },
    { url: "http://127.0.0.1:1/", events: ["task.failed"], format: "teams" },
    { url: "http://127.0.0.1:1/", events: ["task.failed"], secret: "mine" },
  ];
  for (const body of bad)
    expect((await call(webhooks.POST, "POST", { ...admin, body })).status, JSON.stringify(body)).toBe(422);
  expect(
    (await call(webhookOne.PATCH, "PATCH", { ...admin, params: { id: "wh_nope" }, body: { enabled: false } })).status,
  ).toBe(404);
  expect((await call(webhookOne.DELETE, "DELETE", { ...admin, params: { id: "wh_nope" } })).status).toBe(404);
  expect((await call(rotate.POST, "POST", { ...admin, params: { id: "wh_nope" } })).status).toBe(404);
  expect((await call(deliveries.GET, "GET", { ...admin, params: { id: "wh_nope" } })).status).toBe(404);
});

test("only admins see or change webhooks: members, viewers and agents get 403", async () => {
  const r = await receiver();
  const hook = await register({ url: r.url, events: ["task.failed"] });
  const member = await createUser(fed.db.prisma, SYSTEM, {
    email: "hook-member@example.com",
    name: "M",
    role: "member",
    password: "member-password-1",
  });
  const viewer = await createUser(fed.db.prisma, SYSTEM, {
    email: "hook-viewer@example.com",
    name: "V",
    role: "viewer",
    password: "viewer-password-1",
  });
  for (const as of [
    { cookie: await sessionCookie(member.user.id) },
    { cookie: await sessionCookie(viewer.user.id) },
    { token: await fed.token("kimi") },
  ]) {
    expect((await call(webhooks.GET, "GET", as)).status).toBe(403);
    expect((await call(webhooks.POST, "POST", { ...as, body: { url: r.url, events: ["task.failed"] } })).status).toBe(
      403,
    );
    expect(
      (await call(webhookOne.PATCH, "PATCH", { ...as, params: { id: hook.id }, body: { enabled: false } })).status,
    ).toBe(403);
    expect((await call(webhookOne.DELETE, "DELETE", { ...as, params: { id: hook.id } })).status).toBe(403);
    expect((await call(testRoute.POST, "POST", { ...as, params: { id: hook.id } })).status).toBe(403);
    expect((await call(rotate.POST, "POST", { ...as, params: { id: hook.id } })).status).toBe(403);
    expect((await call(deliveries.GET, "GET", { ...as, params: { id: hook.id } })).status).toBe(403);
  }
  expect(r.received).toHaveLength(0);
  const listed = (await call(webhooks.GET, "GET", admin)).body.items;
  expect(listed).toHaveLength(1);
  expect(listed[0]).not.toHaveProperty("secret");
});

test("a Slack endpoint receives { text } naming the vote's question and linking to it; Discord gets content and an embed", async () => {
  const slack = await receiver();
  const discord = await receiver();
  await register({ url: slack.url, events: ["vote.escalated"], format: "slack" });
  await register({ url: discord.url, events: ["vote.escalated"], format: "discord" });
  const voteId = await tie("Ship on Friday?");
  await notifyOnce(fed.db.prisma);
  const [s] = await slack.waitFor(() => true);
  const body = JSON.parse(s!.body);
  expect(Object.keys(body)).toEqual(["text"]);
  expect(body.text).toContain("Ship on Friday?");
  expect(body.text).toContain(`<https://fed.example.com/votes/${voteId}|`);
  expect(body.text).toMatch(/tied/);
  expect(body.text).toMatch(/admin must/i);
  const [dc] = await discord.waitFor(() => true);
  const d = JSON.parse(dc!.body);
  expect(d.content).toContain("Ship on Friday?");
  expect(d.embeds[0].url).toBe(`https://fed.example.com/votes/${voteId}`);
});

test("rotating the secret: deliveries carry both signatures for 24 h, each verifies; the old secret alone still works meanwhile", async () => {
  const r = await receiver();
  const hook = await register({ url: r.url, events: ["vote.escalated"] });
  const rotated = await call(rotate.POST, "POST", { ...admin, params: { id: hook.id } });
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).toMatch(/^whsec_/);
  expect(rotated.body.secret).not.toBe(hook.secret);
  expect(Date.parse(rotated.body.rotatingUntil) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
  const sent = await call(testRoute.POST, "POST", { ...admin, params: { id: hook.id } });
  expect(sent.body.state).toBe("delivered");
  const [x] = r.received;
  expect(x!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
  verify(rotated.body.secret, x!);
  verify(hook.secret, x!);
  // After the 24 h, only the new one signs.
  await fed.db.prisma.webhookEndpoint.update({
    where: { id: hook.id },
    data: { previousSecretUntil: new Date(Date.now() - 1) },
  });
  await call(testRoute.POST, "POST", { ...admin, params: { id: hook.id } });
  expect(r.received[1]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
  expect(() => verify(hook.secret, r.received[1]!)).toThrow();
});

test("retries stop after 24 h (the delivery fails); an endpoint failing for 5 days is disabled and the log says why", async () => {
  const r = await receiver([500, 500, 500]);
  const hook = await register({ url: r.url, events: ["vote.escalated"] });
  await tie("Will this ever arrive?");
  await drainOutbox(fed.db.prisma);
  await fed.db.prisma
    .$executeRaw`UPDATE webhook_deliveries SET created_at = now() - interval '24 hours' WHERE endpoint_id = ${hook.id}`;
  await sendDueDeliveries(fed.db.prisma);
  const [d] = (await call(deliveries.GET, "GET", { ...admin, params: { id: hook.id } })).body.items;
  expect(d).toMatchObject({ state: "failed", nextAttemptAt: null });
  // A first failure six days ago and the next three days ago is no streak: a quiet day starts the count again.
  const failing = (since: number, last: number) =>
    fed.db.prisma.webhookEndpoint.update({
      where: { id: hook.id },
      data: {
        failingSince: new Date(Date.now() - since * 86_400_000),
        lastFailureAt: new Date(Date.now() - last * 86_400_000),
      },
    });
  await failing(6, 3);
  await call(testRoute.POST, "POST", { ...admin, params: { id: hook.id } });
  const [still] = (await call(webhooks.GET, "GET", admin)).body.items;
  expect(still).toMatchObject({ enabled: true });
  expect(Date.now() - Date.parse(still.failingSince)).toBeLessThan(60_000);
  // Failing for six days without a quiet day: the next failures disable it — once, though two fail at the same moment.
  await failing(6, 0.1);
  const ids = [1, 2].map((i) => `msg_disable_${i}_${hook.id}`);
  await fed.db.prisma.webhookDelivery.createMany({
    data: ids.map((id) => ({
      id,
      endpointId: hook.id,
      eventType: "webhook.test",
      body: "{}",
      nextAttemptAt: new Date(),
    })),
  });
  await sendDueDeliveries(fed.db.prisma);
  const [w] = (await call(webhooks.GET, "GET", admin)).body.items;
  expect(w).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/5 days/) });
  const logged = await fed.db.prisma.auditEvent.findMany({
    where: { action: "webhook.disabled", subject: `webhook:${hook.id}` },
  });
  expect(logged).toHaveLength(1);
  // The log names the host, never the URL (a Slack URL is a secret), and not the receiver's words.
  expect(JSON.stringify(logged[0]!.details)).not.toContain("/hook");
  // A disabled endpoint gets nothing; enabling it again clears the failure.
  const sent = r.received.length;
  await tie("Disabled?");
  await notifyOnce(fed.db.prisma);
  expect(r.received).toHaveLength(sent);
  // Enabling it again clears the failure; what waited longer than a day is given up, not sent days late.
  await fed.db.prisma.webhookDelivery.updateMany({ where: { endpointId: hook.id }, data: { state: "pending" } });
  await fed.db.prisma.$executeRaw`
    UPDATE webhook_deliveries SET created_at = now() - interval '2 days' WHERE id = ${ids[0]}`;
  const enabled = await call(webhookOne.PATCH, "PATCH", { ...admin, params: { id: hook.id }, body: { enabled: true } });
  expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  const states = await fed.db.prisma.webhookDelivery.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
  expect(states.map((x) => x.state)).toEqual(["failed", "pending"]);
});

test("an answer holding a NUL or half a character is kept cleaned, and the attempt recorded", async () => {
  // 1 + 600 × 2 UTF-16 units: the 1 024-unit excerpt ends inside a surrogate pair.
  const r = await receiver([500], "\u0000" + "😀".repeat(600));
  const hook = await register({ url: r.url, events: ["vote.escalated"] });
  await call(testRoute.POST, "POST", { ...admin, params: { id: hook.id } });
  const [d] = (await call(deliveries.GET, "GET", { ...admin, params: { id: hook.id } })).body.items;
  expect(d).toMatchObject({ state: "pending", attempts: [{ statusCode: 500 }] });
  const excerpt = d.attempts[0].responseExcerpt as string;
  expect(excerpt.startsWith("😀")).toBe(true);
  expect(excerpt).not.toContain("\u0000");
  expect(excerpt).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
});

test("a replay by hand while the delivery is being sent is refused (409), not sent twice at once", async () => {
  const r = await receiver();
  const hook = await register({ url: r.url, events: ["vote.escalated"] });
  const id = `msg_leased_${hook.id}`;
  await fed.db.prisma.webhookDelivery.create({
    data: {
      id,
      endpointId: hook.id,
      eventType: "webhook.test",
      body: "{}",
      nextAttemptAt: new Date(),
      lockedUntil: new Date(Date.now() + 60_000),
    },
  });
  const res = await call(retry.POST, "POST", { ...admin, params: { id: hook.id, deliveryId: id } });
  expect(res.status).toBe(409);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(r.received).toHaveLength(0);
  // Nor does the schedule take it while it is held.
  expect(await sendDueDeliveries(fed.db.prisma)).toBe(0);
});

test("kpi.status_changed: a phase KPI moving between ok / warn / bad is told once, with its value and target", async () => {
  const r = await receiver();
  await register({ url: r.url, events: ["kpi.status_changed"] });
  // Five votes the agents settle: the vote-resolution KPI has enough data, and is ok.
  for (let i = 0; i < 5; i++) {
    const v = await call(votes.POST, "POST", {
      ...admin,
      body: { question: `Settled ${i}?`, options: ["y", "n"], voters: ["claude", "kimi"] },
    });
    for (const agent of ["claude", "kimi"])
      await call(ballots.POST, "POST", {
        token: await fed.token(agent),
        params: { id: v.body.id },
        body: { option: "y", confidence: 0.9 },
      });
  }
  await watchKpis(fed.db.prisma);
  // As if it had been otherwise when last seen.
  const now = (await fed.db.prisma.kpiState.findUniqueOrThrow({ where: { name: "voteResolutionRate" } })).status;
  const before = now === "bad" ? "ok" : "bad";
  await fed.db.prisma.kpiState.update({ where: { name: "voteResolutionRate" }, data: { status: before } });
  expect(await watchKpis(fed.db.prisma)).toContain("voteResolutionRate");
  expect(await watchKpis(fed.db.prisma)).toEqual([]);
  await notifyOnce(fed.db.prisma);
  const got = await r.waitFor((x) => typeOf(x) === "kpi.status_changed");
  expect(got).toHaveLength(1);
  const body = JSON.parse(got[0]!.body);
  expect(body.data).toMatchObject({ kpi: "voteResolutionRate", from: before, to: now, target: 0.8 });
  expect(body.data.url).toBe("https://fed.example.com/analytics");
});

test("the outbox trigger lists exactly the events one can subscribe to", async () => {
  const [row] = await fed.db.prisma.$queryRaw<{ def: string }[]>`
    SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgname = 'audit_events_notification_outbox'`;
  const listed = [...row!.def.matchAll(/'([a-z_]+\.[a-z_]+)'/g)].map((m) => m[1]).sort();
  expect(listed).toEqual([...NOTIFY_EVENTS].sort());
});

test.skipIf(!onRealPostgres)(
  "kill -9 between the change and the delivery: the change's instance dies at once, another delivers it, once (real PostgreSQL)",
  async () => {
    const r = await receiver();
    await register({ url: r.url, events: ["vote.escalated", "escalation.opened"] });
    // A process of its own makes the tie (with no notifier running) and kills itself -9 right after the commit.
    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/tie-and-die.ts"], {
      env: { ...process.env, DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_, s) => resolve(s)));
    expect(signal, err).toBe("SIGKILL");
    expect(r.received).toHaveLength(0);
    // Another instance's notifier (this process), run several times: each event once.
    for (let i = 0; i < 3; i++) await notifyOnce(fed.db.prisma);
    await r.waitFor((x) => typeOf(x) === "vote.escalated");
    await r.waitFor((x) => typeOf(x) === "escalation.opened");
    expect(r.received).toHaveLength(2);
    // A sender killed while it held a delivery: another sends it when the lease ends, with the same webhook-id.
    await fed.db.prisma
      .$executeRaw`UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now(), locked_until = now() + interval '60 seconds' WHERE id = ${r.received[0]!.headers["webhook-id"]}`;
    await notifyOnce(fed.db.prisma);
    expect(r.received).toHaveLength(2);
    await fed.db.prisma
      .$executeRaw`UPDATE webhook_deliveries SET locked_until = now() - interval '1 second' WHERE id = ${r.received[0]!.headers["webhook-id"]}`;
    await notifyOnce(fed.db.prisma);
    expect(r.received).toHaveLength(3);
    expect(r.received[2]!.headers["webhook-id"]).toBe(r.received[0]!.headers["webhook-id"]);
  },
);
