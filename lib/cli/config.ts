// Where the `fed` CLI finds the server and its token: FED_URL and FED_TOKEN, else what `fed login` saved in the
// user's config directory (mode 0600), and the lease tokens of the claims it made.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export interface CliConfig {
  url?: string;
  token?: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FED_CONFIG_DIR) return env.FED_CONFIG_DIR;
  const base =
    env.XDG_CONFIG_HOME || (process.platform === "win32" ? env.APPDATA : null) || path.join(homedir(), ".config");
  return path.join(base!, "federation");
}

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return fallback;
  }
}

function writeSecret(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
}

const configFile = (env?: NodeJS.ProcessEnv) => path.join(configDir(env), "config.json");
const leasesFile = (env?: NodeJS.ProcessEnv) => path.join(configDir(env), "leases.json");

/** Flags win over the environment, which wins over the saved config. */
export function loadConfig(
  flags: CliConfig = {},
  env: NodeJS.ProcessEnv = process.env,
): Required<CliConfig> | { url: string; token?: string } {
  const saved = readJson<CliConfig>(configFile(env), {});
  return {
    url: (flags.url || env.FED_URL || saved.url || "http://localhost:3000").replace(/\/+$/, ""),
    token: flags.token || env.FED_TOKEN || saved.token,
  };
}

export function saveConfig(config: CliConfig, env?: NodeJS.ProcessEnv): string {
  const file = configFile(env);
  writeSecret(file, config);
  return file;
}

export function forgetConfig(env?: NodeJS.ProcessEnv): void {
  rmSync(configFile(env), { force: true });
}

/** Lease tokens of this user's claims, by task id, so heartbeat/complete/release need no --lease-token. */
export const leases = {
  get: (taskId: string, env?: NodeJS.ProcessEnv): string | undefined =>
    readJson<Record<string, string>>(leasesFile(env), {})[taskId],
  set(taskId: string, token: string, env?: NodeJS.ProcessEnv): void {
    const all = readJson<Record<string, string>>(leasesFile(env), {});
    all[taskId] = token;
    writeSecret(leasesFile(env), all);
  },
  drop(taskId: string, env?: NodeJS.ProcessEnv): void {
    if (!existsSync(leasesFile(env))) return;
    const all = readJson<Record<string, string>>(leasesFile(env), {});
    delete all[taskId];
    writeSecret(leasesFile(env), all);
  },
};
