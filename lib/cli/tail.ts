// Bounded text for `fed run`: the tail of what a command printed, and text cut to fit a JSON body.

/** How much of a command's output the runner keeps in memory: the tail for the summary and the outcome. */
const TAIL_BYTES = 64 * 1024;

/** Text that fits in `bytes` once JSON-encoded (control characters take six each), keeping its start or its end. */
export function fitJson(text: string, bytes: number, keep: "start" | "end"): string {
  let t = text;
  while (t && Buffer.byteLength(JSON.stringify(t)) > bytes) {
    const cut = Math.max(1, Math.floor(t.length / 4));
    t = keep === "end" ? t.slice(cut) : t.slice(0, t.length - cut);
  }
  return t;
}

/** A bounded tail of text: what a command printed last, whatever it printed in all. */
export class Tail {
  private parts: string[] = [];
  private size = 0;
  total = 0;
  constructor(private readonly limit = TAIL_BYTES) {}
  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    this.total += text.length;
    while (this.size > this.limit) {
      const first = this.parts[0]!;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.parts.shift();
        this.size -= first.length;
      } else {
        this.parts[0] = first.slice(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return this.parts.join("");
  }
}
