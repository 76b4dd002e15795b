export { ApiError, errorCodes, errorBodySchema, errorJson, forbidden, notFound, unauthorized, validationError } from "./errors";
export type { ErrorBody, ErrorCode } from "./errors";
export { DEFAULT_JSON_LIMIT, parseJson, parseParams, payloadTooLarge, readBodyLimited } from "./body";
export { clientIp, noStore, route } from "./route";
