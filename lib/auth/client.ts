// Browser side of Sign-In with Ethereum and the API's error shape. No server imports.
import { createSiweMessage } from "viem/siwe";

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** fetch + JSON, turning `{ error: { code, message, details } }` answers into ApiRequestError. */
export async function apiFetch<T>(input: string, init?: RequestInit): Promise<T> {
  const res = await fetch(input, { credentials: "same-origin", ...init });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as T | ApiErrorBody | null;
  if (!res.ok) {
    const err = (body as ApiErrorBody | null)?.error;
    throw new ApiRequestError(res.status, err?.code ?? "internal", err?.message ?? `HTTP ${res.status}`, err?.details);
  }
  return body as T;
}

export type SessionState = { address: `0x${string}`; expiresAt: string } | null;

export async function fetchSession(): Promise<SessionState> {
  // No hint cookie, no session: skip a request that could only answer 401 (see SIGNED_IN_HINT_COOKIE).
  if (typeof document !== "undefined" && !/(?:^|;\s*)corex_signed_in=1/.test(document.cookie)) return null;
  try {
    return await apiFetch<{ address: `0x${string}`; expiresAt: string }>("/api/auth/session", { cache: "no-store" });
  } catch (e) {
    if (e instanceof ApiRequestError && e.status === 401) return null;
    throw e;
  }
}

export const fetchNonce = async () => (await apiFetch<{ nonce: string }>("/api/auth/nonce", { cache: "no-store" })).nonce;

/** The EIP-4361 message for this origin, as the server checks it (domain = host with port, uri = origin). */
export function signInMessage(args: { nonce: string; address: `0x${string}`; chainId: number }): string {
  return createSiweMessage({
    ...args,
    domain: window.location.host,
    uri: window.location.origin,
    version: "1",
    statement: "Sign in to Corex Network.",
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 10 * 60_000),
  });
}

export async function verifySignIn(message: string, signature: string): Promise<boolean> {
  await apiFetch("/api/auth/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) });
  return true;
}

export const signOutSession = () => apiFetch<void>("/api/auth/logout", { method: "POST" });
export { MAX_DELEGATION_SECONDS, delegationDomain, delegationTypes } from "./delegation";
