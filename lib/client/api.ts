// Browser-side calls to the Federation API: JSON in and out, problem+json turned into ApiError.
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }

  /** The message for one form field, if the server named it. */
  field(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** The server could not be reached at all (stopped, restarting, network down): the app shows one banner for it. */
export class OfflineError extends Error {
  constructor() {
    super("The server cannot be reached.");
  }
}

/** Reports whether the server answered; the live layer's connection banner listens. */
let reachability: (reachable: boolean) => void = () => {};
export function onReachability(listener: (reachable: boolean) => void): void {
  reachability = listener;
}

/**
 * Called when the server says this browser's session is over (401): the live layer sends the person to sign in
 * instead of letting every poll and the event stream knock on the door with a dead cookie.
 */
let signedOut: () => void = () => {};
export function onSignedOut(listener: () => void): void {
  signedOut = listener;
}

/** What to tell a person about a failed call: the API's own words, else the error as text; null when none failed. */
export const errorText = (error: unknown): string | null =>
  error instanceof ApiError ? error.message : error ? String(error) : null;

/** `keepalive`: the request outlives the page (a decision sent as the tab closes). */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; keepalive?: boolean } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: init.body === undefined ? {} : { "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      ...(init.keepalive ? { keepalive: true } : {}),
    });
  } catch {
    reachability(false);
    throw new OfflineError();
  }
  // A proxy in front of a stopped instance answers 502/504 on its behalf.
  if (res.status === 502 || res.status === 504) {
    reachability(false);
    throw new OfflineError();
  }
  reachability(true);
  if (res.status === 401) signedOut();
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(
      res.status,
      data?.title ?? res.statusText,
      data?.detail ?? `Request failed with ${res.status}.`,
      data?.errors ?? [],
    );
  }
  return data as T;
}
