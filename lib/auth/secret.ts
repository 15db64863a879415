// The secret that signs session cookies: NEXTAUTH_SECRET, which `npm start` generates and keeps when unset.
export function authSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (secret) return secret;
  if (process.env.NODE_ENV === "production")
    throw new Error("NEXTAUTH_SECRET is not set; start the app with `npm start`.");
  return "federation-development-secret-not-for-production";
}
