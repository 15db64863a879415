// Signing in and out: a throttle that concurrent guesses cannot race, no timing gap between known and
// unknown emails, no trust in a client's X-Forwarded-For, sessions that end on the server, passwords.
import { describe, expect, test } from "vitest";
import * as agentList from "@/app/api/v1/agents/route";
import * as mePassword from "@/app/api/v1/me/password/route";
import * as userPassword from "@/app/api/v1/users/[id]/password/route";
import { SYSTEM } from "@/lib/auth/actor";
import { authOptions } from "@/lib/auth/options";
import { signIn } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
let n = 0;

async function person(role: "admin" | "member" | "viewer" = "member", password = "right-password-1") {
  const email = `person-${++n}@example.com`;
  const { user } = await createUser(fed.db.prisma, SYSTEM, { email, name: `Person ${n}`, role, password });
  return { ...user, password };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "signed in",
    (e: Error) => (/Too many/.test(e.message) ? "throttled" : /Wrong/.test(e.message) ? "wrong" : e.message),
  );

describe("the throttle", () => {
  test("19 wrong guesses from one address all in flight at once: at most five are checked; the owner elsewhere signs in", async () => {
    const p = await person();
    const wrong = Array.from({ length: 19 }, (_, i) =>
      outcome(signIn(fed.db.prisma, p.email, `guess-${i}`, "203.0.113.7")),
    );
    await new Promise((r) => setTimeout(r, 30));
    const right = outcome(signIn(fed.db.prisma, p.email, p.password, "203.0.113.99"));

    const results = await Promise.all(wrong);
    expect(await right).toBe("signed in");
    // At most five guesses had their password checked; the rest were refused unchecked.
    expect(results.filter((r) => r === "wrong").length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "throttled").length).toBeGreaterThanOrEqual(14);
  });

  test("six wrong passwords for the admin from one address; the right one from another signs in, and colleagues at that address are not locked out", async () => {
    const admin = await person("admin");
    const colleague = await person();
    for (let i = 0; i < 6; i++) await outcome(signIn(fed.db.prisma, admin.email, `nope-${i}`, "198.51.100.77"));
    expect(await outcome(signIn(fed.db.prisma, admin.email, admin.password, "198.51.100.78"))).toBe("signed in");
    expect(await outcome(signIn(fed.db.prisma, colleague.email, colleague.password, "198.51.100.77"))).toBe(
      "signed in",
    );
  });

  test("an unknown email takes as long as a known one with a wrong password (within 2×)", async () => {
    const p = await person();
    const time = async (email: string) => {
      await fed.db.prisma.loginThrottle.deleteMany({});
      const start = performance.now();
      await signIn(fed.db.prisma, email, "definitely-wrong", "192.0.2.1").catch(() => {});
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(await time(p.email));
      unknown.push(await time(`nobody-${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  test("a client's X-Forwarded-For is not its address: rotating it does not escape the per-address limit", async () => {
    const { authorize } = (
      authOptions().providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } }
    ).options;
    await fed.db.prisma.loginThrottle.deleteMany({});
    for (let i = 0; i < 3; i++) {
      await authorize(
        { email: `spoof-${i}@example.com`, password: "whatever-it-is" },
        { headers: { "x-forwarded-for": `10.9.9.${i}` } },
      ).catch(() => {});
    }
    const keys = (await fed.db.prisma.loginThrottle.findMany({ where: { key: { startsWith: "ip:" } } })).map((r) => [
      r.key,
      r.failures,
    ]);
    expect(keys).toEqual([["ip:local", 3]]);
  });
});

describe("sessions", () => {
  test("signing out ends the session on the server: the old cookie no longer works", async () => {
    const p = await person();
    const cookie = await sessionCookie(p.id);
    expect((await call(agentList.GET, "GET", { cookie })).status).toBe(200);
    const sid = (
      await fed.db.prisma.userSession.findFirstOrThrow({ where: { userId: p.id }, orderBy: { createdAt: "desc" } })
    ).id;

    await authOptions().events!.signOut!({ token: { sid }, session: null as never });

    expect((await call(agentList.GET, "GET", { cookie })).status).toBe(401);
  });

  test("a disabled person's session stops working at once", async () => {
    const p = await person();
    const cookie = await sessionCookie(p.id);
    await fed.db.prisma.user.update({ where: { id: p.id }, data: { disabled: true } });
    expect((await call(agentList.GET, "GET", { cookie })).status).toBe(401);
  });
});

describe("passwords", () => {
  test("a person changes their own password: the old one stops working, their other sessions end, this one stays", async () => {
    const p = await person();
    const here = await sessionCookie(p.id);
    const elsewhere = await sessionCookie(p.id);

    const wrong = await call(mePassword.POST, "POST", {
      cookie: here,
      body: { currentPassword: "not-it-at-all", newPassword: "a-new-password-1" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe("currentPassword");
    const short = await call(mePassword.POST, "POST", {
      cookie: here,
      body: { currentPassword: p.password, newPassword: "short" },
    });
    expect(short.status).toBe(422);

    const res = await call(mePassword.POST, "POST", {
      cookie: here,
      body: { currentPassword: p.password, newPassword: "a-new-password-1" },
    });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1 });
    expect((await call(agentList.GET, "GET", { cookie: here })).status).toBe(200);
    expect((await call(agentList.GET, "GET", { cookie: elsewhere })).status).toBe(401);
    await fed.db.prisma.loginThrottle.deleteMany({});
    await expect(signIn(fed.db.prisma, p.email, p.password, "192.0.2.7")).rejects.toThrow(/Wrong/);
    expect((await signIn(fed.db.prisma, p.email, "a-new-password-1", "192.0.2.7")).id).toBe(p.id);
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.password_changed", subject: `user:${p.email}` },
    });
    expect(JSON.stringify(event.details)).not.toContain("a-new-password-1");
  });

  test("an admin resets someone's password: a new one is generated, all their sessions end; others may not", async () => {
    const p = await person();
    const cookie = await sessionCookie(p.id);
    const member = await person("member");
    const viewer = await person("viewer");
    expect(
      (
        await call(userPassword.POST, "POST", {
          cookie: await sessionCookie(member.id),
          params: { id: p.id },
          body: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(userPassword.POST, "POST", {
          cookie: await sessionCookie(viewer.id),
          params: { id: p.id },
          body: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(userPassword.POST, "POST", { token: await fed.token("kimi"), params: { id: p.id }, body: {} }))
        .status,
    ).toBe(403);

    const res = await call(userPassword.POST, "POST", { ...admin, params: { id: p.id }, body: {} });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ generated: true, password: expect.stringMatching(/^.{20,}$/) });
    expect((await call(agentList.GET, "GET", { cookie })).status).toBe(401);
    await fed.db.prisma.loginThrottle.deleteMany({});
    expect((await signIn(fed.db.prisma, p.email, res.body.password, "192.0.2.8")).id).toBe(p.id);
    expect((await call(userPassword.POST, "POST", { ...admin, params: { id: "no-such-user" }, body: {} })).status).toBe(
      404,
    );
  });
});
