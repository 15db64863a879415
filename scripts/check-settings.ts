// Imported first by `npm start` and the server: a setting that does not parse stops the process here, before any
// module reads it, with one line per bad variable naming what it accepts (exit code 1).
import { SettingsError, checkSettings } from "@/lib/config/settings";

try {
  checkSettings();
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(`Federation cannot start: ${error.problems.length === 1 ? "a setting is" : "settings are"} not valid.`);
  console.error(error.message);
  console.error("See the configuration table in the README.");
  process.exit(1);
}
