// next-auth configuration: email + password credentials; the JWT cookie names a server-side session
// (lib/auth/sessions.ts), so signing out ends it for good.
import { isDatabaseUnavailable } from "@/lib/http/unavailable";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { getPrisma } from "@/lib/db/client";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import type { Actor } from "./actor";
import { authSecret } from "./secret";
import { actorFromSession, createSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { signIn, SignInError } from "./sign-in";

function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === "string" && value ? value : null;
}

/** Built on use, so that a build without NEXTAUTH_SECRET still succeeds. */
export const authOptions = (): NextAuthOptions => ({
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
        try {
          // Only the production server's vouched-for address counts; a client's X-Forwarded-For never does.
          const address = header(req?.headers, CLIENT_ADDRESS_HEADER) ?? "local";
          const user = await signIn(getPrisma(), credentials.email, credentials.password, address);
          const sid = await createSession(getPrisma(), user.id, header(req?.headers, "user-agent"));
          return { id: user.id, email: user.email, name: user.name, sid };
        } catch (error) {
          if (error instanceof SignInError) throw new Error(error.message);
          // Never "wrong password" for a failure on our side: the person's password may be right.
          if (isDatabaseUnavailable(error))
            throw new Error(
              "Federation cannot reach its database right now. Your password was not checked; try again in a moment.",
            );
          console.error("sign-in failed:", error);
          throw new Error("Sign-in failed on our side. Your password was not checked; try again in a moment.");
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = (user as { sid?: string }).sid;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      (session as { sid?: unknown }).sid = token.sid;
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(getPrisma(), token.sid);
    },
  },
});

/** The signed-in person for server components and server actions, with their current role. */
export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions());
  const sid = (session as { sid?: unknown } | null)?.sid;
  if (typeof sid !== "string") return null;
  return actorFromSession(getPrisma(), sid);
}
