// A port the OS says is free right now, for a spec that starts an app of its own. A port picked from a fixed
// range can belong to a service on the machine (one CI run drew 3306, MariaDB's, and its `npm start` failed
// with EADDRINUSE). Synchronous so a spec can keep its base URL a module constant.
import { spawnSync } from "node:child_process";

export function freePortSync(): number {
  const script =
    "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  const port = Number(out.stdout);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no free port: ${out.stderr}`);
  return port;
}
