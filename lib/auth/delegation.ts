// EIP-712 delegation of result signing to a worker's session key. Shared by the browser (which asks
// the wallet to sign it) and the server (which verifies it); no server-only imports here.

/** A delegation may last at most this long (the "expiry ≤ 24 h"). */
export const MAX_DELEGATION_SECONDS = 24 * 3_600;

export const delegationTypes = {
  SessionKeyDelegation: [
    { name: "sessionKey", type: "address" },
    { name: "nodeId", type: "uint256" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;

export const delegationDomain = (chainId: number) => ({ name: "Corex Network", version: "1", chainId }) as const;
