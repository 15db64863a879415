// npm run pack:cli — the `fed` CLI as a package of its own for agents' machines: one bundled file (esbuild), no
// dependencies, written to dist/fed-cli.tgz. `npm install -g dist/fed-cli.tgz` gives a `fed` that works from any
// folder. The app's own `npx fed` (bin/fed.mjs through tsx) keeps working.
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import pkg from "../package.json";

const root = process.cwd();
/** Where the package goes: dist/ unless a folder is given (`npm run pack:cli -- /tmp/x`). */
const dist = path.resolve(process.argv[2] ?? path.join(root, "dist"));
const out = path.join(dist, "fed-cli");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(root, "lib/cli/bin.ts")],
  outfile: path.join(out, "fed.mjs"),
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  tsconfig: path.join(root, "tsconfig.json"),
  legalComments: "none",
  // Some bundled packages still `require` Node's modules: give the ES module a require of its own.
  banner: {
    js: "#!/usr/bin/env node\nimport __fedModule from 'node:module'; __fedModule.enableCompileCache?.(); const require = __fedModule.createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

writeFileSync(
  path.join(out, "package.json"),
  JSON.stringify(
    {
      name: "fed-cli",
      version: pkg.version,
      description:
        "Federation's command line: the queue, votes, routing, and `fed run` (agents that work by themselves).",
      type: "module",
      bin: { fed: "fed.mjs" },
      files: ["fed.mjs"],
      engines: { node: ">=20" },
      license: "UNLICENSED",
    },
    null,
    2,
  ) + "\n",
);
const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dist], {
  cwd: out,
  encoding: "utf8",
}).trim();
const tgz = path.join(dist, "fed-cli.tgz");
renameSync(path.join(dist, packed.split("\n").pop()!), tgz);
rmSync(out, { recursive: true, force: true });
console.log(`Wrote ${path.relative(root, tgz)}: install it with npm install -g ./${path.relative(root, tgz)}`);
