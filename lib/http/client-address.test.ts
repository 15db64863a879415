// Whose address a request is counted under: X-Forwarded-For counts only when a trusted proxy sent it.
import { describe, expect, test } from "vitest";
import { clientAddress, trustedProxies } from "./client-address";

describe("clientAddress", () => {
  const none = trustedProxies("");
  const proxies = trustedProxies("10.0.0.0/8, ::1");
  test.each([
    ["no proxies configured: the peer, whatever the header says", "203.0.113.9", "1.2.3.4", none, "203.0.113.9"],
    ["an untrusted peer cannot forge its address", "203.0.113.9", "1.2.3.4", proxies, "203.0.113.9"],
    ["a trusted proxy vouches for the client", "10.0.0.5", "198.51.100.7", proxies, "198.51.100.7"],
    ["a forged hop left of the real client is ignored", "10.0.0.5", "1.2.3.4, 198.51.100.7", proxies, "198.51.100.7"],
    [
      "chains of trusted proxies are walked from the right",
      "10.0.0.5",
      "198.51.100.7, 10.1.1.1",
      proxies,
      "198.51.100.7",
    ],
    ["IPv4-mapped IPv6 peers are read as IPv4", "::ffff:10.0.0.5", "198.51.100.7", proxies, "198.51.100.7"],
    ["an IPv6 loopback proxy", "::1", "2001:db8::1", proxies, "2001:db8::1"],
    ["a trusted peer without the header is the client", "10.0.0.5", undefined, proxies, "10.0.0.5"],
  ])("%s", (_, peer, xff, trusted, expected) => expect(clientAddress(peer, xff, trusted)).toBe(expected));

  test("a malformed FED_TRUSTED_PROXIES entry is refused at start", () => {
    expect(() => trustedProxies("10.0.0.0/8, not-an-ip")).toThrow(/not-an-ip/);
  });
});
