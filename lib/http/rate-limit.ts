// Per-caller token buckets: a burst allowance refilled at a steady rate, the same rate however many instances
// serve the caller and however a balancer spreads it. Each instance counts what each caller asks of it; every
// heartbeat (lib/system/instance.ts) the instances publish those counts and each takes, for each caller, the part
// of the rate that it serves of the caller's demand: a caller pinned to one instance gets its whole rate there, a
// caller spread over three gets a third on each. A caller an instance has no figures for yet gets 1 ÷ live
// instances.
//
// The state lives on globalThis: the production server loads this module twice (its fast lane, and Next's own
// bundle), and both copies must count into the same buckets.
import { setting } from "@/lib/config/settings";
interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

interface State {
  buckets: Map<string, Bucket>;
  /** Requests per caller since the last heartbeat. */
  counts: Map<string, number>;
  countedSince: number;
  /** This instance's part of each caller's demand (0..1), from the last heartbeat. */
  shares: Map<string, number>;
  live: number;
}

const KEY = Symbol.for("federation.rate-limit");
const state: State =
  ((globalThis as Record<symbol, unknown>)[KEY] as State | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = {
    buckets: new Map(),
    counts: new Map(),
    countedSince: Date.now(),
    shares: new Map(),
    live: 1,
  } satisfies State);

/** How many instances are live on this database (this one included); 1 until the first heartbeat. */
export const liveInstances = () => state.live;

/** This instance's part of `key`'s rate. */
export function shareOf(key: string): number {
  return state.shares.get(key) ?? 1 / state.live;
}

export function rateLimitConfig(key?: string): RateLimitConfig {
  const perMinute = setting("FED_RATE_LIMIT_PER_MINUTE");
  const burst = setting("FED_RATE_LIMIT_BURST") ?? Math.max(10, Math.ceil(perMinute / 6));
  const share = key === undefined ? 1 / state.live : shareOf(key);
  return { perMinute: perMinute * share, burst: Math.max(1, burst * share) };
}

/** Failed authentications per client address: a bad token or a forged cookie costs a guesser this budget. */
export function authFailureConfig(key?: string): RateLimitConfig {
  const perMinute = setting("FED_AUTH_FAILURES_PER_MINUTE");
  const burst = Math.max(1, setting("FED_AUTH_FAILURES_BURST") ?? perMinute);
  const share = key === undefined ? 1 / state.live : shareOf(key);
  return { perMinute: perMinute * share, burst: Math.max(1, burst * share) };
}

/** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
export function takeToken(key: string, config = rateLimitConfig(key), now = Date.now()): number {
  if (config.perMinute <= 0) return 0;
  state.counts.set(key, (state.counts.get(key) ?? 0) + 1);
  const ratePerMs = config.perMinute / 60_000;
  const bucket = state.buckets.get(key) ?? { tokens: config.burst, updatedAt: now };
  bucket.tokens = Math.min(config.burst, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
  bucket.updatedAt = now;
  state.buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  if (state.buckets.size > 50_000) state.buckets.clear();
  return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
}

/** What this instance was asked since the last call, per caller, in requests a second (and the count restarts). */
export function takeDemand(now = Date.now()): Record<string, number> {
  const seconds = Math.max(0.001, (now - state.countedSince) / 1000);
  const demand: Record<string, number> = {};
  for (const [key, n] of state.counts) demand[key] = n / seconds;
  state.counts.clear();
  state.countedSince = now;
  return demand;
}

/** The heartbeat's figures: live instances, what this one serves of each caller and what all of them do. */
export function applyDemand(live: number, mine: Record<string, number>, total: Record<string, number>): void {
  state.live = Math.max(1, live);
  state.shares.clear();
  for (const [key, rate] of Object.entries(mine)) {
    const all = total[key] ?? 0;
    if (all > 0 && rate > 0) state.shares.set(key, Math.min(1, rate / all));
  }
  if (state.shares.size > 50_000) state.shares.clear();
}

/** Forgets every bucket and figure (a stopped instance; tests). */
export function resetRateLimits(): void {
  state.buckets.clear();
  state.counts.clear();
  state.shares.clear();
  state.countedSince = Date.now();
  state.live = 1;
}
