// A task's log (issue 23, POST/GET /tasks/{id}/log): only the holder appends, with its lease token; anyone who may
// see the task reads it; each attempt has its own; it stays bounded (the last 1 MiB) however much is printed.
import { afterAll, expect, test } from "vitest";
import * as events from "@/app/api/v1/events/route";
import { changes } from "@/lib/events/bus";
import * as tasks from "@/app/api/v1/tasks/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as taskLog from "@/app/api/v1/tasks/[id]/log/route";
import { CHUNK_LIMIT, LOG_LIMIT } from "@/lib/queue/task-log";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { reader } from "./helpers/sse";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
afterAll(() => changes().stop());

async function held(type: string) {
  const t = await call(tasks.POST, "POST", { ...admin, body: { title: "Log me", type, assignee: "kimi" } });
  const kimi = await fed.token("kimi");
  const c = await call(claim.POST, "POST", { token: kimi, body: { types: [type] } });
  expect(c.body.id).toBe(t.body.id);
  return { id: t.body.id as string, kimi, lease: c.body.leaseToken as string };
}

const append = (id: string, token: string, lease: string | undefined, text: string, stream = "stdout") =>
  call(taskLog.POST, "POST", { token, lease, params: { id }, body: { stream, text } });
const read = (id: string, query?: Record<string, string>) =>
  call(taskLog.GET, "GET", { ...admin, params: { id }, query });

test("only the holder appends, presenting its lease token; everyone who may see the task reads it", async () => {
  const { id, kimi, lease } = await held("log-access");
  expect((await append(id, kimi, lease, "one\n")).status).toBe(202);
  expect((await append(id, kimi, lease, "two\n", "stderr")).status).toBe(202);
  const other = await fed.token("claude");
  expect((await append(id, other, lease, "not mine\n")).status).toBe(403);
  expect((await append(id, kimi, undefined, "no token\n")).status).toBe(409);
  expect((await append(id, ADMIN_TOKEN, lease, "an admin\n")).status).toBe(403);
  expect((await append(id, kimi, lease, "")).status).toBe(422);
  expect((await append(id, kimi, lease, "x".repeat(CHUNK_LIMIT + 1))).status).toBe(422);

  const log = await read(id);
  expect(log.status).toBe(200);
  expect(log.headers.get("content-type")).toContain("text/plain");
  expect(log.body).toBe("one\ntwo\n");
  expect((await call(taskLog.GET, "GET", { token: other, params: { id } })).body).toBe("one\ntwo\n");
  expect((await call(taskLog.GET, "GET", { params: { id } })).status).toBe(401);
  expect((await read("task-20200101-000000-0001")).status).toBe(404);

  // Once the claim has ended, the former holder can no longer write.
  await call(complete.POST, "POST", { token: kimi, lease, params: { id }, body: { success: true } });
  expect((await append(id, kimi, lease, "late\n")).status).toBe(409);
  expect((await read(id)).body).toBe("one\ntwo\n");
});

test("each attempt has its own log: the latest by default, an earlier one by ?attempt=", async () => {
  const first = await held("log-attempts");
  await append(first.id, first.kimi, first.lease, "first attempt\n");
  await call(complete.POST, "POST", {
    token: first.kimi,
    lease: first.lease,
    params: { id: first.id },
    body: { success: false, retry: true },
  });
  const again = await call(claim.POST, "POST", { token: first.kimi, body: { types: ["log-attempts"] } });
  await append(first.id, first.kimi, again.body.leaseToken, "second attempt\n");
  const latest = await read(first.id);
  expect(latest.body).toBe("second attempt\n");
  expect(latest.headers.get("x-attempt")).toBe("2");
  expect((await read(first.id, { attempt: "1" })).body).toBe("first attempt\n");
  expect((await read(first.id, { attempt: "0" })).status).toBe(422);
});

test("a command that prints far more than 1 MiB: the log keeps its last MiB, oldest chunks dropped", async () => {
  const { id, kimi, lease } = await held("log-bounded");
  const chunks = Math.ceil((1.5 * LOG_LIMIT) / CHUNK_LIMIT);
  for (let i = 0; i < chunks; i++)
    expect((await append(id, kimi, lease, `${String(i).padStart(4, "0")}${"x".repeat(CHUNK_LIMIT - 4)}`)).status).toBe(
      202,
    );
  const text = (await read(id)).body as string;
  expect(text.length).toBeLessThanOrEqual(LOG_LIMIT);
  expect(text.length).toBeGreaterThan(LOG_LIMIT - CHUNK_LIMIT);
  expect(text.startsWith("0000")).toBe(false);
  expect(text.slice(-CHUNK_LIMIT).startsWith(String(chunks - 1).padStart(4, "0"))).toBe(true);
  const rows = await fed.db.prisma.taskLogChunk.count({ where: { taskId: id } });
  expect(rows).toBeLessThanOrEqual(Math.ceil(LOG_LIMIT / CHUNK_LIMIT));
});

test("each append reaches live streams as a task.log event, without an event id (the log is not replayed on resume)", async () => {
  const { id, kimi, lease } = await held("log-stream");
  const viewerToken = await fed.token("claude"); // any token may follow the stream
  const stream = reader(
    await events.GET(
      new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${viewerToken}` } }),
    ),
  );
  try {
    // The stream is open once it has said so; then the append.
    await stream.until(() => true).catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    expect((await append(id, kimi, lease, "building…\n")).status).toBe(202);
    const event = await stream.until((e) => e.data?.includes('"task.log"') ?? false);
    expect(JSON.parse(event.data!)).toMatchObject({ type: "task.log", id });
    expect(event.id).toBeUndefined();
    // A refused append (not the holder) announces nothing.
    const seen = stream.seen.filter((e) => e.data?.includes('"task.log"')).length;
    await append(id, viewerToken, lease, "not mine\n");
    await new Promise((r) => setTimeout(r, 500));
    expect(stream.seen.filter((e) => e.data?.includes('"task.log"')).length).toBe(seen);
  } finally {
    await stream.close();
  }
});
