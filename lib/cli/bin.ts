// The entry of the packed CLI (`npm run pack:cli` → dist/fed-cli.tgz): `fed …` with its exit code.
import { main } from "./main";

process.exitCode = await main(process.argv.slice(2));
