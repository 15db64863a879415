// The sign-in page's callbackUrl never leaves the app.
import { expect, test } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

test.each([
  [undefined, "/"],
  ["/queue?state=failed", "/queue?state=failed"],
  ["/queue/task-20260101-000000-0001#history", "/queue/task-20260101-000000-0001#history"],
  ["/\\evil.example", "/"],
  ["/%5Cevil.example", "/%5Cevil.example"],
  ["//evil.example/path", "/"],
  ["https://evil.example/", "/"],
  ["http://federation.invalid@evil.example/", "/"],
  ["javascript:alert(1)", "/"],
  ["\\\\evil.example", "/"],
  ["/\t/evil.example", "/"],
  // Relatives found by the attack run: each normalises to a path that starts with "//" (another host).
  ["/.//evil.test", "/evil.test"],
  ["/./\\evil.test", "/evil.test"],
  ["/a/..//evil.test", "/evil.test"],
  ["/%2f%2fevil.test", "/%2f%2fevil.test"],
  ["/%09/evil.test", "/%09/evil.test"],
  ["///evil.test", "/"],
])("%s → %s", (input, expected) => expect(safeCallbackPath(input)).toBe(expected));
