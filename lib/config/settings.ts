// Every setting the app reads from its environment, in one typed table: what it accepts, its default and what it
// means. `npm start` checks them all before anything else (a typo stops it, naming the variable and what it
// accepts, instead of a NaN that silently turns a limit off), each value is parsed once, and the README's
// configuration table is generated from this table (`npm run docs:settings`; a test keeps the two equal).
import { z } from "zod";

interface Setting<T> {
  /** What a person may write, for the error message. */
  accepts: string;
  /** The default as the README shows it. */
  shown: string;
  meaning: string;
  /** Parses the raw value (undefined or "" when unset). */
  schema: z.ZodType<T, string | undefined>;
  /** Read by tooling (tests, screenshots), not by the app: documented here, not checked at start. */
  tooling?: boolean;
}

const ANY = "any text";
const unset = (v: string | undefined) => v === undefined || v.trim() === "";

function integer(
  opts: { default: number; min: number; max?: number; shown?: string },
  meaning: string,
): Setting<number> {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const accepts = opts.max === undefined ? `a whole number ≥ ${opts.min}` : `a whole number from ${opts.min} to ${max}`;
  return {
    accepts,
    shown: opts.shown ?? `\`${opts.default}\``,
    meaning,
    schema: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (unset(v)) return opts.default;
        const n = Number(v!.trim());
        if (!/^-?\d+$/.test(v!.trim()) || !Number.isSafeInteger(n) || n < opts.min || n > max) {
          ctx.addIssue({ code: "custom", message: accepts });
          return z.NEVER;
        }
        return n;
      }),
  };
}

/** A whole number whose default follows another setting: undefined when unset. */
function optionalInteger(opts: { min: number; shown: string }, meaning: string): Setting<number | undefined> {
  const base = integer({ default: 0, min: opts.min, shown: opts.shown }, meaning);
  return {
    ...base,
    schema: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (unset(v)) return undefined;
        const parsed = base.schema.safeParse(v);
        if (!parsed.success) {
          ctx.addIssue({ code: "custom", message: base.accepts });
          return z.NEVER;
        }
        return parsed.data;
      }),
  };
}

function text(
  opts: { shown: string; accepts?: string; check?: (v: string) => boolean; tooling?: boolean },
  meaning: string,
): Setting<string | undefined> {
  const accepts = opts.accepts ?? ANY;
  return {
    accepts,
    shown: opts.shown,
    meaning,
    ...(opts.tooling ? { tooling: true } : {}),
    schema: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (unset(v)) return undefined;
        if (opts.check && !opts.check(v!)) {
          ctx.addIssue({ code: "custom", message: accepts });
          return z.NEVER;
        }
        return v;
      }),
  };
}

const isUrl = (v: string) => URL.canParse(v);
const isPostgresUrl = (v: string) => isUrl(v) && /^postgres(ql)?:$/.test(new URL(v).protocol);

