// Agents working a queue over HTTP while something goes wrong underneath (the chaos tests): each claims,
// completes, and sends a completion again when its answer was lost, as a real agent would. Records what it saw.
export interface LoadReport {
  acknowledged: Map<string, Set<string>>; // task → lease tokens whose completion got a 200
  statuses: Map<number, number>; // HTTP status (0: no answer) → count
  unavailableWithoutRetryAfter: number;
  slowest: number; // ms
  claimLatencies: { at: number; ms: number }[];
}

export async function runAgents(options: {
  url: string;
  tokens: string[];
  /** Keeps going until this says stop. */
  until: () => boolean;
  onCompleted?: (count: number) => void;
}): Promise<LoadReport> {
  const report: LoadReport = {
    acknowledged: new Map(),
    statuses: new Map(),
    unavailableWithoutRetryAfter: 0,
    slowest: 0,
    claimLatencies: [],
  };
  let completed = 0;
  const send = async (token: string, path: string, body: unknown) => {
    const t0 = performance.now();
    let status = 0;
    let json: any = null;
    try {
      const res = await fetch(`${options.url}/api/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      status = res.status;
      if (status === 503 && !res.headers.get("retry-after")) report.unavailableWithoutRetryAfter++;
      const text = await res.text();
      json = text ? JSON.parse(text) : null;
    } catch {
      status = 0;
    }
    const ms = performance.now() - t0;
    report.slowest = Math.max(report.slowest, ms);
    report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
    return { status, json, ms };
  };
  await Promise.all(
    options.tokens.map(async (token) => {
      while (!options.until()) {
        const claimed = await send(token, "/tasks/claim", { leaseSeconds: 30 });
        if (claimed.status === 200) report.claimLatencies.push({ at: Date.now(), ms: claimed.ms });
        if (claimed.status !== 200) {
          await new Promise((r) => setTimeout(r, claimed.status === 204 ? 100 : 200));
          continue;
        }
        const { id, leaseToken } = claimed.json as { id: string; leaseToken: string };
        for (let attempt = 0; attempt < 40; attempt++) {
          const done = await send(token, `/tasks/${id}/complete`, { success: true, summary: "ok", leaseToken });
          if (done.status === 200) {
            const seen = report.acknowledged.get(id) ?? new Set<string>();
            seen.add(leaseToken);
            report.acknowledged.set(id, seen);
            options.onCompleted?.(++completed);
            break;
          }
          if (done.status === 409 || done.status === 403 || done.status === 404) break; // lease lost
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }),
  );
  return report;
}
