// Token buckets: a burst, then a steady rate, and how long to wait.
import { expect, test, vi } from "vitest";
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

test("two copies of the module (the fast lane's and Next's bundle) count into the same buckets", async () => {
  const config = { perMinute: 60, burst: 2 };
  const t0 = 5_000_000;
  expect(takeToken("shared", config, t0)).toBe(0);
  vi.resetModules();
  const other = await import("./rate-limit");
  expect(other.takeToken).not.toBe(takeToken);
  expect(other.takeToken("shared", config, t0)).toBe(0);
  expect(takeToken("shared", config, t0)).toBe(1);
});

test("an instance takes the part of a caller's rate that it serves of the caller's demand", async () => {
  const { applyDemand, rateLimitConfig, resetRateLimits } = await import("./rate-limit");
  process.env.FED_RATE_LIMIT_PER_MINUTE = "600";
  process.env.FED_RATE_LIMIT_BURST = "30";
  try {
    applyDemand(3, { pinned: 40, spread: 10 }, { pinned: 40, spread: 30, elsewhere: 20 });
    expect(rateLimitConfig("pinned")).toEqual({ perMinute: 600, burst: 30 });
    expect(rateLimitConfig("spread")).toEqual({ perMinute: 200, burst: 10 });
    expect(rateLimitConfig("new")).toEqual({ perMinute: 200, burst: 10 }); // no figures yet: 1 ÷ live instances
  } finally {
    resetRateLimits();
    delete process.env.FED_RATE_LIMIT_PER_MINUTE;
    delete process.env.FED_RATE_LIMIT_BURST;
  }
});
