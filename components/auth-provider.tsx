"use client";

import { createAuthenticationAdapter, RainbowKitAuthenticationProvider, type AuthenticationStatus } from "@rainbow-me/rainbowkit";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { useAccount } from "wagmi";
import { fetchNonce, fetchSession, signInMessage, signOutSession, verifySignIn, type SessionState } from "@/lib/auth/client";

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
          } catch {
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