/** The table. Order is the README's. */
export const SETTINGS = {
  DATABASE_URL: text(
    { shown: "— (embedded)", accepts: "a postgresql:// URL", check: isPostgresUrl },
    "PostgreSQL to use. Unset: embedded PGlite under `FED_DATA_DIR`.",
  ),
  FED_DATA_DIR: text({ shown: "`./.data`" }, "Embedded database files (`pgdata/`) and the generated session secret."),
  PORT: integer({ default: 3000, min: 1, max: 65535 }, "Where `npm start` serves the app."),
  HOST: text({ shown: "`0.0.0.0`" }, "The address `npm start` listens on."),
  FED_ADMIN_EMAIL: text(
    { shown: "`admin@federation.local`", accepts: "an email address", check: (v) => /^[^@\s]+@[^@\s]+$/.test(v) },
    "Email of the first admin, created on an empty database.",
  ),
  FED_ADMIN_PASSWORD: text(
    { shown: "generated, printed once", accepts: "at least 10 characters", check: (v) => v.length >= 10 },
    "Password of the first admin.",
  ),
  FED_ADMIN_TOKEN: text(
    { shown: "—", accepts: "at least 32 characters", check: (v) => v.length >= 32 },
    "A bootstrap admin bearer token for scripts (compared in constant time).",
  ),
  NEXTAUTH_SECRET: text(
    { shown: "generated into `FED_DATA_DIR/auth-secret`" },
    "Signs session cookies. Every instance on one database must share it: an instance started with another refuses to start and says why.",
  ),
  NEXTAUTH_URL: text(
    { shown: "—", accepts: "an http(s) URL", check: (v) => isUrl(v) && /^https?:$/.test(new URL(v).protocol) },
    "Public URL of the app; without it the request's host is trusted (`AUTH_TRUST_HOST=true`).",
  ),
  FED_DB_POOL_SIZE: integer({ default: 10, min: 1, max: 1000 }, "Connections per app instance."),
  FED_DB_POOL_TIMEOUT_MS: integer(
    { default: 5000, min: 1 },
    "How long a request waits for a pooled database connection (or for a new connection to answer) before it is answered 503 with `Retry-After`.",
  ),
  FED_DB_QUERY_TIMEOUT_MS: integer(
    { default: 8000, min: 0 },
    "How long one statement may go unanswered (a silent network) before the app gives up on it, closes that connection and answers 503; `0` turns it off (bulk scripts).",
  ),
  FED_RATE_LIMIT_PER_MINUTE: integer(
    { default: 6000, min: 0 },
    "Per-token (or per-user) API rate limit for the whole federation: each live instance takes the part of a caller's rate that it serves of the caller's demand (published every heartbeat), so a caller pinned to one instance and one spread over all get the same rate; over it the API answers 429 with `Retry-After`. `0` disables it.",
  ),
  FED_RATE_LIMIT_BURST: optionalInteger(
    { min: 1, shown: "a sixth of the per-minute rate, at least 10" },
    "How many requests a caller may make at once before the per-minute rate applies.",
  ),
  FED_AUTH_FAILURES_PER_MINUTE: integer(
    { default: 30, min: 0 },
    "Requests with bad credentials allowed per client address; beyond them further bad ones get 429 for a while. Valid credentials are always checked first and always served. `0` disables it.",
  ),
  FED_AUTH_FAILURES_BURST: optionalInteger(
    { min: 1, shown: "the per-minute figure" },
    "Bad-credential requests allowed at once per client address.",
  ),
  FED_TRUSTED_PROXIES: text(
    { shown: "—" },
    "Comma-separated addresses or CIDR ranges of your reverse proxies (`10.0.0.0/8, ::1`). Only a request from one of them has its `X-Forwarded-For` believed; otherwise the socket's peer is the client's address.",
  ),
  FED_SWEEP_INTERVAL_MS: integer(
    { default: 5000, min: 100 },
    "How often each instance reaps expired leases (failing tasks out of attempts, with an escalation) and trains the router on new outcomes.",
  ),
  FED_DISABLE_SWEEPS: text(
    { shown: "—", accepts: "1 or 0", check: (v) => v === "1" || v === "0" },
    "`1` turns the background sweeps off on this instance.",
  ),
  FED_POLL_MS: integer(
    { default: 3000, min: 500 },
    "How often pages refetch while their live stream (`GET /api/v1/events`) is down. While it is up, changes arrive by push and pages refetch only what a change touches (and at most every 30 s on their own).",
  ),
  FED_EVENTS_POLL_MS: integer(
    { default: 100, min: 10 },
    "How often each instance reads new changes from the audit log for its live streams.",
  ),
  FED_SSE_HEARTBEAT_MS: integer(
    { default: 15000, min: 100 },
    "How often an idle live stream sends a comment line, so proxies keep it open.",
  ),
  FED_SSE_RECHECK_MS: integer(
    { default: 5000, min: 100 },
    "How often a live stream checks that its credentials are still valid (a revoked token or a signed-out session ends it).",
  ),
  FED_INSTANCE_HEARTBEAT_MS: integer(
    { default: 2000, min: 100 },
    "How often an instance says it is alive (and publishes its callers' demand, for the shared rate limit).",
  ),
  FED_TOKEN_CACHE_TTL_MS: integer(
    { default: 10000, min: 0 },
    "How long an instance trusts a token it has checked (a revocation reaches every instance at once regardless).",
  ),
  FED_PUBLIC_URL: text(
    {
      shown: "`NEXTAUTH_URL`, else `http://localhost:3000`",
      accepts: "an http(s) URL",
      check: (v) => isUrl(v) && /^https?:$/.test(new URL(v).protocol),
    },
    "The app's address as people reach it: the links in webhooks, Slack and Discord messages and mails.",
  ),
  FED_WEBHOOK_ALLOW_HOSTS: text(
    { shown: "—" },
    "Comma-separated host names (or addresses) webhooks may reach although they are loopback, private, link-local or metadata addresses (a receiver on this machine or the LAN). Anything else there is refused.",
  ),
  FED_SMTP_URL: text(
    {
      shown: "— (no mail)",
      accepts: "an smtp:// or smtps:// URL",
      check: (v) => isUrl(v) && /^smtps?:$/.test(new URL(v).protocol),
    },
    "Mail server for notifications, e.g. `smtps://user:pass@mail.example.com:465`. Unset: no mail is sent.",
  ),
  FED_MAIL_FROM: text({ shown: "`Federation <federation@localhost>`" }, "The From of notification mails."),
  FED_NOTIFY_INTERVAL_MS: integer(
    { default: 1000, min: 50 },
    "How often each instance turns new events into webhook deliveries and mails, and sends what is due.",
  ),
  FED_SERVER_NODE_ARGS: text(
    { shown: "—" },
    "Extra Node flags for the server process `npm start` runs (`--cpu-prof` when profiling a benchmark).",
  ),
  CHROMIUM_PATH: text(
    { shown: "`/usr/bin/chromium`", tooling: true },
    "Browser for the Playwright tests and `npm run screenshots`.",
  ),
  TEST_DATABASE_URL: text(
    { shown: "`DATABASE_URL`", accepts: "a postgresql:// URL", check: isPostgresUrl, tooling: true },
    "Server on which the integration tests create their databases.",
  ),
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<N extends SettingName> = z.output<(typeof SETTINGS)[N]["schema"]>;

export class SettingsError extends Error {
  constructor(readonly problems: { name: string; value: string; accepts: string }[]) {
    super(
      problems
        .map((p) => `${p.name}=${JSON.stringify(p.value)} is not valid: ${p.name} accepts ${p.accepts}.`)
        .join("\n"),
    );
    this.name = "SettingsError";
  }
}

/** Every app setting's problem in `env` (tooling settings aside); none when all parse. */
export function settingsProblems(env: Record<string, string | undefined> = process.env): SettingsError["problems"] {
  const problems: SettingsError["problems"] = [];
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
    if (setting.tooling) continue;
    if (!setting.schema.safeParse(env[name]).success)
      problems.push({ name, value: env[name] ?? "", accepts: setting.accepts });
  }
  return problems;
}

