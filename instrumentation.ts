// Runs once per server instance: background sweeps that are safe to run on every instance at once.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.FED_DISABLE_SWEEPS === "1") return;
  const { startSweeps } = await import("./lib/system/sweeps");
  startSweeps();
}
