// Human-readable ids like the seed's: `task-20260205-191704-0001` (UTC second + per-second sequence).
import type { Tx } from "@/lib/db/client";

export function utcStamp(date: Date): string {
  const iso = date.toISOString(); // 2026-02-05T19:17:04.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/**
 * The next id for `prefix`. Its second comes from the database's clock (as the sweeps' and leases' times do), so
 * instances whose clocks disagree still hand out ids in the database's order; `now` fixes it for a test.
 */
export async function nextId(db: Tx, prefix: "task" | "vote" | "esc" | "rule", now?: Date): Promise<string> {
  const rows = await db.$queryRaw<{ second: string; value: number }[]>`
    INSERT INTO id_sequences (prefix, second, value)
    VALUES (${prefix}, coalesce(${now ? utcStamp(now) : null}::text,
                                to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD-HH24MISS')), 1)
    ON CONFLICT (prefix, second) DO UPDATE SET value = id_sequences.value + 1
    RETURNING second, value`;
  return `${prefix}-${rows[0]!.second}-${String(rows[0]!.value).padStart(4, "0")}`;
}
