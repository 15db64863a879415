// Mail (issue 24.6): with FED_SMTP_URL set to an SMTP server this test starts, an escalation sends one mail to each
// admin saying what is needed, with a link to the card; each person chooses which events reach them, at once or in
// the hourly digest; a mail server that is down delays mails, loses none.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import * as votes from "@/app/api/v1/votes/route";
import * as ballots from "@/app/api/v1/votes/[id]/ballots/route";
import * as notifications from "@/app/api/v1/me/notifications/route";
import { SYSTEM } from "@/lib/auth/actor";
import { notifyOnce } from "@/lib/notify/loop";
import { drainOutbox } from "@/lib/notify/outbox";
import { sendDueMails } from "@/lib/notify/mail";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
let server: SMTPServer;
let down = false;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        if (down) return callback(new Error("451 try again later"));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.FED_SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  process.env.FED_PUBLIC_URL = "https://fed.example.com";
});
beforeEach(async () => {
  // Whatever earlier tests left in the outbox or the mail queue is not this test's.
  await drainOutbox(fed.db.prisma);
  await fed.db.prisma.notificationMail.deleteMany({});
  mails.length = 0;
});
afterAll(async () => {
  delete process.env.FED_SMTP_URL;
  delete process.env.FED_PUBLIC_URL;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function person(email: string, role: "admin" | "member" | "viewer") {
  const { user } = await createUser(fed.db.prisma, SYSTEM, {
    email,
    name: email.split("@")[0]!,
    role,
    password: "person-password-1",
  });
  return { user, cookie: await sessionCookie(user.id) };
}

async function tie(question: string) {
  const v = await call(votes.POST, "POST", {
    ...admin,
    body: { question, options: ["a", "b"], voters: ["claude", "kimi"] },
  });
  for (const [agent, option] of [
    ["claude", "a"],
    ["kimi", "b"],
  ] as const)
    await call(ballots.POST, "POST", {
      token: await fed.token(agent),
      params: { id: v.body.id },
      body: { option, confidence: 0.8 },
    });
  return v.body.id as string;
}

const subjectOf = (m: Mail) => /^Subject: (.*)$/m.exec(m.raw)?.[1];
/** The body, quoted-printable undone. */
const decoded = (m: Mail) =>
  Buffer.from(
    m.raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  ).toString("utf8");

test("an escalation sends one mail to each admin (by default), saying what is needed with a link to the card; members, viewers and the disabled get none", async () => {
  const a1 = await person("mail-admin-1@example.com", "admin");
  const a2 = await person("mail-admin-2@example.com", "admin");
  await person("mail-member@example.com", "member");
  await person("mail-viewer@example.com", "viewer");
  const gone = await person("mail-gone@example.com", "admin");
  await fed.db.prisma.user.update({ where: { id: gone.user.id }, data: { disabled: true } });
  const admins = (await fed.db.prisma.user.findMany({ where: { role: "admin", disabled: false } })).map((u) => u.email);
  expect(admins).toEqual(expect.arrayContaining([a1.user.email, a2.user.email]));

  const voteId = await tie("Mail the admins?");
  await notifyOnce(fed.db.prisma);
  await notifyOnce(fed.db.prisma);
  const recipients = mails.flatMap((m) => m.to).sort();
  expect(recipients).toEqual([...admins].sort());
  for (const m of mails) {
    expect(subjectOf(m)).toContain("Mail the admins?");
    const body = decoded(m);
    expect(body).toMatch(/admin must decide/i);
    expect(body).toContain("https://fed.example.com/escalations#esc-");
    expect(body).toMatch(/Why: Tie between a and b/);
    expect(body).toContain("An admin must decide — open the card.");
  }
  // Sent once: the queue is empty, nothing goes twice.
  await notifyOnce(fed.db.prisma);
  expect(mails.flatMap((m) => m.to)).toHaveLength(admins.length);
  expect(voteId).toMatch(/^vote-/);
});

test("a person chooses: an admin turns escalations off, a member takes failures in the hourly digest — one mail for the hour's events", async () => {
  const a = await person("mail-admin-off@example.com", "admin");
  const m = await person("mail-digest@example.com", "member");
  const off = await call(notifications.PATCH, "PATCH", {
    cookie: a.cookie,
    body: { events: { "escalation.opened": "off" } },
  });
  expect(off.status).toBe(200);
  expect(off.body.events["escalation.opened"]).toBe("off");
  const set = await call(notifications.PATCH, "PATCH", {
    cookie: m.cookie,
    body: { events: { "vote.escalated": "digest", "escalation.opened": "digest" } },
  });
  expect(set.body).toMatchObject({ mail: true, events: { "vote.escalated": "digest", "task.failed": "off" } });

  await tie("Digest one?");
  await tie("Digest two?");
  await notifyOnce(fed.db.prisma);
  expect(mails.filter((x) => x.to.includes(a.user.email))).toHaveLength(0);
  expect(mails.filter((x) => x.to.includes(m.user.email))).toHaveLength(0);
  // The top of the hour comes.
  await fed.db.prisma.$executeRaw`UPDATE notification_mails SET due_at = now() WHERE digest`;
  await notifyOnce(fed.db.prisma);
  const digest = mails.filter((x) => x.to.includes(m.user.email));
  expect(digest).toHaveLength(1);
  expect(subjectOf(digest[0]!)).toMatch(/4 updates this hour/);
  expect(decoded(digest[0]!)).toContain("Digest one?");
  expect(decoded(digest[0]!)).toContain("Digest two?");
});

test("a mail server that refuses delays the mail; it goes once the server takes it", async () => {
  await person("mail-retry@example.com", "admin");
  down = true;
  try {
    await tie("Server down?");
    await notifyOnce(fed.db.prisma);
    expect(mails).toHaveLength(0);
    const waiting = await fed.db.prisma.notificationMail.findMany({ where: { sentAt: null, digest: false } });
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.map((w) => [w.attempts, w.error])).toEqual(
      waiting.map(() => [1, expect.stringMatching(/try again/)]),
    );
  } finally {
    down = false;
  }
  await fed.db.prisma.$executeRaw`UPDATE notification_mails SET due_at = now() WHERE sent_at IS NULL`;
  await notifyOnce(fed.db.prisma);
  expect(mails.length).toBeGreaterThan(0);
  expect(await fed.db.prisma.notificationMail.count({ where: { sentAt: null } })).toBe(0);
});

test("a mail refused eight times is given up: marked failed, never sent, not tried again", async () => {
  const { user } = await person("mail-give-up@example.com", "member");
  await fed.db.prisma.notificationMail.create({
    data: { userId: user.id, eventType: "task.failed", subject: "Given up?", text: "…", attempts: 7 },
  });
  down = true;
  try {
    expect(await sendDueMails(fed.db.prisma)).toBe(0);
  } finally {
    down = false;
  }
  const [m] = await fed.db.prisma.notificationMail.findMany({ where: { userId: user.id } });
  expect(m).toMatchObject({ attempts: 8, sentAt: null, failedAt: expect.any(Date) });
  await fed.db.prisma.$executeRaw`UPDATE notification_mails SET due_at = now()`;
  await sendDueMails(fed.db.prisma);
  expect(mails).toHaveLength(0);
});

test("mails waiting for disabled people do not hold back the mail of active ones", async () => {
  const gone = await person("mail-away@example.com", "member");
  const here = await person("mail-stays@example.com", "member");
  await fed.db.prisma.user.update({ where: { id: gone.user.id }, data: { disabled: true } });
  const early = new Date(Date.now() - 3_600_000);
  await fed.db.prisma.notificationMail.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      userId: gone.user.id,
      eventType: "task.failed",
      subject: `Old ${i}`,
      text: "…",
      dueAt: early,
    })),
  });
  await fed.db.prisma.notificationMail.create({
    data: { userId: here.user.id, eventType: "task.failed", subject: "For the active one", text: "…" },
  });
  expect(await sendDueMails(fed.db.prisma, 50)).toBe(1);
  expect(mails.map((m) => m.to)).toEqual([["mail-stays@example.com"]]);
});

test("notification settings: only people have them; bad modes are 422", async () => {
  expect((await call(notifications.GET, "GET", admin)).status).toBe(403);
  expect((await call(notifications.GET, "GET", { token: await fed.token("kimi") })).status).toBe(403);
  const v = await person("mail-viewer-2@example.com", "viewer");
  const mine = await call(notifications.GET, "GET", { cookie: v.cookie });
  expect(mine.body).toMatchObject({ mail: true, email: v.user.email, events: { "escalation.opened": "off" } });
  expect(
    (await call(notifications.PATCH, "PATCH", { cookie: v.cookie, body: { events: { "task.failed": "weekly" } } }))
      .status,
  ).toBe(422);
  expect(
    (await call(notifications.PATCH, "PATCH", { cookie: v.cookie, body: { events: { "task.exploded": "off" } } }))
      .status,
  ).toBe(422);
  // A viewer may choose what they hear of: it changes nothing in the federation.
  expect(
    (await call(notifications.PATCH, "PATCH", { cookie: v.cookie, body: { events: { "task.failed": "immediate" } } }))
      .status,
  ).toBe(200);
});
