// The queue console's API: full-text search, counts that agree with the lists, bulk actions by filter or by
// selection with a preview, and CSV export of any filtered list.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as counts from "@/app/api/v1/tasks/counts/route";
import * as bulk from "@/app/api/v1/tasks/bulk/route";
import * as csv from "@/app/api/v1/tasks.csv/route";
import { csvField } from "@/lib/queue/export";
import { searchQuery } from "@/lib/queue/filter";
import { createUser } from "@/lib/users/service";
import { SYSTEM } from "@/lib/auth/actor";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const create = async (body: Record<string, unknown>) => {
  const res = await call(tasks.POST, "POST", { ...admin, body: { assignee: "claude", ...body } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((t) => t.id).sort();
/** Puts tasks in a final state directly: these tests are about what the console does with them afterwards. */
const settle = (list: string[], state: "failed" | "completed", summary?: string) =>
  fed.db.prisma.$executeRawUnsafe(
    `UPDATE tasks SET state = $2::"TaskState", attempts = max_attempts, completed_at = now(),
       outcome = jsonb_build_object('success', $2 = 'completed', 'summary', $3::text) WHERE id = ANY($1::text[])`,
    list,
    state,
    summary ?? null,
  );

describe("search", () => {
  test("finds words of the title, description and outcome summary by prefix and stem, and ids by prefix", async () => {
    const a = await create({ title: "Migrate the billing tables", type: "console-search" });
    const b = await create({
      title: "Tidy up",
      description: "Remove flaky retries from the webhook client",
      type: "console-search",
    });
    const c = await create({ title: "Investigate", type: "console-search" });
    await settle([c.id], "completed", "Found a deadlock in the ledger writer");
    const search = async (q: string) =>
      ids(await call(tasks.GET, "GET", { ...admin, query: { type: "console-search", q } }));
    expect(await search("migr")).toEqual([a.id]);
    expect(await search("migrating billing")).toEqual([a.id]); // stems and every word
    expect(await search("webhook retry")).toEqual([b.id]); // description, stemmed
    expect(await search("deadlock")).toEqual([c.id]); // outcome summary
    expect(await search(c.id)).toEqual([c.id]);
    expect(await search("billing deadlock")).toEqual([]);
    expect(await search("%_'\")(:*&|!")).toEqual([]); // punctuation only: nothing, and no SQL error
    expect(searchQuery("Fix: the *parser*!")).toBe("fix:* & the:* & parser:*");
  });

  test("counts per state agree with the filtered lists", async () => {
    const made = [];
    for (let i = 0; i < 6; i++) made.push((await create({ title: `Count me ${i}`, type: "console-counts" })).id);
    await settle(made.slice(0, 2), "failed");
    await settle(made.slice(2, 3), "completed", "all good");
    const res = await call(counts.GET, "GET", { ...admin, query: { type: "console-counts" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pending: 3, failed: 2, completed: 1, in_progress: 0, cancelled: 0, total: 6 });
    for (const state of ["pending", "failed", "completed"] as const) {
      const list = await call(tasks.GET, "GET", { ...admin, query: { type: "console-counts", state, limit: "200" } });
      expect(list.body.items.length).toBe(res.body[state]);
    }
    const searched = await call(counts.GET, "GET", { ...admin, query: { type: "console-counts", q: "count" } });
    expect(searched.body.total).toBe(6);
  });
});

describe("bulk actions", () => {
  test("retry by filter of 50 failed tasks: the preview counts 50, the run retries 50, one audit event each", async () => {
    const failed: string[] = [];
    for (let i = 0; i < 50; i++) failed.push((await create({ title: `Flaky ${i}`, type: "console-bulk" })).id);
    const untouched = await create({ title: "Still waiting", type: "console-bulk" });
    await settle(failed, "failed");
    const filter = { type: "console-bulk", state: "failed" };

    const preview = await call(bulk.POST, "POST", { ...admin, body: { action: "retry", filter, dryRun: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, matched: 50, applicable: 50, done: 0 });
    expect(await fed.db.prisma.task.count({ where: { id: { in: failed }, state: "failed" } })).toBe(50);

    const run = await call(bulk.POST, "POST", { ...admin, body: { action: "retry", filter, note: "infra fixed" } });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ dryRun: false, matched: 50, applicable: 50, done: 50, skippedCount: 0 });
    expect(await fed.db.prisma.task.count({ where: { id: { in: failed }, state: "pending", attempts: 0 } })).toBe(50);
    const events = await fed.db.prisma.auditEvent.groupBy({
      by: ["subject"],
      where: { action: "task.retried", subject: { in: failed.map((id) => `task:${id}`) } },
      _count: true,
    });
    expect(events.length).toBe(50);
    expect(events.every((e) => e._count === 1)).toBe(true);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: untouched.id } })).state).toBe("pending");
    // Run again: nothing left to retry, nothing changes.
    const again = await call(bulk.POST, "POST", { ...admin, body: { action: "retry", filter } });
    expect(again.body).toMatchObject({ matched: 0, done: 0 });
  });

  test("by selection: reassign and cancel act on the states they apply to and skip the rest", async () => {
    const [p1, p2, done] = [
      await create({ title: "Sel 1", type: "console-select" }),
      await create({ title: "Sel 2", type: "console-select" }),
      await create({ title: "Sel 3", type: "console-select" }),
    ];
    await settle([done.id], "completed", "ok");
    const selection = [p1.id, p2.id, done.id];
    const reassign = await call(bulk.POST, "POST", {
      ...admin,
      body: { action: "reassign", ids: selection, assignee: "kimi" },
    });
    expect(reassign.body).toMatchObject({ matched: 3, applicable: 2, done: 2 });
    const rows = await fed.db.prisma.task.findMany({ where: { id: { in: selection } }, orderBy: { title: "asc" } });
    expect(rows.map((r) => r.assignee)).toEqual(["kimi", "kimi", "claude"]);
    const cancel = await call(bulk.POST, "POST", { ...admin, body: { action: "cancel", ids: [p1.id] } });
    expect(cancel.body).toMatchObject({ done: 1 });
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: p1.id } })).state).toBe("cancelled");
  });

  test("bad requests are refused with the field named and change nothing; members and viewers may not", async () => {
    const t = await create({ title: "Guarded", type: "console-guard" });
    const cases: [unknown, string][] = [
      [{ action: "retry" }, "ids"],
      [{ action: "retry", ids: [t.id], filter: { state: "failed" } }, "ids"],
      [{ action: "reassign", ids: [t.id] }, "assignee"],
      [{ action: "reassign", ids: [t.id], assignee: "nobody-here" }, "assignee"],
      [{ action: "explode", ids: [t.id] }, "action"],
      [{ action: "cancel", filter: { state: "sleeping" } }, "filter.state"],
    ];
    for (const [body, field] of cases) {
      const res = await call(bulk.POST, "POST", { ...admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    for (const role of ["member", "viewer"] as const) {
      const { user } = await createUser(fed.db.prisma, SYSTEM, {
        email: `bulk-${role}@example.com`,
        name: role,
        role,
        password: `${role}-password-123`,
      });
      const res = await call(bulk.POST, "POST", {
        cookie: await sessionCookie(user.id),
        body: { action: "cancel", ids: [t.id] },
      });
      expect(res.status).toBe(403);
    }
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("pending");
  });
});

describe("concurrent bulk actions", () => {
  test("two bulk cancels of the same tasks at once: each task is counted once between them (meaningful on PostgreSQL, where CI runs it)", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await create({ title: `Twice cancelled ${i}`, type: "console-twice" })).id);
    const filter = { type: "console-twice" };
    const [a, b] = await Promise.all(
      [1, 2].map(() => call(bulk.POST, "POST", { ...admin, body: { action: "cancel", filter } })),
    );
    expect([a!.status, b!.status]).toEqual([200, 200]);
    expect(a!.body.done + b!.body.done).toBe(ids.length);
    for (const r of [a!, b!]) expect(r.body.done + r.body.skippedCount, JSON.stringify(r.body)).toBe(r.body.applicable);
    const cancelled = await fed.db.prisma.auditEvent.count({
      where: { action: "task.cancelled", subject: { in: ids.map((id) => `task:${id}`) } },
    });
    expect(cancelled).toBe(ids.length);
  });
});

