import "server-only";

export { issueNonce, signIn, hashToken, NONCE_TTL_MS } from "./siwe";
export type { SignInContext, SignedIn } from "./siwe";
export { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE, clearedSessionCookies, endSession, findSession, readCookie, requireAdmin, requireSession, sessionCookie, sessionCookies, withCookies } from "./session";
export type { SessionInfo } from "./session";
export { registerSessionKey, listSessionKeys, mayActForNode, revokeSessionKey } from "./session-keys";
export type { SessionKeyView } from "./session-keys";
export { hitRateLimit, rateRules } from "./rate-limit";
export type { RateRule } from "./rate-limit";
export { appOrigin, authContext, secureCookies } from "./context";
export { delegationDomain, delegationTypes, MAX_DELEGATION_SECONDS, sessionKeyRequestSchema } from "./delegation";
export { authorizeWorker, authorizedHeartbeat, nodeAuthority, notEligible } from "./worker-auth";
export type { NodeAuthority, WorkerCaller } from "./worker-auth";
export { nonceResponseSchema, sessionKeyListSchema, sessionKeyParamsSchema, sessionKeySchema, sessionResponseSchema, verifyRequestSchema } from "./schemas";
