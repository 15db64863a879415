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

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.body === undefined ? {} : { "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
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
