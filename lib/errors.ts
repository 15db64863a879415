// Typed domain errors; lib/http turns them into RFC 9457 problem details.
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export class BadRequest extends DomainError {
  constructor(detail: string) {
    super(400, "Bad request", detail);
  }
}
export class Unauthorized extends DomainError {
  constructor(detail = "Sign in, or send `Authorization: Bearer <token>`.") {
    super(401, "Unauthorized", detail);
  }
}
export class Forbidden extends DomainError {
  constructor(detail: string) {
    super(403, "Forbidden", detail);
  }
}
export class NotFound extends DomainError {
  constructor(detail: string) {
    super(404, "Not found", detail);
  }
}
export class Conflict extends DomainError {
  constructor(detail: string) {
    super(409, "Conflict", detail);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super(413, "Payload too large", `The request body exceeds the limit of ${limit / 1024} KiB.`);
  }
}
export class Invalid extends DomainError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(422, "Validation failed", detail, errors);
  }
}
export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, "Too many requests", `Rate limit exceeded; retry in ${retryAfterSeconds} s.`, undefined, {
      "Retry-After": String(retryAfterSeconds),
    });
  }
}

/** Runs a lookup for a page: a NotFound becomes Next's 404 page via `onMissing`, other errors propagate. */
export async function orMissing<T>(lookup: Promise<T>, onMissing: () => never): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFound) onMissing();
    throw error;
  }
}
