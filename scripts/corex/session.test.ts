import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configDir, forgetSession, readSessions, saveSession, sessionFor, sessionsFile } from "./session";

describe("corex sessions", () => {
  let home: string | null = null;
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("lives under $XDG_CONFIG_HOME/corex, else ~/.config/corex", () => {
    expect(configDir("/x/cfg")).toBe("/x/cfg/corex");
    expect(configDir(undefined)).toMatch(/\.config\/corex$/);
  });

  it("is kept per API origin in a 0600 file in a 0700 folder; expired sessions do not count; logout forgets one", async () => {
    home = await mkdtemp(path.join(tmpdir(), "corex-session-"));
    const dir = configDir(home);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await saveSession(dir, "http://a", { address: "0xa", cookie: "corex_session=1", expiresAt: later, chainId: 1 });
    await saveSession(dir, "http://b", { address: "0xb", cookie: "corex_session=2", expiresAt: new Date(Date.now() - 1).toISOString(), chainId: 1 });
    expect((await stat(sessionsFile(dir))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await sessionFor(dir, "http://a"))?.cookie).toBe("corex_session=1");
    expect(await sessionFor(dir, "http://b")).toBeNull();
    await forgetSession(dir, "http://a");
    expect(Object.keys(await readSessions(dir))).toEqual(["http://b"]);
  });
});
