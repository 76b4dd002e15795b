import "server-only";

// lib/chain for the server: its read client, its one transaction sender and revert decoder, and the
// isomorphic pieces (chains, deployments, tiers) that browsers import from @/lib/chain/client.
export { serverPublicClient } from "./server-client";
export { sendTx, TxRevertedError, type ServerTx, type TxSigner } from "./tx-sender";
export { decodeRevert, revertReason, type DecodedRevert } from "./tx-revert";
export { devChain, resolveChain, explorerAddressUrl, explorerTxUrl } from "./chains";
export { contractNames, deploymentSchema, deploymentStartBlock, contractAddress } from "./deployment";
export type { ContractName, Deployment, DeploymentAddresses } from "./deployment";
export { publicConfigSchema } from "./public-config";
export type { PublicConfig } from "./public-config";
export { loadDeployment } from "./deployments";
export { tierMultiplierSql, tierTable } from "./tiers";
