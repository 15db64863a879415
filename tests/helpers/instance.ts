// A second app instance in its own process (`node --import tsx tests/helpers/instance.ts`), serving the API over
// HTTP against DATABASE_URL: its own caches, its own change reader. Prints `listening <url>` when ready.
import { startHttpApp } from "./http-app";

const app = await startHttpApp();
process.stdout.write(`listening ${app.url}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
