import { describe, expect, it } from "vitest";
import { themeBootScript } from "@/components/theme/theme";
import { contentSecurityPolicy, cspNonce, originsOf, scriptHash } from "./csp";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("Content-Security-Policy of the pages", () => {
  const base = { nonce: "abc123==", dev: false, https: false, connect: ["http://127.0.0.1:8545", "http://127.0.0.1:8545"], scriptHashes: [scriptHash(themeBootScript)] };

  it("runs scripts by nonce, hash and strict-dynamic only, with WebAssembly but no eval in production", () => {
    const d = directives(contentSecurityPolicy(base));
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", `'${scriptHash(themeBootScript)}'`, "'strict-dynamic'", "'wasm-unsafe-eval'"]);
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("worker-src")).toEqual(["'self'", "blob:"]);
    expect(d.get("connect-src")).toEqual(["'self'", "http://127.0.0.1:8545"]);
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds eval and the HMR socket under next dev, and upgrade-insecure-requests over HTTPS", () => {
    const dev = directives(contentSecurityPolicy({ ...base, dev: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("connect-src")).toEqual(expect.arrayContaining(["ws:", "wss:"]));
    expect(directives(contentSecurityPolicy({ ...base, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("hashes like a browser does, makes fresh nonces, and lists origins of parseable URLs only", () => {
    expect(scriptHash("alert(1)")).toBe("sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
    const nonces = new Set(Array.from({ length: 50 }, cspNonce));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
    expect(originsOf(["https://rpc.example/v1/key?x=1", undefined, "not a url", "ws://node:8546"])).toEqual(["https://rpc.example", "ws://node:8546"]);
  });
});
