// Per-caller token buckets: a burst allowance refilled at a steady rate. Each instance keeps its own buckets and
// takes its share of the configured rate (rate ÷ live instances, lib/system/instance.ts), so behind a load
// balancer that spreads requests the whole federation allows the configured rate.
import { liveInstances } from "@/lib/system/instance";
interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

export function rateLimitConfig(): RateLimitConfig {
  const perMinute = Number(process.env.FED_RATE_LIMIT_PER_MINUTE ?? 6000);
  const burst = Number(process.env.FED_RATE_LIMIT_BURST ?? Math.max(10, Math.ceil(perMinute / 6)));
  const share = liveInstances();
  return { perMinute: perMinute / share, burst: Math.max(1, burst / share) };
}

/** Failed authentications per client address: a bad token or a forged cookie costs a guesser this budget. */
export function authFailureConfig(): RateLimitConfig {
  const perMinute = Number(process.env.FED_AUTH_FAILURES_PER_MINUTE ?? 30);
  return { perMinute, burst: Math.max(1, Number(process.env.FED_AUTH_FAILURES_BURST ?? perMinute)) };
}

const buckets = new Map<string, Bucket>();

/** Seconds until `key` has a token again, without taking one (0: it has one now). */
export function peekToken(key: string, config: RateLimitConfig, now = Date.now()): number {
  const bucket = buckets.get(key);
  if (config.perMinute <= 0 || !bucket) return 0;
  const tokens = Math.min(config.burst, bucket.tokens + (now - bucket.updatedAt) * (config.perMinute / 60_000));
  return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / (config.perMinute / 60_000) / 1000));
}

/** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
export function takeToken(key: string, config = rateLimitConfig(), now = Date.now()): number {
  if (config.perMinute <= 0) return 0;
  const ratePerMs = config.perMinute / 60_000;
  const bucket = buckets.get(key) ?? { tokens: config.burst, updatedAt: now };
  bucket.tokens = Math.min(config.burst, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
  bucket.updatedAt = now;
  buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  if (buckets.size > 50_000) buckets.clear();
  return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
}
