// Where to go after signing in: only a path on this app, whatever a crafted link says.
export function safeCallbackPath(callbackUrl: string | undefined | null): string {
  if (!callbackUrl) return "/";
  const base = "http://federation.invalid";
  let target: URL;
  try {
    target = new URL(callbackUrl, base);
  } catch {
    return "/";
  }
  if (target.origin !== base || !target.pathname.startsWith("/")) return "/";
  // After normalising, "/.//evil.test" is "//evil.test": a browser reads a leading "//" as another host.
  const path = target.pathname.replace(/^\/+/, "/");
  return `${path}${target.search}${target.hash}`;
}
