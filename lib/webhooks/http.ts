// One POST to a webhook receiver: the address connected to is checked (lib/webhooks/address.ts) at connect time, so
// a name that resolved to a public address when registered and to a private one now is refused; redirects are not
// followed; the whole exchange is bounded in time; only the start of the answer is kept.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { storable } from "@/lib/text/storable";
import { allowedHosts, bareHost, blockedReason, refusal } from "./address";

export const TIMEOUT_MS = 10_000;
const EXCERPT = 1024;

export interface PostResult {
  status: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string;
}

class Refused extends Error {}

/** dns.lookup that fails for a blocked address. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 4);
    for (const a of addresses) {
      const reason = blockedReason(a.address);
      if (reason) return callback(new Refused(refusal(`${hostname} (${a.address})`, reason)), "", 4);
    }
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = TIMEOUT_MS,
): Promise<PostResult> {
  const started = performance.now();
  // What a receiver answers is kept whatever it holds: a NUL or half a character would make the attempt unstorable.
  const done = (r: Omit<PostResult, "latencyMs">): PostResult => ({
    status: r.status,
    error: r.error === null ? null : storable(r.error).slice(0, 500),
    excerpt: storable(r.excerpt),
    latencyMs: Math.round(performance.now() - started),
  });
  const url = new URL(rawUrl);
  const host = bareHost(url.hostname);
  const allowed = allowedHosts().has(host);
  if (!allowed && isIP(host)) {
    const reason = blockedReason(host);
    if (reason) return done({ status: null, error: refusal(host, reason), excerpt: "" });
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const req = client.request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Federation-Webhooks/1",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
        agent: false,
        ...(allowed ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        let excerpt = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (excerpt.length < EXCERPT) excerpt = (excerpt + chunk).slice(0, EXCERPT);
        });
        const status = res.statusCode ?? null;
        const end = () =>
          finish({
            status,
            excerpt,
            error:
              status !== null && status >= 300 && status < 400
                ? `Answered ${status} (a redirect${res.headers.location ? ` to ${res.headers.location}` : ""}): redirects are not followed.`
                : status !== null && status >= 400
                  ? `Answered ${status}.`
                  : null,
          });
        res.on("end", end);
        res.on("error", end);
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, error: `No answer within ${timeoutMs / 1000} s.`, excerpt: "" });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) =>
      finish({
        status: null,
        error: error instanceof Refused ? error.message : `Could not deliver: ${error.message}`,
        excerpt: "",
      }),
    );
    req.end(body);
  });
}
