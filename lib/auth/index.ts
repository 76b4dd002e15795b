import "server-only";

export { issueNonce, signIn, hashToken, NONCE_TTL_MS } from "./siwe";
export type { SignInContext, SignedIn } from "./siwe";
export { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE, clearedSessionCookies, endSession, findSession, pageSessionToken, readCookie, requireAdmin, requireSession, sessionCookie, sessionCookieName, sessionCookies, sessionToken, withCookies } from "./session";
export type { CookieMode, SessionInfo } from "./session";
export { registerSessionKey, listSessionKeys, mayActForNode, revokeSessionKey } from "./session-keys";
export type { SessionKeyView } from "./session-keys";
export { checkRateLimit, countFailures, hitRateLimit, rateRules, sweepExpired, throttles } from "./rate-limit";
export type { RateRule } from "./rate-limit";
export { appOrigin, authContext, cookieMode } from "./context";
export { delegationDomain, delegationTypes, MAX_DELEGATION_SECONDS } from "./delegation";
export { authorizeWorker, authorizedHeartbeat, nodeAuthority, notEligible } from "./worker-auth";
export type { NodeAuthority, WorkerCaller } from "./worker-auth";
export { nonceResponseSchema, sessionKeyListSchema, sessionKeyParamsSchema, sessionKeyRequestSchema, sessionKeySchema, sessionResponseSchema, verifyRequestSchema } from "./schemas";
