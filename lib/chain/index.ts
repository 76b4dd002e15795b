export { devChain, resolveChain, explorerAddressUrl } from "./chains";
export { contractNames, deploymentSchema, deploymentStartBlock, contractAddress } from "./deployment";
export type { ContractName, Deployment, DeploymentAddresses } from "./deployment";
export { publicConfigSchema } from "./public-config";
export type { PublicConfig } from "./public-config";
