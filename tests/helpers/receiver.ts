// A webhook receiver on loopback for tests: records every request (headers and body) and answers with the next
// scripted status (200 once the script runs out), with `answer` as the body if given.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export async function startReceiver(script: number[] = [], answer?: string) {
  const received: Received[] = [];
  const answers = [...script];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body, at: Date.now() });
      const status = answers.shift() ?? 200;
      res
        .writeHead(status, { "content-type": "text/plain" })
        .end(answer ?? (status === 200 ? "ok" : `answer ${status}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Waits until `n` requests satisfy `match`, or fails after `ms`. */
    async waitFor(match: (r: Received) => boolean, n = 1, ms = 5000): Promise<Received[]> {
      const until = Date.now() + ms;
      for (;;) {
        const got = received.filter(match);
        if (got.length >= n) return got;
        if (Date.now() > until) throw new Error(`expected ${n} matching request(s) within ${ms} ms, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const typeOf = (r: Received) => (JSON.parse(r.body) as { type?: string }).type;
