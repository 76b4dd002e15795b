import type { Page } from "@playwright/test";

/** anvil's first dev accounts (well-known, unlocked on the dev chain). */
export const devAccounts = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
] as const;

export const e2eRpcUrl = () => `http://127.0.0.1:${process.env.E2E_ANVIL_PORT ?? "18545"}`;

export type WalletOptions = { account?: string; chainId?: number; name?: string };

/**
 * Installs an EIP-1193 provider in the page, announced through EIP-6963, that forwards every call
 * to the dev chain through the test process. anvil's dev accounts are unlocked, so
 * eth_sendTransaction and the signing methods are answered by the chain itself — real signatures,
 * real transactions. `eth_accounts` stays empty until `eth_requestAccounts`, like a real wallet
 * (otherwise wagmi reconnects on load and never shows Connect); like a real wallet it then remembers
 * the site's permission across reloads of the tab (sessionStorage) until it is revoked.
 */
/** Simulates the user picking another network inside the wallet. */
export async function userSwitchesWalletChain(page: Page, chainId: number): Promise<void> {
  await page.evaluate((id) => (window as unknown as { __corexTestWallet: { userSwitchesChain(id: number): void } }).__corexTestWallet.userSwitchesChain(id), chainId);
}

export async function installInjectedWallet(page: Page, opts: WalletOptions = {}): Promise<void> {
  const rpcUrl = e2eRpcUrl();
  let nextId = 1;
  await page.exposeFunction("__corexRpc", async (method: string, params: unknown[]) => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
    });
    return (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  });
  await page.addInitScript(
    ({ account, chainId, name }) => {
      type Listener = (...args: unknown[]) => void;
      const listeners = new Map<string, Set<Listener>>();
      const emit = (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((l) => l(...args));
      const permissionKey = "corexTestWallet.connected";
      const remember = (on: boolean) => (on ? sessionStorage.setItem(permissionKey, "1") : sessionStorage.removeItem(permissionKey));
      const state = { connected: sessionStorage.getItem(permissionKey) === "1", chainId };
      const rpc = (window as unknown as { __corexRpc: (m: string, p: unknown[]) => Promise<{ result?: unknown; error?: { code: number; message: string } }> }).__corexRpc;
      const fail = (code: number, message: string) => Object.assign(new Error(message), { code });
      const provider = {
        isCorexTestWallet: true,
        async request({ method, params = [] }: { method: string; params?: unknown[] }) {
          switch (method) {
            case "eth_requestAccounts":
              state.connected = true;
              remember(true);
              emit("connect", { chainId: `0x${state.chainId.toString(16)}` });
              emit("accountsChanged", [account]);
              return [account];
            case "eth_accounts":
              return state.connected ? [account] : [];
            case "eth_chainId":
              return `0x${state.chainId.toString(16)}`;
            case "net_version":
              return String(state.chainId);
            case "wallet_requestPermissions":
              state.connected = true;
              remember(true);
              return [{ parentCapability: "eth_accounts" }];
            case "wallet_revokePermissions":
              state.connected = false;
              remember(false);
              emit("accountsChanged", []);
              return null;
            case "wallet_switchEthereumChain": {
              const target = parseInt((params[0] as { chainId: string }).chainId, 16);
              const real = parseInt((await rpc("eth_chainId", [])).result as string, 16);
              if (target !== real) throw fail(4902, `Unrecognized chain ID ${target}`);
              state.chainId = target;
              emit("chainChanged", `0x${target.toString(16)}`);
              return null;
            }
            case "wallet_addEthereumChain":
              return null;
          }
          if (!state.connected && (method.startsWith("eth_send") || method.includes("sign"))) throw fail(4100, "Unauthorized");
          if (method.startsWith("eth_send") || method.includes("sign")) {
            const real = parseInt((await rpc("eth_chainId", [])).result as string, 16);
            if (real !== state.chainId) throw fail(4901, `wallet is on chain ${state.chainId}, node is ${real}`);
          }
          const res = await rpc(method, params as unknown[]);
          if (res.error) throw fail(res.error.code, res.error.message);
          return res.result;
        },
        on(event: string, l: Listener) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(l);
          return provider;
        },
        removeListener(event: string, l: Listener) {
          listeners.get(event)?.delete(l);
          return provider;
        },
      };
      (window as unknown as { ethereum: unknown }).ethereum = provider;
      // What a user does inside the wallet's own UI, for specs to drive.
      (window as unknown as { __corexTestWallet: unknown }).__corexTestWallet = {
        userSwitchesChain(id: number) {
          state.chainId = id;
          emit("chainChanged", `0x${id.toString(16)}`);
        },
      };
      const info = {
        uuid: "7d3b3c1e-5c1f-4a43-9a53-2f0e6a0c0e11",
        name,
        // A 1×1 transparent PNG: EIP-6963 requires an icon data URI.
        icon: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
        rdns: "network.corex.testwallet",
      };
      const announce = () =>
        window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    },
    { account: opts.account ?? devAccounts[0], chainId: opts.chainId ?? 31337, name: opts.name ?? "Corex Test Wallet" },
  );
}
