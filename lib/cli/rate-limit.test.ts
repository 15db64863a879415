// When a rate limit ends, read from what the coding CLIs print; and the runner's readers of a command's output.
import { describe, expect, test } from "vitest";
import { isRateLimited, rateLimitUntil } from "./rate-limit";
import { readBallot, summaryOf } from "./prompts";
import { Tail } from "./tail";

const now = new Date("2026-12-06T10:00:00");

describe("rateLimitUntil", () => {
  test.each([
    ["Your limit resets in 2 minutes.", 2 * 60_000],
    ["Rate limited: try again in 2 hours", 2 * 3_600_000],
    ["429 Too Many Requests, retry after 90 seconds", 90_000],
    ["usage limit reached, resets in 1h 30m", 90 * 60_000],
    ["quota exceeded; try again in 1 hour and 15 minutes", 75 * 60_000],
  ])("%s", (text, ms) => {
    expect(rateLimitUntil(text, now)!.getTime() - now.getTime()).toBe(ms);
  });

  test("a clock time: later today, or tomorrow once it has passed", () => {
    expect(rateLimitUntil("Claude usage limit reached. Your limit resets at 3pm", now)).toEqual(
      new Date("2026-12-06T15:00:00"),
    );
    expect(rateLimitUntil("limit resets at 9:30", now)).toEqual(new Date("2026-12-07T09:30:00"));
    expect(rateLimitUntil("resets at 12am", now)).toEqual(new Date("2026-12-07T00:00:00"));
  });

  test("an ISO time, or a Unix time in seconds", () => {
    expect(rateLimitUntil("retry at 2026-12-06T12:00:00Z", now)).toEqual(new Date("2026-12-06T12:00:00Z"));
    expect(rateLimitUntil("Claude AI usage limit reached|1765033200", now)).toBeNull();
    expect(rateLimitUntil("limit resets at 1765033200", now)).toEqual(new Date(1765033200 * 1000));
  });

  test("a message that does not say when: null (the runner backs off by default)", () => {
    expect(rateLimitUntil("Rate limit exceeded.", now)).toBeNull();
    expect(rateLimitUntil("resets at 99:99", now)).toBeNull();
  });
});

test("isRateLimited knows the CLIs' messages, and not ordinary failures", () => {
  for (const text of [
    "Claude AI usage limit reached",
    "Error: 429 Too Many Requests",
    "You exceeded your current quota exceeded",
    "rate_limit_error",
    "Rate limit reached for gpt-5",
  ])
    expect(isRateLimited(text)).toBe(true);
  for (const text of ["TypeError: cannot read properties of undefined", "tests failed: 3 of 40", "exit code 1"])
    expect(isRateLimited(text)).toBe(false);
});

describe("readBallot", () => {
  const options = ["a", "b"];
  test("the first JSON object with an option, after prose", () => {
    expect(
      readBallot('I think b.\n{"option":"b","confidence":0.9,"rationale":"It is {maintained}."}\n', options),
    ).toEqual({
      ok: true,
      option: "b",
      confidence: 0.9,
      rationale: "It is {maintained}.",
    });
  });
  test.each([
    ["prose only", "I would go with b."],
    ["an option that is not one of the vote's", '{"option":"c","confidence":0.9}'],
    ["no confidence", '{"option":"a"}'],
    ["a confidence out of range", '{"option":"a","confidence":1.5}'],
    ["a confidence as text", '{"option":"a","confidence":"high"}'],
  ])("casts none for %s", (_, output) => {
    expect(readBallot(output, options).ok).toBe(false);
  });
});

test("summaryOf: the command's JSON result when it printed one, else its last lines", () => {
  expect(summaryOf('working\n{"type":"result","result":"Fixed the bug."}\n')).toBe("Fixed the bug.");
  expect(summaryOf("line 1\nline 2\n")).toBe("line 1\nline 2");
  expect(summaryOf("")).toBe("(no output)");
});

test("Tail keeps the last bytes of any amount of output", () => {
  const tail = new Tail(10);
  for (let i = 0; i < 1000; i++) tail.push(`${i % 10}`.repeat(7));
  expect(tail.text()).toHaveLength(10);
  expect(tail.text().endsWith("9999999")).toBe(true);
  expect(tail.total).toBe(7000);
});
