// Input no route should ever pass to the database: NUL bytes, lone UTF-16 surrogates and JSON nested deeper
// than any request of this API needs. PostgreSQL rejects the first two with an error, so they are refused here.
import { BadRequest, Invalid, type FieldError } from "@/lib/errors";
import { LONE_SURROGATE } from "@/lib/text/storable";

export const MAX_JSON_DEPTH = 32;

// A NUL or a lone surrogate: what lib/text/storable.ts cleans from text that must be kept whatever it holds.
const BAD_TEXT = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);

export function isBadText(value: string): boolean {
  return BAD_TEXT.test(value);
}

const BAD_TEXT_MESSAGE = "Contains a NUL character or a lone UTF-16 surrogate, which cannot be stored.";

/** Walks a parsed JSON value without recursion; refuses bad text (422, with its path) and deep nesting (400). */
export function checkJson(value: unknown): void {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (isBadText(v)) errors.push({ path: path || "(root)", message: BAD_TEXT_MESSAGE });
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) throw new BadRequest(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    for (const [key, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${key}` : key;
      if (isBadText(key)) errors.push({ path: childPath, message: `The key ${BAD_TEXT_MESSAGE.toLowerCase()}` });
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  if (errors.length)
    throw new Invalid(
      `The request has ${errors.length} field(s) with text that cannot be stored.`,
      errors.slice(0, 20),
    );
}

/** Query strings and path segments: the same rule, as 400s naming the parameter. */
export function checkParams(params: Record<string, string>, where: "query string" | "path"): void {
  for (const [key, value] of Object.entries(params)) {
    if (isBadText(key) || isBadText(value))
      throw new BadRequest(
        `The ${where} parameter ${JSON.stringify(key.slice(0, 40))} contains a NUL character or invalid UTF-16.`,
      );
  }
}

/** Decodes one percent-encoded path segment, or refuses it (for example `%ff`, which is not UTF-8). */
export function decodePathSegment(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new BadRequest(`The path segment ${JSON.stringify(raw.slice(0, 60))} is not valid percent-encoded UTF-8.`);
  }
  if (isBadText(decoded)) throw new BadRequest("A path segment contains a NUL character or invalid UTF-16.");
  return decoded;
}
