import { describe, expect, it } from "vitest";
import { appListen, listenBanner } from "./dev-host";

describe("npm run dev: where the app listens", () => {
  it("serves this machine only by default, and says so", () => {
    const l = appListen("127.0.0.1", ["node", "scripts/dev.ts"], 3000);
    expect(l).toEqual({ host: "127.0.0.1", local: true, internalUrl: "http://127.0.0.1:3000" });
    expect(listenBanner(l, 3000, "192.168.1.20").join("\n")).toMatch(/127\.0\.0\.1 only.*--expose/);
  });

  it("serves every interface only when asked (--expose or DEV_HOST), with a warning", () => {
    for (const l of [appListen("127.0.0.1", ["--expose"], 3000), appListen("0.0.0.0", [], 3000)]) {
      expect(l).toMatchObject({ host: "0.0.0.0", local: false, internalUrl: "http://127.0.0.1:3000" });
      const banner = listenBanner(l, 3000, "192.168.1.20").join("\n");
      expect(banner).toContain("http://192.168.1.20:3000");
      expect(banner).toMatch(/stack traces/);
    }
    expect(appListen("::1", [], 3000)).toMatchObject({ local: true, internalUrl: "http://[::1]:3000" });
  });
});
