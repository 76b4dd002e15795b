// lib/chain for browsers (and isomorphic code): chains, deployment shapes, public config, tiers, the wallet tx flow.
export { devChain, resolveChain, explorerAddressUrl, explorerTxUrl } from "./chains";
export { contractNames, deploymentSchema, deploymentStartBlock, contractAddress } from "./deployment";
export type { ContractName, Deployment, DeploymentAddresses } from "./deployment";
export { publicConfigSchema } from "./public-config";
export type { PublicConfig } from "./public-config";
export { TargetChainProvider, useTargetChain } from "./target-chain";
export { describeTxError, sendContractTx } from "./tx-flow";
export type { ContractTx, TxStage } from "./tx-flow";
export { createWagmiConfig } from "./wagmi-config";
export { TIER_BPS, tierTable } from "./tiers";
