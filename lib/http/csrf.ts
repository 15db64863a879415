// Cross-site request forgery on cookie-authenticated writes: the browser sends the session cookie with a
// request any page can make, so such a write must come from our own origin and carry JSON, which a plain
// HTML form or a no-CORS fetch cannot send. Bearer-token calls carry no ambient credential and are unaffected.
import { DomainError, Forbidden } from "@/lib/errors";
import { setting } from "@/lib/config/settings";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function allowedHosts(req: Request): Set<string> {
  const hosts = new Set<string>();
  const host = req.headers.get("host");
  if (host) hosts.add(host.toLowerCase());
  hosts.add(new URL(req.url).host.toLowerCase());
  const publicUrl = setting("NEXTAUTH_URL");
  if (publicUrl) hosts.add(new URL(publicUrl).host.toLowerCase());
  return hosts;
}

function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  return (length !== null && length !== "0") || req.headers.has("transfer-encoding");
}

export function checkCookieWrite(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") throw new Forbidden(`Cross-site request refused (Sec-Fetch-Site: ${site}).`);
  const origin = req.headers.get("origin");
  if (origin) {
    let host: string | null = null;
    try {
      host = origin === "null" ? null : new URL(origin).host.toLowerCase();
    } catch {
      host = null;
    }
    if (!host || !allowedHosts(req).has(host))
      throw new Forbidden(`Cross-site request refused: origin ${origin} is not this app.`);
  } else if (site !== "same-origin") {
    throw new Forbidden(
      "A signed-in write must say where it comes from (an Origin or Sec-Fetch-Site header), as browsers do.",
    );
  }
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (hasBody(req) && type !== "application/json") {
    throw new DomainError(415, "Unsupported media type", "Send the body as Content-Type: application/json.");
  }
}
