// Health: is the database answering within a second?
import { getPrisma } from "@/lib/db/client";
import pkg from "@/package.json";

export interface Health {
  status: "ok" | "degraded";
  database: "ok" | "down";
  version: string;
}

export async function checkHealth(): Promise<Health> {
  let database: Health["database"] = "ok";
  try {
    await Promise.race([
      getPrisma().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 1000).unref?.()),
    ]);
  } catch {
    database = "down";
  }
  return { status: database === "ok" ? "ok" : "degraded", database, version: pkg.version };
}
