import type { PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { APP, cookieOf, noCtx, req } from "./app-env";

/** Signs `account` in through the real nonce and verify routes; returns the Cookie header value. */
export async function signInCookie(account: PrivateKeyAccount, chainId = 31337): Promise<string> {
  const nonceRoute = await import("@/app/api/auth/nonce/route");
  const verifyRoute = await import("@/app/api/auth/verify/route");
  const { nonce } = (await (await nonceRoute.GET(req("/api/auth/nonce"), noCtx)).json()) as { nonce: string };
  const message = createSiweMessage({ address: account.address, chainId, domain: new URL(APP).host, uri: APP, version: "1", nonce, issuedAt: new Date() });
  const res = await verifyRoute.POST(req("/api/auth/verify", { method: "POST", json: { message, signature: await account.signMessage({ message }) } }), noCtx);
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookieOf(res);
}
