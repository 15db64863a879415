// Resume where it is subtle (issue 22.10): a client that comes back with Last-Event-ID gets what it missed exactly
// once — also when this instance's reader emits the same events live only after the replay, when a transaction
// that took its id before the last event seen commits after it, and while new changes arrive during the replay.
// The reader polls every second here (FED_EVENTS_POLL_MS) so that a replay reliably runs before the reader has
// seen the missed events: the order in which a duplicate would appear.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.FED_EVENTS_POLL_MS = "1000";
});

import pg from "pg";
import { afterAll, expect, test } from "vitest";
import * as events from "@/app/api/v1/events/route";
import * as tasks from "@/app/api/v1/tasks/route";
import { changes, POLL_MS } from "@/lib/events/bus";
import { call } from "./helpers/api";
import { onRealPostgres } from "./helpers/database";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { reader, type Sse } from "./helpers/sse";

const fed = seededFederation();
afterAll(() => changes().stop());

const open = (headers: Record<string, string> = {}) =>
  events.GET(
    new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } }),
  );

async function createTask(title: string): Promise<string> {
  const res = await call(tasks.POST, "POST", {
    token: ADMIN_TOKEN,
    body: { title, type: "sse-resume-exact", assignee: "kimi" },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const created = (seen: Sse[]) =>
  seen
    .filter((e) => e.event === "change")
    .map((e) => JSON.parse(e.data!) as { type: string; id: string })
    .filter((d) => d.type === "task.created")
    .map((d) => d.id);

/** Long enough for this instance's reader to have read everything twice over. */
const settle = () => new Promise((r) => setTimeout(r, 2.5 * POLL_MS));

/** A stream that saw one task created, and the id it would resume from. */
async function lastSeen(): Promise<string> {
  const first = reader(await open());
  const id = await createTask("Seen before the drop");
  const seen = await first.until((x) => x.data?.includes(id) ?? false);
  await first.close();
  return seen.id!;
}

test("a client that reconnects with Last-Event-ID after three tasks were created gets exactly those three task.created events, once each", async () => {
  expect(POLL_MS).toBe(1000);
  const last = await lastSeen();
  const missed = [await createTask("Missed 1"), await createTask("Missed 2"), await createTask("Missed 3")];

  const resumed = reader(await open({ "last-event-id": last }));
  await resumed.until((x) => x.data?.includes(missed[2]!) ?? false);
  await settle();
  await resumed.close();

  expect(created(resumed.seen)).toEqual(missed);
  const ids = resumed.seen.filter((e) => e.event === "change").map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length); // no event of any kind twice
});

test("changes made while the replay runs arrive once each, after the missed ones", async () => {
  const last = await lastSeen();
  const missed = [await createTask("Missed A"), await createTask("Missed B")];

  const opening = open({ "last-event-id": last });
  const during = [await createTask("During 1"), await createTask("During 2")];
  const resumed = reader(await opening);
  await resumed.until((x) => x.data?.includes(during[1]!) ?? false);
  await settle();
  await resumed.close();

  expect(created(resumed.seen)).toEqual([...missed, ...during]);
  const ids = resumed.seen.filter((e) => e.event === "change").map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test.runIf(onRealPostgres)(
  "a resume from an event seen while an earlier transaction was still open gets that transaction's change once it commits (PostgreSQL: two open transactions)",
  async () => {
    const late = new pg.Client({ connectionString: fed.db.url });
    await late.connect();
    try {
      // The late change takes its id first, the task after it is seen and the stream drops, then the late one commits.
      await late.query("BEGIN");
      await late.query(
        `INSERT INTO audit_events (actor, action, subject) VALUES ('test', 'task.created', 'task:late-resume')`,
      );
      const last = await lastSeen();
      await late.query("COMMIT");

      const resumed = reader(await open({ "last-event-id": last }));
      await resumed.until((x) => x.data?.includes("late-resume") ?? false);
      await settle();
      await resumed.close();

      expect(created(resumed.seen)).toEqual(["late-resume"]);
      // The event it resumed from is not sent again.
      expect(resumed.seen.some((e) => e.id === last)).toBe(false);
    } finally {
      await late.end();
    }
  },
);

test.runIf(onRealPostgres)(
  "a transaction left open in another database does not make a resume replay what the stream already had (PostgreSQL: the horizon is the whole server's)",
  async () => {
    const elsewhere = new URL(fed.db.url);
    elsewhere.pathname = "/postgres";
    const holder = new pg.Client({ connectionString: elsewhere.toString() });
    await holder.connect();
    try {
      // Holds the server's oldest running transaction id for the whole test, as a concurrent test file does on CI.
      await holder.query("BEGIN");
      await holder.query("SELECT pg_current_xact_id()");

      const first = reader(await open());
      const before = await createTask("Seen while another database holds the horizon");
      await first.until((x) => x.data?.includes(before) ?? false);
      const id = await createTask("Seen last before the drop");
      const seen = await first.until((x) => x.data?.includes(id) ?? false);
      await first.close();
      const missed = [await createTask("Missed X"), await createTask("Missed Y"), await createTask("Missed Z")];

      const resumed = reader(await open({ "last-event-id": seen.id! }));
      await resumed.until((x) => x.data?.includes(missed[2]!) ?? false);
      await settle();
      await resumed.close();

      expect(created(resumed.seen)).toEqual(missed);
    } finally {
      await holder.query("ROLLBACK").catch(() => {});
      await holder.end();
    }
  },
);
