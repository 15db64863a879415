// Wilson intervals, checked against hand-computed values.
import { describe, expect, test } from "vitest";
import { rating, wilson } from "./stats";

describe("wilson", () => {
  test.each([
    // successes, n, low, high: the formula evaluated independently (Python, z = 1.959963984540054)
    [3, 3, 0.43850296824, 1],
    [90, 100, 0.8256343385, 0.94477086294],
    [0, 10, 0, 0.27753279986],
    [5, 10, 0.23659309051, 0.76340690949],
    [1, 1, 0.20654931438, 1],
  ])("%i of %i → [%f, %f]", (s, n, low, high) => {
    const w = wilson(s, n);
    expect(w.low).toBeCloseTo(low, 9);
    expect(w.high).toBeCloseTo(high, 9);
  });

  test("no samples: the whole range, and a rating of 0", () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    expect(rating(0, 0)).toBe(0);
  });

  test("3 of 3 ranks below 90 of 100", () => {
    expect(rating(3, 3)).toBeLessThan(rating(90, 100));
  });
});
