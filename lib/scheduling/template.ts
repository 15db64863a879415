// Follow-up title templates: `{{title}}`, `{{type}}`, `{{agent}}`, `{{id}}` of the task that finished.
export const PLACEHOLDERS = ["title", "type", "agent", "id"] as const;
export type TemplateValues = Record<(typeof PLACEHOLDERS)[number], string>;

const PATTERN = /\{\{\s*([^}]*?)\s*\}\}/g;

export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PATTERN)]
    .map((m) => m[1]!)
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PATTERN, (_, name: keyof TemplateValues) => values[name] ?? "").slice(0, 200);
}
