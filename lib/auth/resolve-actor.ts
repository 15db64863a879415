// Turns a request's credentials (bearer token or next-auth session cookie) into an Actor.
import { getToken } from "next-auth/jwt";
import { poolOf, statement, type Tx } from "@/lib/db/client";
import { Unauthorized } from "@/lib/errors";
import type { Actor } from "./actor";
import { authSecret } from "./secret";
import { actorFromSession } from "./sessions";
import { cacheGeneration, cachedToken, rememberToken } from "./token-cache";
import { constantTimeEqual, hashToken } from "./tokens";
import { actorFromPersonalToken, PERSONAL_TOKEN_PREFIX } from "@/lib/users/tokens";
import { setting } from "@/lib/config/settings";

export function adminToken(): string | null {
  return setting("FED_ADMIN_TOKEN") ?? null; // at least 32 characters, checked at start
}

const TOUCH_EVERY_MS = 30_000;

const agentActor = (id: string, agent: string): Actor => ({
  kind: "agent",
  role: "agent",
  agent,
  tokenId: id,
  label: agent,
});

export async function actorFromBearer(db: Tx, token: string): Promise<Actor> {
  const admin = adminToken();
  if (admin && constantTimeEqual(token, admin)) return { kind: "admin-token", role: "admin", label: "admin-token" };
  if (token.startsWith(PERSONAL_TOKEN_PREFIX)) {
    const person = await actorFromPersonalToken(db, token);
    if (!person) throw new Unauthorized("The bearer token is unknown, revoked or expired, or its person is disabled.");
    return person;
  }
  const hash = hashToken(token);
  const hit = cachedToken(hash);
  if (hit) {
    // Recorded as used at most every 30 s, off the request's path.
    if (Date.now() - hit.touchedAt > TOUCH_EVERY_MS) {
      hit.touchedAt = Date.now();
      poolOf(db)
        .query(statement(db, "fed_token_touch_v1", TOUCH_SQL, [hit.id]))
        .catch(() => {});
    }
    return agentActor(hit.id, hit.agent);
  }
  const generation = cacheGeneration();
  // One round trip: find the token and, at most every 30 s, record when it (and its agent) was last seen.
  const { rows } = await poolOf(db).query<{
    id: string;
    agent_name: string;
    revoked_at: Date | null;
    expires_at: Date | null;
  }>(
    statement(
      db,
      "fed_token_v2",
      `WITH t AS (
       SELECT id, agent_name, revoked_at, last_used_at, expires_at FROM agent_tokens WHERE token_hash = $1
     ), touched AS (
       UPDATE agent_tokens SET last_used_at = now() FROM t
       WHERE agent_tokens.id = t.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
         AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '30 seconds')
       RETURNING agent_tokens.agent_name
     ), seen AS (
       UPDATE agents SET last_seen_at = now() WHERE name IN (SELECT agent_name FROM touched)
     )
     SELECT id, agent_name, revoked_at, expires_at FROM t`,
      [hash],
    ),
  );
  const row = rows[0];
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now()))
    throw new Unauthorized("The bearer token is unknown, revoked or expired.");
  rememberToken(hash, row.id, row.agent_name, generation, Date.now(), row.expires_at?.getTime());
  const agentName = row.agent_name;
  return agentActor(row.id, agentName);
}

const TOUCH_SQL = `WITH touched AS (
    UPDATE agent_tokens SET last_used_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING agent_name
  )
  UPDATE agents SET last_seen_at = now() WHERE name IN (SELECT agent_name FROM touched)`;

/** The actor behind a request, or null when it carries no credentials at all. */
export async function resolveActor(db: Tx, req: Request): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match?.[1]) throw new Unauthorized("The Authorization header must be `Bearer <token>`.");
    return actorFromBearer(db, match[1]);
  }
  const cookieHeader = req.headers.get("cookie");
  if (!cookieHeader) return null;
  const cookies = parseCookies(cookieHeader);
  const jwt = await getToken({ req: { headers: {}, cookies } as never, secret: authSecret() });
  if (typeof jwt?.sid !== "string") return null;
  return actorFromSession(db, jwt.sid);
}

function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
