// npm run reset-password [-- email] — a new generated password for a person (the first admin by default), for
// when the one `npm start` printed is lost. Run it while the app is stopped when it uses the embedded database.
// The person chooses their own at the next sign-in; all their sessions end.
import { SYSTEM } from "@/lib/auth/actor";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { DEFAULT_ADMIN_EMAIL } from "@/lib/system/first-run";
import { resetPassword } from "@/lib/users/passwords";
import { withDatabase } from "./database";
import { setting } from "@/lib/config/settings";

const email = (process.argv[2] ?? setting("FED_ADMIN_EMAIL") ?? DEFAULT_ADMIN_EMAIL).toLowerCase();

await withDatabase(async (url) => {
  await migrate(url);
  const db = createPrisma(url, 2);
  try {
    const user = await db.user.findUnique({ where: { email } });
    if (!user) {
      console.error(`No person with the email ${email}.`);
      process.exitCode = 1;
      return;
    }
    const { password } = await resetPassword(db, SYSTEM, user.id, {});
    console.log(`\n  New password for ${email}: ${password}`);
    console.log("  (generated; you will choose your own at the next sign-in)\n");
  } finally {
    await db.$disconnect();
  }
});
