// Password hashes: scrypt, salted, verifiable, never the password.
import { expect, test } from "vitest";
import { hashPassword, verifyPassword } from "./password";

test("a hash verifies its password only, and two hashes of one password differ", async () => {
  const a = await hashPassword("correct horse battery");
  const b = await hashPassword("correct horse battery");
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(a).not.toBe(b);
  expect(a).not.toContain("correct horse");
  expect(await verifyPassword("correct horse battery", a)).toBe(true);
  expect(await verifyPassword("correct horse battery!", a)).toBe(false);
  expect(await verifyPassword("anything", "md5$nope")).toBe(false);
});
