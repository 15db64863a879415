// GET /api/v1/me/notifications, PATCH { events: { "task.failed": "digest", … } } (a signed-in person): which events
// reach you by mail, at once or in the hourly digest.
import { route } from "@/lib/http/route";
import { getNotifySettings, notifySettingsInput, setNotifySettings } from "@/lib/notify/prefs";

export const GET = route({}, async ({ db, actor }) => getNotifySettings(db, actor));
export const PATCH = route({ body: notifySettingsInput }, async ({ db, actor, body }) =>
  setNotifySettings(db, actor, body),
);
