import { apiNotFound } from "@/lib/api";

// Every /api path that no route file matches: the API's JSON 404 (`not_found`) for every method,
// instead of Next's HTML page. Known paths answer unknown methods with a JSON 405 (lib/api otherMethods).
export const dynamic = "force-dynamic";

export { apiNotFound as GET, apiNotFound as POST, apiNotFound as PUT, apiNotFound as PATCH, apiNotFound as DELETE, apiNotFound as OPTIONS };
