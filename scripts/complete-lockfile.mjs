// Adds lock entries for optional platform packages (macOS, Windows, …) that this machine's registry mirror
// does not serve, so `npm ci` accepts the lock file. They only ever install on their own platform.
// Run after `npm install` changes package-lock.json: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;

function platformOf(name) {
  const os = ["darwin", "win32", "freebsd", "android", "linux", "openbsd", "sunos", "aix"].find((o) =>
    name.includes(`-${o}`),
  );
  const cpu = ["arm64", "x64", "ia32", "arm", "wasm32", "ppc64", "s390x", "riscv64", "loong64"].find(
    (c) => name.includes(`-${c}`) || (c === "arm" && name.includes("-arm-")),
  );
  return { os, cpu: name.includes("wasm32") ? "wasm32" : cpu };
}

for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key] || packages[`${path}/${key}`]) continue;
    const { os, cpu } = platformOf(dep);
    if (!os && cpu !== "wasm32") continue;
    packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added++;
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} optional platform entries`);
