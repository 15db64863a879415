"use client";
// The live layer: one Server-Sent Events stream per tab (GET /api/v1/events) invalidates the queries a change
// can alter, so every list, badge and count refreshes together within a second. Polling is the fallback: slow
// while the stream is up, every `pollMs` while it is down. When the server cannot be reached at all, one banner
// says so (instead of an error in every column) and goes away by itself when it answers again.
import { useQueryClient, type Query, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useSyncExternalStore } from "react";
import { onReachability, onSignedOut } from "@/lib/client/api";
import { notifyEscalation } from "./browser-notify";
import { AFFECTED } from "./keys";

type Listener = () => void;

/**
 * Whether the stream is open and whether the server answers; a tiny store React subscribes to. `down` follows
 * `reachable` after a second, so a blip never flashes the banner.
 */
class Connection {
  streaming = false;
  /** The stream has been open in this tab: changes from then on arrive by push. */
  opened = false;
  reachable = true;
  down = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<Listener>();
  set(patch: Partial<Pick<Connection, "streaming" | "reachable">>) {
    Object.assign(this, patch);
    if (this.reachable) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.setDown(false);
    } else {
      this.timer ??= setTimeout(() => this.setDown(true), 1_000);
    }
  }
  private setDown(down: boolean) {
    if (this.down === down) return;
    this.down = down;
    for (const l of this.listeners) l();
  }
  subscribe = (l: Listener) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const connection = new Connection();

/**
 * When a query refetches as it mounts. Data a page was rendered with on the server (a query's `initialData`, never
 * fetched here) can predate a change that committed before this tab's stream opened: the stream will not send it,
 * and the refetch that follows the stream's opening reached only the queries mounted by then. So such data is
 * read again as it mounts once the stream is open; the rest refetches when stale, as usual.
 */
export function refetchOnMount(query: Query): boolean | "always" {
  return connection.opened && query.state.dataUpdateCount === 0 && query.state.data !== undefined ? "always" : true;
}

/** The refetch interval every query uses unless it says otherwise. */
export function pollInterval(pollMs: number): () => number {
  return () => (connection.streaming ? Math.max(pollMs, 30_000) : pollMs);
}

const PollContext = createContext(3_000);
export const usePollMs = () => useContext(PollContext);

/** Invalidates the affected query roots at most every 250 ms, however many changes arrive. */
function batcher(queryClient: QueryClient) {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return (kind: string) => {
    for (const key of AFFECTED[kind] ?? []) pending.add(JSON.stringify(key));
    timer ??= setTimeout(() => {
      timer = null;
      const keys = [...pending];
      pending.clear();
      for (const key of keys) void queryClient.invalidateQueries({ queryKey: JSON.parse(key) });
    }, 250);
  };
}

export function LiveUpdates({ pollMs, children }: { pollMs: number; children: React.ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    onReachability((reachable) => connection.set({ reachable }));
    const changed = batcher(queryClient);
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let probe: ReturnType<typeof setInterval> | null = null;
    let closed = false;
    let wasDown = false;
    let firstOpen = true;

    // The session ended (signed out elsewhere, revoked, the person disabled): stop every request this tab makes and
    // show the sign-in page, coming back here afterwards.
    const toSignIn = () => {
      if (closed) return;
      closed = true;
      source?.close();
      stopProbe();
      if (retry) clearTimeout(retry);
      queryClient.getQueryCache().clear();
      const here = window.location.pathname + window.location.search;
      window.location.assign(new URL(`/login?callbackUrl=${encodeURIComponent(here)}`, window.location.origin).href);
    };
    onSignedOut(toSignIn);
    /** After the stream was refused: is it the session? */
    const checkSession = async () => {
      try {
        if ((await fetch("/api/v1/me", { cache: "no-store" })).status === 401) toSignIn();
      } catch {
        /* unreachable: the probe and the banner handle that */
      }
    };

    // While the stream is down, ask the health check whether the server is there at all.
    const startProbe = () => {
      probe ??= setInterval(async () => {
        try {
          const res = await fetch("/api/v1/health", { cache: "no-store" });
          connection.set({ reachable: res.status !== 502 && res.status !== 504 });
        } catch {
          connection.set({ reachable: false });
        }
      }, 1_000);
    };
    const stopProbe = () => {
      if (probe) clearInterval(probe);
      probe = null;
    };
    const open = () => {
      if (closed) return;
      source = new EventSource("/api/v1/events");
      source.onopen = () => {
        connection.set({ streaming: true, reachable: true });
        connection.opened = true;
        document.documentElement.dataset.live = "on";
        stopProbe();
        // Whatever changed before the stream was there (between the page's first fetch and now, or while it was
        // down): refetch what is on screen, once.
        if (wasDown || firstOpen) void queryClient.invalidateQueries();
        wasDown = false;
        firstOpen = false;
      };
      source.addEventListener("change", (e) => {
        try {
          const { type, id } = JSON.parse((e as MessageEvent<string>).data) as { type: string; id: string };
          // An agent's output grew: only that task's log is read again, not every view of the queue.
          if (type === "task.log") void queryClient.invalidateQueries({ queryKey: ["task-log", id] });
          else changed(type.slice(0, type.indexOf(".")));
          // A person is needed: a system notification if this device opted in and the tab is hidden.
          if (type === "escalation.opened") void notifyEscalation(id);
        } catch {
          /* a malformed event changes nothing */
        }
      });
      source.addEventListener("resync", () => void queryClient.invalidateQueries());
      source.onerror = () => {
        wasDown = true;
        delete document.documentElement.dataset.live;
        connection.set({ streaming: false });
        startProbe();
        // The browser retries by itself unless the answer was not a stream (a proxy's error page): then we do.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          void checkSession();
          retry = setTimeout(open, 2_000);
        }
      };
    };
    open();
    return () => {
      closed = true;
      source?.close();
      stopProbe();
      if (retry) clearTimeout(retry);
      connection.set({ streaming: false });
      delete document.documentElement.dataset.live;
      onReachability(() => {});
      onSignedOut(() => {});
    };
  }, [queryClient, pollMs]);
  return <PollContext.Provider value={pollMs}>{children}</PollContext.Provider>;
}

/** One banner for the whole app while the server cannot be reached; shown after a second, so a blip is silent. */
export function ConnectionBanner() {
  const down = useSyncExternalStore(
    connection.subscribe,
    () => connection.down,
    () => false,
  );
  if (!down) return null;
  return (
    <div
      role="status"
      data-testid="connection-banner"
      className="sticky top-0 z-30 flex items-center justify-center gap-2 bg-amber-100 px-4 py-2 text-sm font-medium text-amber-950 dark:bg-amber-900 dark:text-amber-50"
    >
      <span className="size-2 animate-pulse rounded-full bg-amber-600 dark:bg-amber-300" aria-hidden />
      Connection lost — retrying. What you see may be out of date.
    </div>
  );
}
