// What every server instance does as it starts: refuse a session secret the other instances do not share, register
// itself among the live instances, and start the background sweeps (safe on every instance at once).
import { authSecret } from "@/lib/auth/secret";
import { getPrisma } from "@/lib/db/client";
import { checkSharedSecret, registerInstance, SecretMismatch } from "./instance";

export async function startInstance(): Promise<void> {
  const db = getPrisma();
  try {
    await checkSharedSecret(db, authSecret());
  } catch (error) {
    if (error instanceof SecretMismatch) {
      console.error(`\nFederation cannot start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  await registerInstance(db);
  if (process.env.FED_DISABLE_SWEEPS !== "1") {
    const { startSweeps } = await import("./sweeps");
    startSweeps();
  }
}
