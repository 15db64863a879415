// npm run db:migrate — applies pending migrations to DATABASE_URL (or to the embedded database).
import { migrate, MigrationError } from "@/lib/db/migrate";
import { withDatabase } from "./database";

await withDatabase(async (url) => {
  try {
    const { applied, skipped } = await migrate(url, { log: (line) => console.log(line) });
    console.log(
      applied.length
        ? `${applied.length} migration(s) applied, ${skipped.length} already applied.`
        : `Database is up to date (${skipped.length} migration(s)).`,
    );
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(`Migration refused: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
});
