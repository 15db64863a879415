// Per-caller token buckets in this process: a burst allowance refilled at a steady rate.
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
  return { perMinute, burst };
}

const buckets = new Map<string, Bucket>();

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
