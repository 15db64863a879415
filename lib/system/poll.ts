// How often pages poll while their live stream is down (ms): FED_POLL_MS, 3 s by default. Read on the server and
// handed to the browser's query client and live layer.
import { setting } from "@/lib/config/settings";
export const pollMs = () => setting("FED_POLL_MS");
