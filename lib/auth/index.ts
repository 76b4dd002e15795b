import "server-only";

export { issueNonce, signIn, hashToken, NONCE_TTL_MS } from "./siwe";
export type { SignInContext, SignedIn } from "./siwe";
export { SESSION_COOKIE, clearedSessionCookie, endSession, findSession, readCookie, requireAdmin, requireSession, sessionCookie } from "./session";
export type { SessionInfo } from "./session";
export { registerSessionKey, listSessionKeys, mayActForNode, revokeSessionKey, resolveSessionKey } from "./session-keys";
export type { SessionKeyView } from "./session-keys";
export { hitRateLimit, rateRules } from "./rate-limit";
export type { RateRule } from "./rate-limit";
export { appOrigin, authContext, secureCookies } from "./context";
export { delegationDomain, delegationTypes, MAX_DELEGATION_SECONDS, sessionKeyRequestSchema } from "./delegation";
