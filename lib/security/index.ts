// HTTP response hardening: the pages' Content-Security-Policy (per request, with a nonce: proxy.ts)
// and the headers every response carries (next.config.ts).
export { apiContentSecurityPolicy, contentSecurityPolicy, cspNonce, originsOf, scriptHash, securityHeaders } from "./csp";
export type { CspOptions } from "./csp";
