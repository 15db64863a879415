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
  return `${target.pathname}${target.search}${target.hash}`;
}
