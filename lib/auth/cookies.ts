// The session cookie's name, attributes and parsing: pure string work, apart from session.ts's
// database look-ups, so that `npm run test:mutation` can mutate it (docs/development/tests.md → Mutation testing).

export const SESSION_COOKIE = "corex_session";

/** How this request's cookies are set (lib/auth/context.ts cookieMode): Secure, and `__Host-` over HTTPS. */
export type CookieMode = { secure: boolean; hostPrefix: boolean };

/**
 * Over HTTPS the session cookie is `__Host-corex_session`: browsers keep a `__Host-` cookie only when
 * it is Secure, has Path=/ and no Domain, so a sibling subdomain or a plain-http page cannot plant
 * or overwrite it (cookie tossing). Plain http (`npm run dev`, e2e on localhost) keeps the bare name.
 */
export const sessionCookieName = (mode: Pick<CookieMode, "hostPrefix">) => (mode.hostPrefix ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

/** A cookie's value, or undefined (absent, or not valid percent-encoding: a cookie is client input). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session cookie: httpOnly, SameSite=Lax, Secure outside development, `__Host-` over HTTPS. */
export function sessionCookie(token: string, expiresAt: Date, mode: CookieMode): string {
  return [
    `${sessionCookieName(mode)}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    mode.secure || mode.hostPrefix ? "Secure" : "",
  ].filter(Boolean).join("; ");
}

/**
 * A readable companion of the session cookie that says only "a session may exist": the browser can't
 * see the httpOnly session cookie, and without this hint it would ask GET /api/auth/session (a 401,
 * logged in the console) on every page that loads the wallet stack. Not a credential: the server never
 * reads it.
 */
export const SIGNED_IN_HINT_COOKIE = "corex_signed_in";

/** Both Set-Cookie values of a sign-in: the session and its hint, with the same lifetime. */
export function sessionCookies(token: string, expiresAt: Date, mode: CookieMode): string[] {
  const hint = [`${SIGNED_IN_HINT_COOKIE}=1`, "Path=/", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`, mode.secure || mode.hostPrefix ? "Secure" : ""];
  return [sessionCookie(token, expiresAt, mode), hint.filter(Boolean).join("; ")];
}

export const clearedSessionCookies = (mode: CookieMode) => sessionCookies("", new Date(0), mode);
