// Runs once per server instance as it starts (lib/system/startup.ts): the shared-secret check, the instance
// registry, and the background sweeps (safe on every instance at once).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInstance } = await import("./lib/system/startup");
  await startInstance();
}
