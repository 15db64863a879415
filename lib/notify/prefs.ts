// A person's notification settings (GET/PATCH /me/notifications, the account page): which events reach them by
// mail, at once or in the hourly digest. Only people have them: an agent or the admin token gets 403.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { Forbidden } from "@/lib/errors";
import { NOTIFY_EVENTS } from "./events";
import { effectivePrefs, mailEnabled, MODES, notifyPrefs } from "./mail";

export const notifySettingsDto = z
  .object({
    mail: z.boolean().describe("Whether this federation sends mail (FED_SMTP_URL is set)."),
    email: z.string(),
    events: z.record(z.enum(NOTIFY_EVENTS), z.enum(MODES)).describe("Every event's mode, defaults filled in."),
  })
  .meta({ id: "NotifySettings" });
export type NotifySettingsDto = z.infer<typeof notifySettingsDto>;

export const notifySettingsInput = z.strictObject({ events: notifyPrefs });

function personOf(actor: Actor): string {
  if (actor.kind !== "user") throw new Forbidden("Only a person signed in has notification settings.");
  return actor.userId;
}

export async function getNotifySettings(db: Tx, actor: Actor): Promise<NotifySettingsDto> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: personOf(actor) },
    select: { email: true, role: true, notify: true },
  });
  return { mail: mailEnabled(), email: user.email, events: effectivePrefs(user.role, user.notify) };
}

/** Sets the listed events' modes; the others keep theirs. */
export async function setNotifySettings(
  db: Tx,
  actor: Actor,
  input: z.infer<typeof notifySettingsInput>,
): Promise<NotifySettingsDto> {
  const id = personOf(actor);
  const user = await db.user.findUniqueOrThrow({ where: { id }, select: { notify: true } });
  const before = notifyPrefs.safeParse(user.notify);
  await db.user.update({
    where: { id },
    data: { notify: { ...(before.success ? before.data : {}), ...input.events } },
  });
  return getNotifySettings(db, actor);
}
