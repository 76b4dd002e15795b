// The light, eagerly loaded surface of the wallet stack. Heavy parts (wagmi, RainbowKit, sonner)
// load on demand; import useTxToast from "@/components/wallet/use-tx-toast" inside a WalletBoundary.
export { LazyNetworkGuard, WalletBoundary, WalletButton } from "./lazy-wallet";
export { requestWallet, useWalletRequested } from "./wallet-demand";
export { WalletConfigProvider, useWalletConfig } from "./wallet-config";
