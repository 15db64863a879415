// System notifications for new escalations while the tab is hidden (opt-in per device, on the account page):
// the live stream's `escalation.opened` shows one, naming what must be decided; clicking it opens the card.
import { api } from "@/lib/client/api";

const KEY = "fed-browser-notifications";

export const browserNotifySupported = () => typeof window !== "undefined" && "Notification" in window;

/** On when this device opted in and the browser allows it. */
export function browserNotifyOn(): boolean {
  return browserNotifySupported() && localStorage.getItem(KEY) === "on" && Notification.permission === "granted";
}

/** Asks the browser (it must follow a click); on when granted. */
export async function enableBrowserNotify(): Promise<NotificationPermission> {
  const permission = await Notification.requestPermission();
  if (permission === "granted") localStorage.setItem(KEY, "on");
  return permission;
}

export function disableBrowserNotify(): void {
  localStorage.removeItem(KEY);
}

/** For a new escalation: a notification while the tab is hidden; clicking it opens the card. */
export async function notifyEscalation(id: string): Promise<void> {
  if (!browserNotifyOn() || document.visibilityState !== "hidden") return;
  let body = "An agent needs a person to decide.";
  try {
    const e = await api<{ reason: string; context?: { vote?: { question: string }; task?: { title: string } } }>(
      `/escalations/${encodeURIComponent(id)}`,
    );
    const what = e.context?.vote?.question ?? e.context?.task?.title;
    body = what ? `${what} — ${e.reason}` : e.reason;
  } catch {
    /* the generic line will do */
  }
  const n = new Notification("Federation: a decision is needed", { body, tag: id });
  n.onclick = () => {
    window.focus();
    window.location.assign(new URL(`/escalations#${id}`, window.location.origin).href);
    n.close();
  };
}
