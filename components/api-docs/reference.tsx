// The API reference: every operation of the OpenAPI document, grouped by tag, with who may call it, its
// parameters, the fields of its body and its answers. Rendered on the server from /api/v1/openapi.json's source.
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

type Json = Record<string, any>;

const METHOD_TONE: Record<string, Tone> = { get: "blue", post: "green", patch: "amber", delete: "red" };

function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return String(schema.$ref).split("/").pop()!;
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return schema.type ?? "object";
}

function Fields({ schema, components }: { schema: Json; components: Json }) {
  const resolved = schema.$ref ? components[String(schema.$ref).split("/").pop()!] : schema;
  const properties = Object.entries((resolved?.properties ?? {}) as Json);
  if (!properties.length) return <p className="text-xs text-zinc-600 dark:text-zinc-400">{typeOf(schema)}</p>;
  const required = new Set<string>(resolved.required ?? []);
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-xs">
      {properties.map(([name, p]) => (
        <div key={name} className="contents">
          <dt className="font-mono text-zinc-900 dark:text-zinc-100">
            {name}
            {required.has(name) && "default" in p === false ? "" : "?"}
          </dt>
          <dd className="text-zinc-600 dark:text-zinc-400">
            <span className="font-mono">{typeOf(p)}</span>
            {p.default !== undefined && <span> = {JSON.stringify(p.default)}</span>}
            {p.description && <span> — {p.description}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ApiReference({ doc }: { doc: Json }) {
  const components = doc.components.schemas as Json;
  const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags[0] as string))];
  return (
    <div className="grid gap-8 lg:grid-cols-[12rem_1fr]">
      <nav aria-label="API sections" className="self-start lg:sticky lg:top-20">
        <ul className="flex flex-wrap gap-2 text-sm lg:flex-col lg:gap-1">
          {tags.map((t) => (
            <li key={t}>
              <a
                href={`#${t.toLowerCase().replace(/\W+/g, "-")}`}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {t}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 space-y-10">
        {tags.map((tag) => (
          <section
            key={tag}
            id={tag.toLowerCase().replace(/\W+/g, "-")}
            aria-labelledby={`tag-${tag}`}
            className="scroll-mt-20"
          >
            <h2 id={`tag-${tag}`} className="mb-3 text-lg font-semibold">
              {tag}
            </h2>
            <div className="space-y-3">
              {operations
                .filter((o) => o.op.tags[0] === tag)
                .map(({ path, method, op }) => (
                  <Card key={`${method} ${path}`} className="p-4" data-operation={`${method.toUpperCase()} ${path}`}>
                    <h3 className="flex flex-wrap items-center gap-2">
                      <Badge tone={METHOD_TONE[method] ?? "gray"}>{method.toUpperCase()}</Badge>
                      <code className="text-sm font-semibold break-all">/api/v1{path}</code>
                    </h3>
                    <p className="mt-1.5 text-sm text-zinc-800 dark:text-zinc-200">{op.summary}</p>
                    <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{op.description}</p>
                    {!!op.parameters?.length && (
                      <div className="mt-3">
                        <h4 className="mb-1 text-xs font-semibold text-zinc-700 dark:text-zinc-300">Parameters</h4>
                        <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-xs">
                          {op.parameters.map((p: Json) => (
                            <div key={`${p.in}-${p.name}`} className="contents">
                              <dt className="font-mono text-zinc-900 dark:text-zinc-100">
                                {p.name}
                                {p.required ? "" : "?"}
                              </dt>
                              <dd className="text-zinc-600 dark:text-zinc-400">
                                {p.in} · <span className="font-mono">{typeOf(p.schema)}</span>
                                {p.description && ` — ${p.description}`}
                              </dd>
                            </div>
                          ))}
                        </dl>
                      </div>
                    )}
                    {op.requestBody && (
                      <div className="mt-3">
                        <h4 className="mb-1 text-xs font-semibold text-zinc-700 dark:text-zinc-300">
                          Body (application/json)
                        </h4>
                        <Fields schema={op.requestBody.content["application/json"].schema} components={components} />
                      </div>
                    )}
                    <div className="mt-3">
                      <h4 className="mb-1 text-xs font-semibold text-zinc-700 dark:text-zinc-300">Answers</h4>
                      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
                        {Object.entries(op.responses as Json).map(([status, r]) => {
                          const content = r.content ? Object.entries(r.content as Json)[0] : null;
                          return (
                            <li key={status}>
                              <span className="font-mono font-semibold">{status}</span>{" "}
                              {content ? (content[1]?.schema ? typeOf(content[1].schema) : content[0]) : r.description}
                            </li>
                          );
                        })}
                      </ul>
                    </div>
                  </Card>
                ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}
