// npm run docs:settings — writes the README's configuration table from lib/config/settings.ts (a test checks
// that the README holds exactly what this would write).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readmeWithSettings } from "@/lib/config/readme";

const file = path.join(process.cwd(), "README.md");
const before = readFileSync(file, "utf8");
const after = readmeWithSettings(before);
if (after === before) console.log("README.md: the configuration table is up to date.");
else {
  writeFileSync(file, after);
  console.log("README.md: the configuration table was rewritten from lib/config/settings.ts.");
}
