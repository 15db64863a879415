"use client";
// The current time for live countdowns and "3 min ago", shared by every component that ticks at the same
// interval. It is null while rendering on the server and hydrating, so the server and browser agree.
import { useSyncExternalStore } from "react";

interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

const clocks = new Map<number, Clock>();
/** One subscribe function per interval: a new one on every render would make React resubscribe on every render,
 * and a resubscription that restarts the clock changes the snapshot, which renders again — without end (React
 * error #185 on a page with many relative times, as the inbox's Decided tab had). */
const subscribers = new Map<number, (listener: () => void) => () => void>();

function clockFor(intervalMs: number): Clock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = { now: Date.now(), listeners: new Set(), timer: null };
    clocks.set(intervalMs, clock);
  }
  return clock;
}

function subscribe(intervalMs: number, listener: () => void): () => void {
  const clock = clockFor(intervalMs);
  clock.listeners.add(listener);
  if (!clock.timer) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      clock.listeners.forEach((l) => l());
    }, intervalMs);
  }
  return () => {
    clock.listeners.delete(listener);
    if (!clock.listeners.size && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = null;
    }
  };
}

function subscriberFor(intervalMs: number): (listener: () => void) => () => void {
  let s = subscribers.get(intervalMs);
  if (!s) {
    s = (listener) => subscribe(intervalMs, listener);
    subscribers.set(intervalMs, s);
  }
  return s;
}

export function useNow(intervalMs: number): number | null {
  return useSyncExternalStore(
    subscriberFor(intervalMs),
    () => clockFor(intervalMs).now,
    () => null,
  );
}
