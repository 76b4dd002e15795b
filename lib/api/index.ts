export { ApiError, errorCodes, errorBodySchema, errorJson, forbidden, notFound, unauthorized, validationError } from "./errors";
export type { ErrorBody, ErrorCode } from "./errors";
export { DEFAULT_JSON_LIMIT, parseJson, parseParams, payloadTooLarge, readBodyLimited } from "./body";
export { apiNotFound, assertSameOrigin, clientIp, noStore, otherMethods, route } from "./route";
export type { RouteOptions } from "./route";
export { addressKey, clientAddress, normalizeAddress, PEER_HEADER } from "./client-address";
export { stampPeerAddresses } from "./peer-stamp";
export { Throttle } from "./throttle";
export type { ThrottleRule } from "./throttle";
