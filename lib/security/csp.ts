import { createHash } from "node:crypto";

export type CspOptions = {
  /** Fresh per response (proxy.ts): Next puts it on its own scripts, which it reads from this header. */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval, and the HMR socket is a ws: URL. */
  dev: boolean;
  /** Served over HTTPS: sub-resources named with http: are fetched over https:. */
  https: boolean;
  /** Origins the browser's wallet stack calls besides this one: the chains' JSON-RPC endpoints. */
  connect: readonly string[];
  /** `sha256-…` of inline scripts the app renders itself (the theme boot script). */
  scriptHashes: readonly string[];
};

/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce or a listed hash,
 * and what those load ('strict-dynamic': Next's chunk loader and the wallet stack's lazy chunks), so
 * an injected <script> or event handler does not run; 'self' is only the fallback of browsers without
 * CSP 3. 'wasm-unsafe-eval' lets the compute kernels compile WebAssembly; workers come from this
 * origin (or blob: URLs a bundler may use to start one). Styles allow 'unsafe-inline': RainbowKit
 * writes its theme as a <style> element and components set style attributes; styles cannot run code.
 * Nothing may frame the pages (frame-ancestors, as X-Frame-Options for older browsers).
 */
export function contentSecurityPolicy(o: CspOptions): string {
  const script = ["'self'", `'nonce-${o.nonce}'`, ...o.scriptHashes.map((h) => `'${h}'`), "'strict-dynamic'", "'wasm-unsafe-eval'"];
  if (o.dev) script.push("'unsafe-eval'");
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", ...script],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...new Set(o.connect), ...(o.dev ? ["ws:", "wss:"] : [])],
    ["worker-src", "'self'", "blob:"],
    ["manifest-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (o.https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}

/** The CSP source of an inline script: `sha256-<base64 of its UTF-8 text>`. */
export const scriptHash = (source: string) => `sha256-${createHash("sha256").update(source, "utf8").digest("base64")}`;

/** A fresh nonce: 128 bits from the CSPRNG, base64. */
export const cspNonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");

/** The origin of each URL (what connect-src lists); URLs that do not parse are left out. */
export function originsOf(urls: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const u of urls) {
    try {
      if (u) out.push(new URL(u).origin);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return out;
}

/**
 * Headers for every response, pages and API alike (next.config.ts): no MIME sniffing, no framing,
 * referrers cut to the origin across sites, and no access to devices the app never uses.
 */
export const securityHeaders: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** The API's JSON and downloads are never documents to render: a policy that allows nothing. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
