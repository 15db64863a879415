// Ids take their second from the database's clock (issue 22.9): an instance whose clock is off still hands out
// ids in the database's order, the same clock the sweeps and leases use.
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { nextId } from "@/lib/ids";
import { migratedDatabase, onRealPostgres } from "./helpers/database";

let db: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  db = await migratedDatabase({ install: false });
});
afterAll(() => db.drop());

const dbSecond = async () =>
  (
    await db.prisma.$queryRaw<{ s: string }[]>`
      SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD-HH24MISS') AS s`
  )[0]!.s;

// On the embedded database the server runs inside the test's process and shares its (faked) clock: PostgreSQL only.
test.runIf(onRealPostgres)("an app clock years off does not move the ids: their second is the database's", async () => {
  const before = await dbSecond();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2001-02-03T04:05:06Z"));
  try {
    const id = await nextId(db.prisma, "task");
    const second = /^task-(\d{8}-\d{6})-\d{4}$/.exec(id)![1]!;
    vi.useRealTimers();
    const after = await dbSecond();
    expect(second >= before && second <= after).toBe(true);
  } finally {
    vi.useRealTimers();
  }
  // A test may still fix the second.
  expect(await nextId(db.prisma, "vote", new Date("2026-02-05T19:17:04Z"))).toBe("vote-20260205-191704-0001");
});
