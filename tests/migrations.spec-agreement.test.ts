// Migrations: idempotent, safe under concurrency, refusing edited history; and the migrated database
// matches prisma/schema.prisma column for column, key for key.
import { cp, mkdtemp, appendFile, mkdir, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import { defaultMigrationsDir, migrate, MigrationError, readMigrations } from "@/lib/db/migrate";
import { emptyDatabase, type TestDatabase } from "./helpers/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await emptyDatabase();
});
afterAll(() => db.drop());

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function copyMigrations(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "fed-migrations-")), "migrations");
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

describe("the migration applier", () => {
  test("applying twice is a no-op the second time", async () => {
    const all = (await readMigrations()).map((m) => m.name);
    const first = await migrate(db.url);
    expect(first.applied).toEqual(all);
    const second = await migrate(db.url);
    expect(second).toEqual({ applied: [], skipped: all });
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date }>(
      db.url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(all);
    expect(rows.every((r) => r.checksum.length === 64 && r.finished_at)).toBe(true);
  });

  test("two concurrent appliers apply each migration exactly once (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    const url = await db.fresh();
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    const all = (await readMigrations()).map((m) => m.name);
    expect([...a.applied, ...b.applied].sort()).toEqual(all);
    const rows = await query<{ n: string }>(url, `SELECT count(*)::text AS n FROM "_prisma_migrations"`);
    expect(Number(rows[0]!.n)).toBe(all.length);
  });

  test("an applied migration that was edited is refused with a clear message", async () => {
    const url = await db.fresh();
    const dir = await copyMigrations();
    await migrate(url, { dir });
    const first = (await readMigrations(dir))[0]!;
    await appendFile(path.join(dir, first.name, "migration.sql"), "\n-- an afterthought\n");
    const refused = migrate(url, { dir });
    await expect(refused).rejects.toThrow(MigrationError);
    await expect(migrate(url, { dir })).rejects.toThrow(new RegExp(`${first.name} was edited after it was applied`));
  });

  test("a failing migration is rolled back and not recorded", async () => {
    const url = await db.fresh();
    const dir = await copyMigrations();
    await mkdir(path.join(dir, "29991231000000_broken"));
    await writeFile(
      path.join(dir, "29991231000000_broken", "migration.sql"),
      `CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n`,
    );
    await expect(migrate(url, { dir })).rejects.toThrow(/29991231000000_broken failed and was rolled back/);
    expect(await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`)).toHaveLength(0);
    expect(
      await query(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`),
    ).toHaveLength(0);
  });
});

// ---- schema.prisma ↔ the migrated database ----

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueFields: string[][];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string }[] }[];
    indexes: { model: string; type: string; fields: { name: string }[] }[];
  };
}

const schemaText = readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
const dmmf: Dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] })));
// The DMMF leaves out Unsupported("…") fields (Prisma's client cannot read them); they are columns all the same.
for (const [, modelName, body] of schemaText.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
  const model = dmmf.datamodel.models.find((m) => m.name === modelName)!;
  for (const [, name, type, optional] of body!.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?/gm)) {
    model.fields.push({
      name: name!,
      kind: "scalar",
      type: `Unsupported:${type}`,
      isList: false,
      isRequired: !optional,
      isId: false,
      isUnique: false,
    });
  }
}
const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (model: DmmfModel, field: string) => {
  const f = model.fields.find((x) => x.name === field)!;
  return f.dbName ?? f.name;
};

function expectedType(f: DmmfField): string {
  if (f.kind === "enum") return f.type;
  if (f.type.startsWith("Unsupported:")) return f.type.slice("Unsupported:".length);
  const base: Record<string, string> = {
    String: "text",
    Boolean: "bool",
    Int: "int4",
    BigInt: "int8",
    Float: "float8",
    Decimal: "numeric",
    Json: "jsonb",
    DateTime: "timestamp",
  };
  if (f.type === "DateTime" && f.nativeType?.[0] === "Timestamptz") return "timestamptz";
  return base[f.type] ?? `unknown:${f.type}`;
}

