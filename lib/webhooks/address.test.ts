// The SSRF classifier: every kind of address a webhook must not reach, in both families and in IPv6 disguises.
import { afterEach, expect, test } from "vitest";
import { blockedReason, urlProblem } from "./address";

afterEach(() => {
  delete process.env.FED_WEBHOOK_ALLOW_HOSTS;
});

test.each([
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["10.0.0.1", "private"],
  ["172.16.5.4", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "link-local (cloud metadata)"],
  ["100.64.0.1", "carrier-grade NAT"],
  ["0.0.0.0", "this network"],
  ["224.0.0.1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["::1", "loopback"],
  ["::", "unspecified"],
  ["fe80::1", "link-local"],
  ["fd00:ec2::254", "private (unique local; cloud metadata)"],
  ["fc00::1", "private (unique local; cloud metadata)"],
  ["ff02::1", "multicast"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:169.254.169.254", "link-local (cloud metadata)"],
  ["64:ff9b::a00:1", "private"],
  ["::127.0.0.1", "loopback"],
  ["2002:a9fe:a9fe::1", "link-local (cloud metadata)"],
  ["2002:7f00:1::", "loopback"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo tunnel (hides an IPv4 address)"],
  ["64:ff9b:1::a00:1", "local-use NAT64"],
])("%s is refused (%s)", (address, reason) => {
  expect(blockedReason(address)).toBe(reason);
});

test.each([
  "93.184.216.34",
  "8.8.8.8",
  "172.32.0.1",
  "2606:4700:4700::1111",
  "::ffff:8.8.8.8",
  "1.1.1.1",
  "2002:808:808::1",
])("%s is a public address", (address) => expect(blockedReason(address)).toBeNull());

test("a URL: only http(s), no credentials, literal and resolved addresses checked, the allowance honoured", async () => {
  expect(await urlProblem("http://169.254.169.254/latest/meta-data")).toMatch(/link-local/);
  expect(await urlProblem("http://10.0.0.1/")).toMatch(/private/);
  expect(await urlProblem("http://[::1]/")).toMatch(/loopback/);
  expect(await urlProblem("http://localhost:9/")).toMatch(/loopback/);
  expect(await urlProblem("ftp://example.com/")).toMatch(/http/);
  expect(await urlProblem("https://user:pw@example.com/")).toMatch(/credentials/);
  expect(await urlProblem("not a url")).toMatch(/Not a URL/);
  expect(await urlProblem("https://8.8.8.8/hook")).toBeNull();
  process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1, [::1]";
  expect(await urlProblem("http://127.0.0.1:8080/")).toBeNull();
  expect(await urlProblem("http://[::1]:8080/")).toBeNull();
  expect(await urlProblem("http://10.0.0.1/")).toMatch(/private/);
});
