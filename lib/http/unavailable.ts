// Recognises a database that is down, restarting, out of connections or too busy, anywhere in an error's
// cause chain (pg, Prisma, the adapter): such a request is answered 503 with Retry-After, not 500.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03", // admin shutdown, crash shutdown, cannot connect now
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
  "53300", // too many connections
  "40001",
  "40P01", // serialization failure, deadlock: retry
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2028",
  "P2034",
]);
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "TooManyConnections",
  "SocketTimeout",
  "TransactionWriteConflict",
  "TransactionAlreadyClosed",
]);
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|connection terminated|connection (?:is )?closed|can't reach database|database system is (?:starting|shutting) up|Client has encountered a connection error|Unable to start a transaction in the given time|Transaction already closed|terminating connection|Query read timeout|Client was closed|not queryable/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let e = error as Record<string, unknown> | undefined;
    e && typeof e === "object" && !seen.has(e);
    e = e.cause as Record<string, unknown> | undefined
  ) {
    seen.add(e);
    if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.kind === "string" && UNAVAILABLE_KINDS.has(e.kind)) return true;
    const original = e.originalCode ?? (e.meta as Record<string, unknown> | undefined)?.code;
    if (typeof original === "string" && UNAVAILABLE_CODES.has(original)) return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
