// Reads a Server-Sent Events response as its events come, for the stream tests.
export interface Sse {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads a stream's events as they come. */
export function reader(res: Response) {
  const decoder = new TextDecoder();
  const r = res.body!.getReader();
  let buffer = "";
  const seen: Sse[] = [];
  const pump = (async () => {
    for (;;) {
      const { value, done } = await r.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: Sse = {};
        for (const line of block.split("\n")) {
          const [k, ...v] = line.split(": ");
          if (k === "id" || k === "event" || k === "data") e[k] = v.join(": ");
        }
        if (e.event || e.data) seen.push(e);
      }
    }
  })();
  return {
    seen,
    async until(match: (e: Sse) => boolean, ms = 5_000): Promise<Sse> {
      for (const stop = Date.now() + ms; Date.now() < stop; await new Promise((res) => setTimeout(res, 20))) {
        const hit = seen.find(match);
        if (hit) return hit;
      }
      throw new Error(`no matching event in ${ms} ms; saw ${JSON.stringify(seen)}`);
    },
    close: () => r.cancel().then(() => pump),
  };
}
