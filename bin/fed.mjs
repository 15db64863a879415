#!/usr/bin/env node
// `npx fed …`: loads the TypeScript CLI through tsx (with the project's tsconfig paths) and exits with its code.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = fileURLToPath(new URL("..", import.meta.url));
register({ tsconfig: `${root}tsconfig.json` });
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
