// The queue at scale: the claim's plan is an index walk however long the queue; a long-poll claim answers as soon
// as work appears (and 204 only at the end of its wait); complete with claimNext hands over the next task in the
// same call; a revoked token is refused by another instance within a second.
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as tokens from "@/app/api/v1/agents/[name]/tokens/route";
import * as tokenOne from "@/app/api/v1/agents/[name]/tokens/[tokenId]/route";
import { CLAIM, claimNextAfter, claimTask, nextLeaseToken } from "@/lib/queue/claim-task";
import { call, leaseOf } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { spawnInstance } from "./helpers/spawn-instance";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("the claim's plan", () => {
  test("at 20 000 pending tasks both claims walk the claim-order indexes, never scan the table — as a custom and as a generic (prepared) plan", async () => {
    const client = new pg.Client({ connectionString: fed.db.url });
    await client.connect();
    try {
      await client.query(`
        INSERT INTO tasks (id, title, type, priority, state, assignee, created_by, created_at, updated_at)
        SELECT 'plan-' || g, 'Task ' || g, (ARRAY['research','implementation','review','testing'])[1 + g % 4],
          (ARRAY['low','normal','high','urgent'])[1 + (g / 7) % 4]::"TaskPriority", 'pending',
          (ARRAY['claude','kimi','kimi-ide','copilot','ollama','copilot-opus'])[1 + g % 6], 'plan-test',
          now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, 20000) g`);
      await client.query("ANALYZE tasks");
      const plans: { name: string; scans: PlanNode[] }[] = [];
      for (const [name, sql, types] of [
        ["untyped", CLAIM.untyped, null],
        ["typed", CLAIM.typed, ["research", "review"]],
      ] as const) {
        const params = ["kimi", types, 300, "plan-test", "lease_plan"];
        await client.query("BEGIN");
        const custom = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
        await client.query(`PREPARE plan_check AS ${sql}`);
        // EXPLAIN EXECUTE takes literals, not bind parameters.
        const typesLiteral = types ? `ARRAY[${types.map((t) => client.escapeLiteral(t)).join(", ")}]::text[]` : "NULL";
        const generic = await client.query(
          `EXPLAIN (FORMAT JSON) EXECUTE plan_check('kimi', ${typesLiteral}, 300, 'plan-test', 'lease_plan')`,
        );
        await client.query("DEALLOCATE plan_check");
        await client.query("ROLLBACK");
        for (const [kind, res] of [
          ["custom", custom],
          ["generic", generic],
        ] as const) {
          const all = nodes((res.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan);
          plans.push({ name: `${name} ${kind}`, scans: all.filter((n) => n["Relation Name"] === "tasks") });
        }
      }
      for (const p of plans) {
        expect(
          p.scans.filter((n) => n["Node Type"] === "Seq Scan"),
          p.name,
        ).toEqual([]);
        expect(
          p.scans.map((n) => n["Index Name"]),
          p.name,
        ).toContain(
          p.name.startsWith("typed")
            ? "tasks_assignee_type_priority_created_at_id_idx"
            : "tasks_assignee_priority_created_at_id_idx",
        );
      }
    } finally {
      await client.query("DELETE FROM tasks WHERE created_by = 'plan-test'");
      await client.end();
    }
  });
});

describe("long-poll claims", () => {
  test("a claim waiting 10 s returns within 500 ms of a task being created for that agent", async () => {
    const kimi = await fed.token("kimi");
    const type = unique("longpoll");
    const started = Date.now();
    const waiting = call(claim.POST, "POST", { token: kimi, body: { types: [type], waitSeconds: 10 } });
    await new Promise((r) => setTimeout(r, 700));
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Arrives later", type, assignee: "kimi" },
    });
    const createdAt = Date.now();
    const res = await waiting;
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.body.id,
      state: "in_progress",
      claimedBy: "kimi",
      leaseToken: expect.any(String),
    });
    expect(answeredAt - createdAt).toBeLessThan(500);
    expect(answeredAt - started).toBeGreaterThanOrEqual(700);
  });

  test("with nothing claimable it answers 204 at the end of its wait, not before", async () => {
    const kimi = await fed.token("kimi");
    const started = Date.now();
    const res = await call(claim.POST, "POST", { token: kimi, body: { types: [unique("nothing")], waitSeconds: 2 } });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(204);
    expect(elapsed).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeLessThan(4000);
  });

  test("a waiting claimer that hung up takes nothing: what its claim took goes straight back, logged", async () => {
    const type = unique("hungup");
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Nobody to take it", type, assignee: "kimi" },
    });
    const gone = new AbortController();
    gone.abort();
    const actor = { kind: "agent", role: "agent", agent: "kimi", tokenId: "t", label: "kimi" } as const;
    expect(
      await claimTask(fed.db.prisma, actor, { types: [type], leaseSeconds: 300, waitSeconds: 5 }, gone.signal),
    ).toBeNull();
    const task = await fed.db.prisma.task.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(task).toMatchObject({ state: "pending", claimedBy: null, leaseToken: null, attempts: 0 });
    const actions = await fed.db.prisma.auditEvent.findMany({
      where: { subject: `task:${created.body.id}` },
      orderBy: { id: "asc" },
      select: { action: true, details: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["task.created", "task.claimed", "task.released"]);
    expect(actions[2]!.details).toMatchObject({ agent: "kimi", reason: "the waiting claimer went away" });
  });

  test("waitSeconds is 0..30: 31 is a 422 naming the field", async () => {
    const kimi = await fed.token("kimi");
    const res = await call(claim.POST, "POST", { token: kimi, body: { waitSeconds: 31 } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "waitSeconds" })]);
  });
});

