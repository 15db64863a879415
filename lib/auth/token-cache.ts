// Agent tokens without a database round trip per request, safe across instances: token hash → agent, kept in
// memory while this instance's change reader is up. Every change to tokens or agents (revocation, status,
// deletion) is an audit event, which every instance reads within a poll (lib/events/bus.ts, ~100 ms) and which
// empties the cache; entries also expire after a short TTL, and nothing is cached while the reader is down.
import { inDomain } from "@/lib/audit/actions";
import { changes, type ChangeEvent } from "@/lib/events/bus";
import { setting } from "@/lib/config/settings";

export const TOKEN_CACHE_TTL_MS = setting("FED_TOKEN_CACHE_TTL_MS");
const MAX_ENTRIES = 10_000;

export interface CachedToken {
  id: string;
  agent: string;
  /** when this instance last recorded the token as used (last_used_at / last_seen_at) */
  touchedAt: number;
  expiresAt: number;
}

interface State {
  entries: Map<string, CachedToken>;
  subscribed: boolean;
  generation: number;
}

const g = globalThis as unknown as { federationTokenCache?: State };
const state = (): State => (g.federationTokenCache ??= { entries: new Map(), subscribed: false, generation: 0 });

// Agent tokens are issued and revoked as agent actions (agent.token_issued, agent.token_revoked).
const invalidates = (e: ChangeEvent) => inDomain(e.type, "agent");

function subscribe(s: State): void {
  if (s.subscribed) return;
  s.subscribed = true;
  const bus = changes();
  const clear = () => {
    s.entries.clear();
    s.generation += 1;
  };
  bus.on("event", (e: ChangeEvent) => invalidates(e) && clear());
  // While the connection is down, or just back, events may have been missed.
  bus.on("disconnected", clear);
  bus.on("connected", clear);
  bus.start().catch(() => {});
}

/** The cached entry for a token hash, or null (also when caching is off because the bus is down). */
export function cachedToken(hash: string, now = Date.now()): CachedToken | null {
  const s = state();
  subscribe(s);
  if (!changes().connected) return null;
  const entry = s.entries.get(hash);
  if (!entry) return null;
  if (entry.expiresAt <= now) {
    s.entries.delete(hash);
    return null;
  }
  return entry;
}

/** The cache's generation: a lookup that started before an invalidation must not store what it read. */
export const cacheGeneration = () => state().generation;

/** Remembers a token until the cache's TTL, or its own expiry when that comes first. */
export function rememberToken(
  hash: string,
  id: string,
  agent: string,
  generation: number,
  now = Date.now(),
  tokenExpiresAt?: number,
): void {
  const s = state();
  subscribe(s);
  if (!changes().connected || generation !== s.generation) return;
  if (s.entries.size >= MAX_ENTRIES) s.entries.clear();
  s.entries.set(hash, {
    id,
    agent,
    touchedAt: now,
    expiresAt: Math.min(now + TOKEN_CACHE_TTL_MS, tokenExpiresAt ?? Infinity),
  });
}

export function forgetTokens(): void {
  const s = state();
  s.entries.clear();
  s.generation += 1;
}
