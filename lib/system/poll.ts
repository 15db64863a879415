// How often pages poll while their live stream is down (ms): FED_POLL_MS, 3 s by default. Read on the server and
// handed to the browser's query client and live layer.
export const pollMs = () => Math.max(500, Number(process.env.FED_POLL_MS ?? 3_000) || 3_000);