describe("complete with claimNext", () => {
  test("returns the completion and the next task; with nothing claimable, the completion and no task", async () => {
    const copilot = await fed.token("copilot");
    const type = unique("handover");
    const first = await call(tasks.POST, "POST", { ...admin, body: { title: "First", type, assignee: "copilot" } });
    const second = await call(tasks.POST, "POST", { ...admin, body: { title: "Second", type, assignee: "copilot" } });
    await call(claim.POST, "POST", { token: copilot, body: { types: [type] } });

    const body = { success: true, claimNext: true, types: [type], leaseSeconds: 120 };
    const done = await call(complete.POST, "POST", {
      token: copilot,
      lease: leaseOf(first.body.id),
      params: { id: first.body.id },
      body,
    });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({ id: first.body.id, state: "completed" });
    expect(done.body.followUps).toEqual([]);
    expect(done.body.next).toMatchObject({
      id: second.body.id,
      state: "in_progress",
      claimedBy: "copilot",
      leaseToken: expect.any(String),
    });
    expect(Date.parse(done.body.next.leaseExpiresAt) - Date.now()).toBeLessThanOrEqual(120_000);

    // The same call again (a network retry) answers the same, and claims nothing more.
    const again = await call(complete.POST, "POST", {
      token: copilot,
      lease: leaseOf(first.body.id) ?? done.body.task.id,
      params: { id: first.body.id },
      body,
    });
    expect(again.status).toBe(200);
    expect(again.body.next).toMatchObject({ id: second.body.id, leaseToken: done.body.next.leaseToken });

    const last = await call(complete.POST, "POST", {
      token: copilot,
      lease: done.body.next.leaseToken,
      params: { id: second.body.id },
      body,
    });
    expect(last.status).toBe(200);
    expect(last.body.task).toMatchObject({ id: second.body.id, state: "completed" });
    expect(last.body.next).toBeNull();

    // Without claimNext, `next` is null too: the answer always has the contract's shape.
    expect(done.body).toHaveProperty("next");
  });

  /** Tasks for copilot of a fresh type (three unless said), the first claimed: the call that completes it and claims the next. */
  async function handover(titles = ["First", "Second", "Third"]) {
    const copilot = await fed.token("copilot");
    const type = unique("handover-retry");
    const ids: string[] = [];
    for (const title of titles)
      ids.push((await call(tasks.POST, "POST", { ...admin, body: { title, type, assignee: "copilot" } })).body.id);
    const claimed = await call(claim.POST, "POST", { token: copilot, body: { types: [type] } });
    expect(claimed.body.id).toBe(ids[0]);
    const body = { success: true, claimNext: true, types: [type] };
    const completeFirst = () =>
      call(complete.POST, "POST", { token: copilot, lease: claimed.body.leaseToken, params: { id: ids[0]! }, body });
    const inProgress = () => fed.db.prisma.task.findMany({ where: { type, state: "in_progress" } });
    return { ids, type, completeFirst, inProgress };
  }

  test("a retry of a claimNext whose first try died before recording its claim gets the task that try took, not a second one", async () => {
    const { ids, completeFirst, inProgress } = await handover();
    const first = await completeFirst();
    expect(first.body.next).toMatchObject({ id: ids[1] });
    // The first try's answer never arrived, and it never recorded which task it took (it died in between).
    await fed.db.prisma.$executeRaw`UPDATE tasks SET last_completion = last_completion - 'next' WHERE id = ${ids[0]}`;

    const retry = await completeFirst();
    expect(retry.status).toBe(200);
    expect(retry.body.next).toMatchObject({ id: ids[1], leaseToken: first.body.next.leaseToken });
    expect((await inProgress()).map((t) => t.id)).toEqual([ids[1]]);
  });

  test("tries of one claimNext at once take one task between them, and all answer it (tries take turns under the token)", async () => {
    // One task left to take: a try that ran beside the one taking it would find it locked, and nothing else.
    const { ids, type, inProgress } = await handover(["First", "Second"]);
    const actor = { kind: "agent", role: "agent", agent: "copilot", tokenId: "t", label: "copilot" } as const;
    const after = { completedId: ids[0]!, completingToken: "lease_raced" };
    const token = nextLeaseToken(after.completingToken);
    const input = { types: [type], leaseSeconds: 60 };
    // The first try and repeats of it, at once.
    const tries = await Promise.all(
      [false, true, true, true].map((repeat) => claimNextAfter(fed.db.prisma, actor, input, { ...after, repeat })),
    );
    expect(tries.map((t) => t?.id)).toEqual([ids[1], ids[1], ids[1], ids[1]]);
    expect(tries.map((t) => t!.leaseToken)).toEqual([token, token, token, token]);
    expect((await inProgress()).map((t) => t.id).sort()).toEqual([ids[0], ids[1]].sort());
  });
});

describe("token revocation across instances", () => {
  let second: ChildProcess | undefined;
  afterAll(() => {
    second?.kill("SIGKILL");
  });

  test("a token revoked through one instance is refused by a second instance within 1 s", async () => {
    const issued = await call(tokens.POST, "POST", { ...admin, params: { name: "ollama" } });
    const token = issued.body.token as string;
    const instance = await spawnInstance({ DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN });
    second = instance.process;
    const url = instance.url;
    const me = () => fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    // The second instance has used the token for a while: it is in its cache.
    const warm = Date.now() + 800;
    while (Date.now() < warm) expect(await me()).toBe(200);

    const revoked = await call(tokenOne.DELETE, "DELETE", {
      ...admin,
      params: { name: "ollama", tokenId: issued.body.id },
    });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    let status = await me();
    while (status === 200 && Date.now() - at < 3000) {
      await new Promise((r) => setTimeout(r, 20));
      status = await me();
    }
    expect(status).toBe(401);
    expect(Date.now() - at).toBeLessThan(1000);
  });
});
