// A second app instance in its own process (`node --import tsx tests/helpers/instance.ts`), serving the API over
// HTTP against DATABASE_URL: its own caches, its own change reader, registered among the live instances as a
// server would be. Prints `listening <url>` when ready.
import { getPrisma } from "@/lib/db/client";
import { registerInstance } from "@/lib/system/instance";
import { startHttpApp } from "./http-app";

const registration = await registerInstance(getPrisma());
const app = await startHttpApp();
process.stdout.write(`listening ${app.url}\n`);
const stop = () => void Promise.all([app.close(), registration.stop()]).then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
