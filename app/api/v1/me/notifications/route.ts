// GET /api/v1/me/notifications, PATCH { events: { "task.failed": "digest", … } } (a signed-in person): which events
// reach you by mail, at once or in the hourly digest.
import { route } from "@/lib/http/route";
import { getNotifySettings, notifySettingsInput, setNotifySettings, notifySettingsDto } from "@/lib/notify/prefs";

export const GET = route(
  "Which events reach you by mail, at once or in the hourly digest (admins: escalations at once unless changed).",
  { access: "signed-in", responses: { 200: notifySettingsDto }, errors: [403] },
  async ({ db, actor }) => getNotifySettings(db, actor),
);
export const PATCH = route(
  "Choose, per event, immediate, digest or off; events not named keep their setting.",
  { access: "signed-in", body: notifySettingsInput, responses: { 200: notifySettingsDto }, errors: [403] },
  async ({ db, actor, body }) => setNotifySettings(db, actor, body),
);
