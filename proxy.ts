// Runs before every page: a fresh CSP nonce per request (Next puts it on its own scripts), the pages'
// security headers, and a sign-in redirect that comes back to the page asked for.
import { NextResponse, type NextRequest } from "next/server";
import { PAGE_HEADERS, pageCsp } from "@/lib/http/headers";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PUBLIC_PAGES = ["/login"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!signedIn && !PUBLIC_PAGES.includes(pathname)) {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("x-fed-path", `${pathname}${search}`);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(PAGE_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages only: the API sets its own headers (lib/http/route.ts); static assets need none of this.
  // Files of public/ (icons, the web manifest) are public: a signed-out browser asks for the favicon too.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|[^/]+\\.(?:svg|png|ico|webmanifest|txt)$).*)" }],
};
