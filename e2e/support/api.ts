import type { APIRequestContext } from "@playwright/test";
import { apiCallError, createApiClient, type ApiClient } from "@/lib/protocol";

/** The e2e app's origin (playwright.config.ts). */
export const e2eOrigin = () => `http://localhost:${process.env.E2E_PORT ?? "3100"}`;

/**
 * The typed API client (lib/protocol, generated from the OpenAPI document) over a Playwright request
 * context: `page.request` carries the page's session cookie, the `request` fixture none. A changed
 * route's shape then fails typecheck in the specs instead of a hand-written cast going stale.
 */
export function typedApi(request: APIRequestContext): ApiClient {
  return createApiClient(e2eOrigin(), {
    fetch: async (input: Request) => {
      const res = await request.fetch(input.url, {
        method: input.method,
        headers: Object.fromEntries(input.headers),
        ...(input.body ? { data: Buffer.from(await input.arrayBuffer()) } : {}),
      });
      const status = res.status();
      // headersArray, not headers(): that joins several Set-Cookie values with "\n", which Headers refuses
      const headers = new Headers();
      for (const { name, value } of res.headersArray()) headers.append(name, value);
      return new Response(status === 204 || status === 304 ? null : new Uint8Array(await res.body()), { status, headers });
    },
  });
}

/** The answer's data; a refusal fails the test with the API's code and message. */
export function must<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (!r.response.ok) throw apiCallError(what, r.response, r.error);
  return r.data as T;
}
