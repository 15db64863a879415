// Starts tests/helpers/instance.ts (a second app instance on the same database) and waits until it listens.
import { spawn, type ChildProcess } from "node:child_process";

export interface SecondInstance {
  url: string;
  process: ChildProcess;
  stop: () => void;
}

export async function spawnInstance(env: Record<string, string>): Promise<SecondInstance> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/instance.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Its log is kept, not printed (the chaos tests make it report every cut connection), and shown if it fails.
  let log = "";
  child.stderr!.on("data", (d) => (log = (log + d).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the second instance exited (${code}):\n${log}`)));
  });
  return { url, process: child, stop: () => child.kill("SIGKILL") };
}
