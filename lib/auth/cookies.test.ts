import { describe, expect, it } from "vitest";
import { clearedSessionCookies, readCookie, sessionCookie, sessionCookieName, sessionCookies } from "./cookies";

const withCookie = (cookie?: string) => new Request("http://localhost/", { headers: cookie === undefined ? {} : { cookie } });

describe("session cookies", () => {
  it("are named __Host-corex_session over HTTPS, corex_session over plain http", () => {
    expect(sessionCookieName({ hostPrefix: true })).toBe("__Host-corex_session");
    expect(sessionCookieName({ hostPrefix: false })).toBe("corex_session");
  });

  it("are httpOnly, SameSite=Lax, Path=/, and Secure unless plain-http development", () => {
    const exp = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(sessionCookie("t0k", exp, { secure: true, hostPrefix: true })).toBe("__Host-corex_session=t0k; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure");
    expect(sessionCookie("t0k", exp, { secure: true, hostPrefix: false })).toBe("corex_session=t0k; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure");
    expect(sessionCookie("t0k", exp, { secure: false, hostPrefix: true })).toMatch(/; Secure$/);
    expect(sessionCookie("t0k", exp, { secure: false, hostPrefix: false })).toBe("corex_session=t0k; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 02 Jan 2030 03:04:05 GMT");
    const [session, hint] = sessionCookies("t0k", exp, { secure: true, hostPrefix: false });
    expect(session).toBe(sessionCookie("t0k", exp, { secure: true, hostPrefix: false }));
    expect(hint).toBe("corex_signed_in=1; Path=/; SameSite=Lax; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure");
    expect(sessionCookies("t0k", exp, { secure: false, hostPrefix: false })[1]).toBe("corex_signed_in=1; Path=/; SameSite=Lax; Expires=Wed, 02 Jan 2030 03:04:05 GMT");
    expect(sessionCookies("t0k", exp, { secure: false, hostPrefix: true })[1]).toMatch(/; Secure$/);
    expect(clearedSessionCookies({ secure: false, hostPrefix: false })).toEqual([
      "corex_session=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
      "corex_signed_in=1; Path=/; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
  });

  it("reads a cookie by its exact name, decoded; malformed encoding or absence is undefined", () => {
    expect(readCookie(withCookie("a=1; corex_session=abc%20d ; b=2"), "corex_session")).toBe("abc d");
    expect(readCookie(withCookie("xcorex_session=1; corex_session=2"), "corex_session")).toBe("2");
    expect(readCookie(withCookie("=x; corex_session=v=w"), "corex_session")).toBe("v=w");
    expect(readCookie(withCookie("=corex_session"), "corex_session")).toBeUndefined();
    expect(readCookie(withCookie("corex_session=%E0%A4%A"), "corex_session")).toBeUndefined();
    expect(readCookie(withCookie("a=1"), "corex_session")).toBeUndefined();
    // a part without "=" is no cookie, even one that starts with the name
    expect(readCookie(withCookie("corex_sessionX; b=2"), "corex_session")).toBeUndefined();
    // the first cookie of the name decides: a malformed one is not skipped for a later one
    expect(readCookie(withCookie("corex_session=%E0%A4%A; corex_session=ok"), "corex_session")).toBeUndefined();
    expect(readCookie(withCookie(""), "corex_session")).toBeUndefined();
    expect(readCookie(withCookie(), "corex_session")).toBeUndefined();
  });
});
