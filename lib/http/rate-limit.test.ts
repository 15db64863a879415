// Token buckets: a burst, then a steady rate, and how long to wait.
import { expect, test } from "vitest";
import { takeToken } from "./rate-limit";

test("a caller gets its burst at once, then waits for the bucket to refill", () => {
  const config = { perMinute: 60, burst: 3 };
  const t0 = 1_000_000;
  expect([0, 1, 2].map(() => takeToken("a", config, t0))).toEqual([0, 0, 0]);
  expect(takeToken("a", config, t0)).toBe(1);
  expect(takeToken("a", config, t0 + 1_000)).toBe(0);
  expect(takeToken("b", config, t0)).toBe(0);
});

test("a limit of 0 means no limit", () => {
  for (let i = 0; i < 100; i++) expect(takeToken("c", { perMinute: 0, burst: 0 })).toBe(0);
});
