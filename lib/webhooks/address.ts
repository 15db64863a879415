// Where a webhook may not go (SSRF): loopback, private, link-local (cloud metadata lives there), carrier-grade NAT,
// multicast and reserved addresses, in IPv4 and IPv6 (IPv4 written inside IPv6 counts as the IPv4 it holds). Checked
// when an endpoint is registered and again on the address a delivery actually connects to (lib/webhooks/http.ts), so
// a name that resolves elsewhere by the time of sending (DNS rebinding) is refused too — unless
// FED_WEBHOOK_ALLOW_HOSTS lists the host.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { setting } from "@/lib/config/settings";

const V4: [string, number, string][] = [
  ["0.0.0.0", 8, "this network"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local (cloud metadata)"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];
const V6: [string, number, string][] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fc00::", 7, "private (unique local; cloud metadata)"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
  ["2001:db8::", 32, "documentation"],
  ["100::", 64, "discard"],
  ["2001::", 32, "Teredo tunnel (hides an IPv4 address)"],
  ["64:ff9b:1::", 48, "local-use NAT64"],
];

function listOf(ranges: [string, number, string][], family: "ipv4" | "ipv6"): Map<string, BlockList> {
  const byReason = new Map<string, BlockList>();
  for (const [net, prefix, reason] of ranges) {
    const list = byReason.get(reason) ?? new BlockList();
    list.addSubnet(net, prefix, family);
    byReason.set(reason, list);
  }
  return byReason;
}
const v4 = listOf(V4, "ipv4");
const v6 = listOf(V6, "ipv6");

/**
 * The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002:aabb:ccdd::/48,
 * compatible ::a.b.c.d), if any.
 */
function embeddedV4(address: string): string | null {
  const expanded = expand(address);
  if (!expanded) return null;
  const words = expanded.split(":").map((w) => parseInt(w, 16));
  const tail = `${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
  const zeros = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (zeros(5) && words[5] === 0xffff) return tail; // ::ffff:a.b.c.d
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return tail; // NAT64
  if (words[0] === 0x2002) return `${words[1]! >> 8}.${words[1]! & 255}.${words[2]! >> 8}.${words[2]! & 255}`; // 6to4
  if (zeros(6) && (words[6] !== 0 || words[7]! > 1)) return tail; // ::a.b.c.d (deprecated "compatible")
  return null;
}

/** Eight 4-digit groups, or null when this is not an IPv6 address. */
function expand(address: string): string | null {
  if (isIP(address) !== 6) return null;
  let a = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const [p, q, r, s] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    a = a.slice(0, -dotted[1]!.length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, tail] = a.includes("::") ? a.split("::") : [a, null];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === null ? [] : Array(8 - h.length - t.length).fill("0");
  const groups = [...h, ...fill, ...t];
  if (groups.length !== 8) return null;
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

/** Why an IP address may not receive webhooks, or null when it may (a public unicast address). */
export function blockedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) {
    if (address === "255.255.255.255") return "broadcast";
    for (const [reason, list] of v4) if (list.check(address, "ipv4")) return reason;
    return null;
  }
  if (family === 6) {
    const inner = embeddedV4(address);
    if (inner) return blockedReason(inner);
    const bare = address.split("%")[0]!;
    for (const [reason, list] of v6) if (list.check(bare, "ipv6")) return reason;
    return null;
  }
  return "not an IP address";
}

/** The hosts FED_WEBHOOK_ALLOW_HOSTS lets through although their addresses are blocked. */
export function allowedHosts(): Set<string> {
  return new Set(
    (setting("FED_WEBHOOK_ALLOW_HOSTS") ?? "")
      .split(",")
      .map((h) => bareHost(h.trim()))
      .filter(Boolean),
  );
}

/** A URL's host as compared with the allowance: lower case, IPv6 without brackets. */
export const bareHost = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, "$1");

/**
 * Why a webhook URL may not be registered, or null. Only http(s), no credentials in it; a literal address or a name
 * that resolves now to a blocked address is refused unless allowed. A name that does not resolve now is accepted:
 * every delivery checks the address it connects to.
 */
export async function urlProblem(raw: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Not a URL.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Only http:// and https:// URLs receive webhooks.";
  if (url.username || url.password) return "Put no credentials in the URL; verify deliveries by their signature.";
  const host = bareHost(url.hostname);
  if (allowedHosts().has(host)) return null;
  if (isIP(host)) {
    const reason = blockedReason(host);
    return reason ? refusal(host, reason) : null;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return null;
  }
  for (const { address } of addresses) {
    const reason = blockedReason(address);
    if (reason) return refusal(`${host} (${address})`, reason);
  }
  return null;
}

export const refusal = (what: string, reason: string) =>
  `${what} is a ${reason} address: webhooks do not go there unless FED_WEBHOOK_ALLOW_HOSTS lists the host.`;
