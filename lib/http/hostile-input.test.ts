// Hostile text and shapes are refused before they reach the database.
import { describe, expect, test } from "vitest";
import { BadRequest, Invalid } from "@/lib/errors";
import { checkJson, decodePathSegment, isBadText, MAX_JSON_DEPTH } from "./hostile-input";

describe("isBadText", () => {
  test.each([
    ["plain text", "Research queues", false],
    ["a NUL byte", "a\u0000b", true],
    ["a lone high surrogate", "x\uD800", true],
    ["a lone low surrogate", "\uDC00x", true],
    ["a proper surrogate pair (an emoji)", "ship it 🚀", false],
    ["a high surrogate followed by a non-surrogate", "\uD83Dx", true],
  ])("%s", (_, text, bad) => expect(isBadText(text)).toBe(bad));
});

describe("checkJson", () => {
  test("names every field with bad text, keys included", () => {
    try {
      checkJson({ title: "ok", description: "a\u0000", metadata: { "k\u0000": 1, list: ["fine", "\uDFFF"] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).errors!.map((e) => e.path).sort()).toEqual(
        ["description", "metadata.k\u0000", "metadata.list.1"].sort(),
      );
    }
  });

  test(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more with 400`, () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : { a: nest(n - 1) });
    expect(() => checkJson(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJson(nest(MAX_JSON_DEPTH + 1))).toThrow(BadRequest);
    const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000));
    expect(() => checkJson(deep)).toThrow(BadRequest);
  });
});

describe("decodePathSegment", () => {
  test.each([
    ["task-20260101-000000-0001", "task-20260101-000000-0001"],
    ["kimi%2Dide", "kimi-ide"],
  ])("%s decodes to %s", (raw, decoded) => expect(decodePathSegment(raw)).toBe(decoded));
  test.each(["%ff", "%00", "abc%E0%A4%A", "%ED%A0%80"])("%s is refused with 400", (raw) =>
    expect(() => decodePathSegment(raw)).toThrow(BadRequest),
  );
});
