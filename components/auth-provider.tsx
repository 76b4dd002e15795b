"use client";

import { createAuthenticationAdapter, RainbowKitAuthenticationProvider, type AuthenticationStatus } from "@rainbow-me/rainbowkit";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { toast } from "sonner";
import { useAccount } from "wagmi";
import { ApiRequestError, fetchNonce, fetchSession, signInMessage, signOutSession, verifySignIn, type SessionState } from "@/lib/auth/client";

export const sessionQueryKey = ["corex", "session"] as const;

/** The SIWE session of this browser, checked against the connected wallet. */
export function useSession(): { status: AuthenticationStatus; session: SessionState } {
  const { address } = useAccount();
  const q = useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 30_000 });
  // Without a connected wallet the answer cannot matter yet, so the status is "unauthenticated" at once:
  // RainbowKit closes its modals on a loading → unauthenticated change, which would shut the connect
  // modal that a click on Connect opened while this query (mounted with the on-demand wallet stack) ran.
  if (q.isPending) return { status: address ? "loading" : "unauthenticated", session: null };
  const session = q.data ?? null;
  // A session for another wallet than the connected one does not count.
  const ok = session !== null && (!address || session.address.toLowerCase() === address.toLowerCase());
  return { status: ok ? "authenticated" : "unauthenticated", session: ok ? session : null };
}

/**
 * RainbowKit's authentication adapter over /api/auth/*: connecting a wallet asks it to sign an
 * EIP-4361 message, and the server's session cookie is the result.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { status } = useSession();
  const adapter = useMemo(
    () =>
      createAuthenticationAdapter<string>({
        getNonce: fetchNonce,
        createMessage: signInMessage,
        async verify({ message, signature }) {
          try {
            await verifySignIn(message, signature);
            return true;
          } catch (e) {
            // RainbowKit's modal can only say "Error verifying signature": the toast says why.
            toast.error("Sign-in failed", { id: "sign-in", description: signInFailure(e), duration: 15_000 });
            return false;
          } finally {
            await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
          }
        },
        async signOut() {
          await signOutSession();
          await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
        },
      }),
    [queryClient],
  );
  return (
    <RainbowKitAuthenticationProvider adapter={adapter} status={status}>
      {children}
    </RainbowKitAuthenticationProvider>
  );
}

/** The server's reason for refusing a sign-in, in words, with its stable code. */
export function signInFailure(e: unknown): string {
  if (!(e instanceof ApiRequestError)) return `The server could not be reached: ${(e as Error).message}. Check the connection and try again.`;
  if (e.status >= 500) return `The server failed (HTTP ${e.status}, ${e.code}): ${e.message}. Try again in a moment.`;
  if (e.status === 429) return `Too many sign-in attempts (${e.code}): ${e.message}`;
  return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)} (${e.code}).`;
}
