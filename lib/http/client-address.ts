// The client's address, for per-address limits: the socket's peer, or — only when that peer is a proxy
// listed in FED_TRUSTED_PROXIES — the nearest untrusted hop of X-Forwarded-For. The production server
// (scripts/server.ts) computes it once per request and passes it on in CLIENT_ADDRESS_HEADER, replacing
// whatever a client sent in that header.
import { BlockList, isIP } from "node:net";
import { setting } from "@/lib/config/settings";

export const CLIENT_ADDRESS_HEADER = "x-fed-client-address";

function normalize(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, "");
  return a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** FED_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (IPv4 or IPv6), e.g. `10.0.0.0/8, ::1`. */
export function trustedProxies(spec = setting("FED_TRUSTED_PROXIES") ?? ""): BlockList {
  const list = new BlockList();
  for (const entry of spec
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const ip = normalize(address!);
    const family = isIP(ip) === 6 ? "ipv6" : isIP(ip) === 4 ? "ipv4" : null;
    if (!family) throw new Error(`FED_TRUSTED_PROXIES: ${entry} is not an IP address or CIDR range.`);
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList): string {
  let address = normalize(peer ?? "") || "unknown";
  if (!isTrusted(trusted, address) || !forwardedFor) return address;
  const hops = forwardedFor.split(",").map(normalize).filter(Boolean);
  // From the right: each trusted proxy vouches for the hop before it; the first untrusted hop is the client.
  while (hops.length) {
    address = hops.pop()!;
    if (!isTrusted(trusted, address)) return address;
  }
  return address;
}

/** The address the production server vouched for, or "local" when the app runs without it (tests, next dev). */
export function requestAddress(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER) ?? "local";
}