describe("bulk acts as one act", () => {
  test("a bulk reassignment of 5 tasks is one handoff and one bulk event naming its selection", async () => {
    const { handoffsPerDay } = await import("@/lib/analytics/kpis");
    const before = (await handoffsPerDay(fed.db.prisma)).reassignments;
    for (let i = 0; i < 5; i++) await create({ title: `Hand over ${i}`, type: "console-handoff" });
    const run = await call(bulk.POST, "POST", {
      ...admin,
      body: { action: "reassign", filter: { type: "console-handoff" }, assignee: "kimi", note: "kimi has room" },
    });
    expect(run.body).toMatchObject({ done: 5, failed: 0, skippedCount: 0 });
    expect((await handoffsPerDay(fed.db.prisma)).reassignments - before).toBe(1);
    const events = await fed.db.prisma.auditEvent.findMany({
      where: { action: "task.bulk" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(events[0]!.details).toMatchObject({
      action: "reassign",
      selection: { filter: { type: "console-handoff" } },
      assignee: "kimi",
      done: 5,
    });
    const bulkId = events[0]!.subject.slice("bulk:".length);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { action: "task.reassigned", details: { path: ["bulk"], equals: bulkId } },
      }),
    ).toBe(5);
  });

  test("a bulk run an error stops half-way answers what it did: done, failed, where it stopped and why", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await create({ title: `Stop me ${i}`, type: "console-stop" })).id);
    const poisoned = ids[40]!;
    // A failure on our side at the 41st task (in the second chunk of 25 only the chunk's own work is undone).
    await fed.db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION console_stop_fail() RETURNS trigger AS $$
      BEGIN IF NEW.id = '${poisoned}' AND NEW.state = 'cancelled' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END
      $$ LANGUAGE plpgsql`);
    await fed.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER console_stop_fail BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION console_stop_fail()`,
    );
    try {
      const run = await call(bulk.POST, "POST", {
        ...admin,
        body: { action: "cancel", filter: { type: "console-stop" } },
      });
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ matched: 60, applicable: 60, done: 25, failed: 35, stoppedAt: poisoned });
      expect(run.body.error).toContain("disk on fire");
      expect(await fed.db.prisma.task.count({ where: { id: { in: ids }, state: "cancelled" } })).toBe(25);
      const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
        where: { action: "task.bulk" },
        orderBy: { id: "desc" },
      });
      expect(event.details).toMatchObject({ action: "cancel", done: 25, failed: 35, stoppedAt: poisoned });
    } finally {
      await fed.db.prisma.$executeRawUnsafe(`DROP TRIGGER console_stop_fail ON tasks`);
      await fed.db.prisma.$executeRawUnsafe(`DROP FUNCTION console_stop_fail()`);
    }
  });
});

