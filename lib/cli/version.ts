// The CLI's version: the app's (package.json), inlined when `npm run pack:cli` bundles it.
import pkg from "../../package.json";

export const CLI_VERSION: string = pkg.version;