describe("the migrated database matches schema.prisma", () => {
  let url: string;
  beforeAll(async () => {
    url = await db.fresh();
    await migrate(url);
  });

  test("every model's table has exactly the model's columns, with matching types and nullability", async () => {
    const columns = await query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
      datetime_precision: number | null;
    }>(
      url,
      `SELECT table_name, column_name, udt_name, is_nullable, datetime_precision FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(
      [...dmmf.datamodel.models.map(tableOf), "_prisma_migrations"].sort(),
    );
    const problems: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const table = tableOf(model);
      const actual = new Map(columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]));
      const fields = model.fields.filter((f) => f.kind !== "object");
      const expectedNames = new Set(fields.map((f) => f.dbName ?? f.name));
      for (const extra of [...actual.keys()].filter((c) => !expectedNames.has(c)))
        problems.push(`${table}.${extra} is in the database but not in ${model.name}`);
      for (const f of fields) {
        const col = actual.get(f.dbName ?? f.name);
        const where = `${model.name}.${f.name} (${table}.${f.dbName ?? f.name})`;
        if (!col) {
          problems.push(`${where} is missing`);
          continue;
        }
        const type = f.isList ? `_${expectedType(f)}` : expectedType(f);
        if (col.udt_name !== type) problems.push(`${where} is ${col.udt_name}, schema says ${type}`);
        // Prisma itself creates list columns as nullable.
        const nullable = f.isList || !f.isRequired;
        if ((col.is_nullable === "YES") !== nullable)
          problems.push(`${where} nullable=${col.is_nullable}, schema says ${nullable ? "optional" : "required"}`);
        if (f.type === "DateTime" && col.datetime_precision !== Number(f.nativeType?.[1]?.[0] ?? 3))
          problems.push(`${where} has precision ${col.datetime_precision}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("enums exist with exactly their values, in order", async () => {
    const rows = await query<{ typname: string; labels: string[] }>(
      url,
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(
      dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.name)]),
    );
    expect(actual).toEqual(expected);
  });

  test("primary keys, unique keys, indexes and foreign keys match", async () => {
    const constraints = await query<{
      table_name: string;
      contype: string;
      columns: string[];
      ref_table: string | null;
      ref_columns: string[] | null;
      on_delete: string;
    }>(
      url,
      `SELECT c.conrelid::regclass::text AS table_name, c.contype,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
              c.confrelid::regclass::text AS ref_table,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS ref_columns,
              c.confdeltype AS on_delete
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype IN ('p', 'f')`,
    );
    const indexes = await query<{ table_name: string; unique: boolean; columns: string[] }>(
      url,
      `SELECT t.relname AS table_name, i.indisunique AS unique,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND NOT i.indisprimary`,
    );
    const problems: string[] = [];
    const key = (cols: string[]) => cols.join(",");
    const onDelete: Record<string, string> = {
      Cascade: "c",
      SetNull: "n",
      Restrict: "r",
      NoAction: "a",
      SetDefault: "d",
    };
    for (const model of dmmf.datamodel.models) {
      const table = tableOf(model);
      const pk = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
      const pkCols = pk.map((f) => columnOf(model, f));
      if (!constraints.some((c) => c.table_name === table && c.contype === "p" && key(c.columns) === key(pkCols)))
        problems.push(`${table}: primary key (${pkCols}) missing`);
      const uniques = [...model.fields.filter((f) => f.isUnique).map((f) => [f.name]), ...model.uniqueFields];
      for (const u of uniques) {
        const cols = u.map((f) => columnOf(model, f));
        if (!indexes.some((i) => i.table_name === table && i.unique && key(i.columns) === key(cols)))
          problems.push(`${table}: unique (${cols}) missing`);
      }
      for (const f of model.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length)) {
        const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
        const cols = f.relationFromFields!.map((x) => columnOf(model, x));
        const refCols = f.relationToFields!.map((x) => columnOf(target, x));
        const fk = constraints.find((c) => c.table_name === table && c.contype === "f" && key(c.columns) === key(cols));
        const wantDelete = onDelete[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")];
        if (!fk) problems.push(`${table}: foreign key (${cols}) → ${tableOf(target)} missing`);
        else if (
          fk.ref_table !== tableOf(target) ||
          key(fk.ref_columns ?? []) !== key(refCols) ||
          fk.on_delete !== wantDelete
        ) {
          problems.push(
            `${table}: foreign key (${cols}) is → ${fk.ref_table}(${fk.ref_columns}) on delete ${fk.on_delete}, schema says → ${tableOf(target)}(${refCols}) on delete ${wantDelete}`,
          );
        }
      }
      const declared = constraints.filter((c) => c.table_name === table && c.contype === "f");
      const expectedFks = model.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length).length;
      if (declared.length !== expectedFks)
        problems.push(`${table}: ${declared.length} foreign keys in the database, ${expectedFks} in the schema`);
    }
    for (const idx of dmmf.datamodel.indexes.filter((i) => i.type === "normal")) {
      const model = dmmf.datamodel.models.find((m) => m.name === idx.model)!;
      const cols = idx.fields.map((f) => columnOf(model, f.name));
      if (!indexes.some((i) => i.table_name === tableOf(model) && !i.unique && key(i.columns) === key(cols)))
        problems.push(`${tableOf(model)}: index (${cols}) missing`);
    }
    expect(problems).toEqual([]);
  });
});
