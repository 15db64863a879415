// Pure statistics for rankings that stay honest with few samples: the Wilson score interval of a success rate.
export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval (95% by default) for `successes` out of `n`: it is wide when n is small, so an
 * agent with 3 of 3 does not outrank one with 90 of 100. With no samples it is [0, 1].
 */
export function wilson(successes: number, n: number, z = 1.959963984540054): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const center = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { low: Math.max(0, (center - margin) / denominator), high: Math.min(1, (center + margin) / denominator) };
}

/** The figure rankings sort by: the Wilson lower bound. */
export const rating = (successes: number, n: number): number => wilson(successes, n).low;

export const rate = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
