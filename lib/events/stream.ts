// GET /events as Server-Sent Events: one event per change of a task, escalation, vote or agent, `data: { type,
// id, at }`, the audit event's id as `id:` for Last-Event-ID resume, and a comment line every 15 s.
import { changes, type ChangeEvent } from "./bus";
import { setting } from "@/lib/config/settings";

const STREAMED = /^(task|escalation|vote|agent):/;
export const HEARTBEAT_MS = setting("FED_SSE_HEARTBEAT_MS");

export function toMessage(e: ChangeEvent): string {
  const colon = e.subject.indexOf(":");
  const data = { type: e.type, id: e.subject.slice(colon + 1), at: e.at };
  // A task.log event has no id (it is not in the audit log): the stream's Last-Event-ID stays the last real one.
  return `${e.seq > 0 ? `id: ${e.seq}\n` : ""}event: change\ndata: ${JSON.stringify(data)}\n\n`;
}

export const visible = (e: ChangeEvent) => STREAMED.test(e.subject);

/** How often an open stream checks that its credentials still hold (a revoked token, an ended session). */
export const RECHECK_MS = setting("FED_SSE_RECHECK_MS");

export interface StreamOptions {
  /** Resolves false once the caller's token or session no longer holds: the stream then ends. */
  stillAllowed?: () => Promise<boolean>;
  /** Which events this caller may see (agents and viewers see less than people who run the federation). */
  maySee?: (e: ChangeEvent) => boolean;
}

export async function eventStream(
  lastEventId: string | null,
  signal: AbortSignal,
  options: StreamOptions = {},
): Promise<Response> {
  const bus = changes();
  await bus.start();
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\n: connected${bus.connected ? "" : " (catching up)"}\n\n`);
      // Live events wait while the missed ones are replayed (from the database, so any instance can resume any
      // stream); an event in both is sent once — also when this instance's reader emits a replayed event only
      // after the replay (it reads every POLL_MS), so what was sent is remembered (at most MAX_REPLAY ids).
      let held: ChangeEvent[] | null = lastEventId ? [] : null;
      let replaying = held !== null;
      const sent = new Set<number>();
      const maySee = options.maySee ?? (() => true);
      const deliver = (e: ChangeEvent) => {
        if (!visible(e) || !maySee(e) || (e.seq > 0 && sent.has(e.seq))) return;
        if (replaying && e.seq > 0) sent.add(e.seq);
        send(toMessage(e));
      };
      const onEvent = (e: ChangeEvent) => (held ? held.push(e) : deliver(e));
      const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
      const recheck = options.stillAllowed
        ? setInterval(() => {
            void options.stillAllowed!().then((ok) => ok || cleanup());
          }, RECHECK_MS)
        : null;
      bus.on("event", onEvent);
      if (lastEventId) {
        const replay = /^\d+$/.test(lastEventId) ? bus.after(Number(lastEventId)) : Promise.resolve(null);
        void replay
          .catch(() => null)
          .then((missed) => {
            // Unknown, or too much to replay: the client refetches.
            if (missed === null) send(`event: resync\ndata: {}\n\n`);
            else for (const e of missed) deliver(e);
            replaying = false;
            for (const e of held ?? []) deliver(e);
            held = null;
          });
      }
      cleanup = () => {
        clearInterval(heartbeat);
        if (recheck) clearInterval(recheck);
        bus.off("event", onEvent);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