/** Throws a SettingsError naming every bad variable: the first thing `npm start` and the server do. */
export function checkSettings(env: Record<string, string | undefined> = process.env): void {
  const problems = settingsProblems(env);
  if (problems.length) throw new SettingsError(problems);
}

const parsed = new Map<string, { raw: string | undefined; value: unknown }>();

/** One setting's value, parsed once per raw value (tests change a few between cases). */
export function setting<N extends SettingName>(name: N): ValueOf<N> {
  const raw = process.env[name];
  const cached = parsed.get(name);
  if (cached && cached.raw === raw) return cached.value as ValueOf<N>;
  const result = (SETTINGS[name].schema as z.ZodType<unknown, string | undefined>).safeParse(raw);
  if (!result.success) throw new SettingsError([{ name, value: raw ?? "", accepts: SETTINGS[name].accepts }]);
  parsed.set(name, { raw, value: result.data });
  return result.data as ValueOf<N>;
}

const escapeCell = (s: string) => s.replace(/\|/g, "\\|");

/** The README's configuration table, generated from SETTINGS. */
export function settingsTable(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]).map(
    ([name, s]) =>
      `| \`${name}\` | ${escapeCell(s.shown)} | ${escapeCell(s.meaning)}${s.accepts === ANY ? "" : ` Accepts ${escapeCell(s.accepts)}.`} |`,
  );
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
