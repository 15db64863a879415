// The HTTP client the CLI and the Ollama bridge share: JSON in and out, problem+json turned into a CliError
// with the CLI's exit code and a message a person can act on.
export const EXIT = { ok: 0, failure: 1, usage: 2, nothingToClaim: 3, auth: 4 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly status?: number,
    readonly problem?: { title?: string; detail?: string; errors?: { path: string; message: string }[] },
  ) {
    super(message);
  }
}

export interface ApiOptions {
  body?: unknown;
  lease?: string;
  method?: string;
  signal?: AbortSignal;
}

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  async request<T>(path: string, options: ApiOptions = {}): Promise<{ status: number; body: T }> {
    if (!this.token)
      throw new CliError(
        "No token: set FED_TOKEN, pass --token, or run `fed login --url URL --token TOKEN`.",
        EXIT.auth,
      );
    const method = options.method ?? (options.body === undefined ? "GET" : "POST");
    let res: Response;
    try {
      res = await fetch(`${this.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(options.lease ? { "x-lease-token": options.lease } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      const c = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (error as Error).message;
      throw new CliError(
        `Cannot reach Federation at ${this.url} (${cause}). Is it running? Start it with \`npm start\`, or set FED_URL.`,
        EXIT.failure,
      );
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (res.ok) return { status: res.status, body: body as T };
    const problem = (body && typeof body === "object" ? body : {}) as {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    const detail = problem.detail ?? res.statusText;
    if (res.status === 401)
      throw new CliError(
        `The server refused the token: ${detail} Check FED_TOKEN, or issue a new token on the agent's page.`,
        EXIT.auth,
        401,
        problem,
      );
    if (res.status === 422 || res.status === 400) {
      const fields = (problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`).join("\n");
      throw new CliError(`${detail}${fields ? `\n${fields}` : ""}`, EXIT.usage, res.status, problem);
    }
    throw new CliError(
      `${res.status} ${problem.title ?? res.statusText}: ${detail}`,
      EXIT.failure,
      res.status,
      problem,
    );
  }

  get = <T>(path: string) => this.request<T>(path).then((r) => r.body);
  post = <T>(path: string, body: unknown = {}, lease?: string) => this.request<T>(path, { body, lease });
  patch = <T>(path: string, body: unknown) => this.request<T>(path, { body, method: "PATCH" }).then((r) => r.body);
}