describe("CSV export", () => {
  test("exports exactly the filtered list, quoted where needed, with formulas defused", async () => {
    const plain = await create({ title: "Export me", type: "console-csv" });
    const tricky = await create({ title: '=HYPERLINK("http://evil") , "quoted"', type: "console-csv" });
    await settle([plain.id], "completed", "Line one\nline two");
    await create({ title: "Other type", type: "console-csv-other" });
    const res = await call(csv.GET, "GET", { ...admin, query: { type: "console-csv" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="tasks-.*\.csv"/);
    const text = res.body as string;
    expect(text.split("\r\n")[0]).toBe(
      "id,title,type,priority,state,assignee,attempts,max_attempts,created_by,created_at,completed_at,summary",
    );
    expect(text).toContain(`${plain.id},Export me,console-csv,normal,completed,claude,`);
    expect(text).toContain('"Line one\nline two"');
    expect(text).toContain(`${tricky.id},"'=HYPERLINK(""http://evil"") , ""quoted"""`);
    expect(text).not.toContain("Other type");
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField("plain")).toBe("plain");
  });

  test("a formula after a semicolon is defused too: where ';' separates cells, it would be a cell of its own", () => {
    expect(csvField("x;=1+1")).toBe(`"x;'=1+1"`);
    expect(csvField("a; @SUM(A1)")).toBe(`"a; '@SUM(A1)"`);
    expect(csvField("x\t+1")).toBe(`"x\t'+1"`);
    expect(csvField("sizes; small, large")).toBe(`"sizes; small, large"`);
    expect(csvField("=a;-b")).toBe(`"'=a;'-b"`);
  });
});
