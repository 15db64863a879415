// Output for people (aligned tables, short lines) or machines (--json), and the CLI's own validation with the
// API's zod schemas, so a bad flag is named before anything is sent.
import type { z } from "zod";
import { CliError, EXIT } from "./client";

export interface Output {
  json: boolean;
  print(line?: string): void;
}

export function console_(json: boolean): Output {
  return { json, print: (line = "") => process.stdout.write(`${line}\n`) };
}

/** Prints `value` as JSON, or calls `human` to print it for people. */
export function emit(out: Output, value: unknown, human: () => void): void {
  if (out.json) out.print(JSON.stringify(value, null, 2));
  else human();
}

export function table(out: Output, rows: Record<string, unknown>[], columns: string[]): void {
  if (!rows.length) {
    out.print("(none)");
    return;
  }
  const text = (v: unknown) =>
    v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const widths = columns.map((c) => Math.min(48, Math.max(c.length, ...rows.map((r) => text(r[c]).length))));
  const cell = (v: string, i: number) =>
    v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!);
  out.print(
    columns
      .map((c, i) => cell(c.toUpperCase(), i))
      .join("  ")
      .trimEnd(),
  );
  for (const r of rows)
    out.print(
      columns
        .map((c, i) => cell(text(r[c]), i))
        .join("  ")
        .trimEnd(),
    );
}

export function facts(out: Output, pairs: [string, unknown][]): void {
  const width = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs)
    out.print(
      `${k.padEnd(width)}  ${v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v)}`,
    );
}

/** Validates with the API's own schema; a bad field is a usage error naming it. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(input)"}: ${i.message}`).join("\n");
  throw new CliError(`Invalid input:\n${fields}`, EXIT.usage);
}

export const pct = (x: number) => `${Math.round(x * 100)}%`;

export function parseBool(value: string, flag: string): boolean {
  if (/^(true|yes|1|success)$/i.test(value)) return true;
  if (/^(false|no|0|failure)$/i.test(value)) return false;
  throw new CliError(`${flag} must be true or false, not "${value}".`, EXIT.usage);
}

export function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
}
