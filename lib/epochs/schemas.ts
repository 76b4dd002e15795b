import { z } from "zod";
import { int8DecimalSchema } from "@/lib/protocol";
import { credentialRoles } from "./rules";

const uint = z.string().regex(/^\d{1,78}$/, "must be a non-negative decimal integer");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex string");

export const recordCredentialSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  nodeId: z.union([uint, z.bigint()]).transform((v) => BigInt(v)),
  owner: address.transform((a) => a.toLowerCase()),
  jobId: z.string().min(1).max(200),
  fragmentId: z.string().min(1).max(200),
  resultHash: bytes32.transform((h) => h.toLowerCase()),
  workUnits: z.union([uint, z.bigint()]).transform((v) => BigInt(v)).refine((v) => v > 0n && v < 2n ** 96n, "must be in (0, 2^96)"),
  role: z.enum(credentialRoles),
}).strict();
export type RecordCredentialInput = z.input<typeof recordCredentialSchema>;

// Epochs and node ids are int8 in Postgres: bounded here, not refused by the database as a 500.
export const epochParamsSchema = z.object({ n: int8DecimalSchema("epoch number (epochs start at 1)") }).strict();
export const credentialParamsSchema = z.object({ id: z.string().min(1).max(200) }).strict();
export const accountParamsSchema = z.object({ account: address }).strict();
export const faultParamsSchema = z.object({ id: z.string().min(1).max(200) }).strict();

export const credentialListQuerySchema = z.object({
  epoch: int8DecimalSchema("epoch number", 0).optional(),
  node: int8DecimalSchema("node id", 0).optional(),
  job: z.string().min(1).max(200).optional(),
  owner: address.optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const credentialSummarySchema = z.object({
  id: z.string(), epoch: z.string().nullable(), nodeId: z.string(), owner: z.string(), jobId: z.string(), fragmentId: z.string(),
  resultHash: z.string(), workUnits: z.string(), role: z.enum(credentialRoles), createdAt: z.string(),
}).meta({ id: "CredentialSummary" });
export const credentialListSchema = z.object({ credentials: z.array(credentialSummarySchema), nextCursor: z.string().nullable() }).meta({ id: "CredentialList" });
export const credentialProofSchema = z.object({
  id: z.string(), epoch: z.number().int().nullable(), leaf: z.array(z.string()), leafEncoding: z.array(z.string()), proof: z.array(z.string()), root: z.string().nullable(),
  /** pending: not sealed into an epoch yet (no proof) */
  status: z.enum(["pending", "sealed"]),
}).meta({ id: "CredentialProof" });
const ozDump = z.object({ format: z.string(), leafEncoding: z.array(z.string()), tree: z.array(z.string()), values: z.array(z.object({ value: z.array(z.string()), treeIndex: z.number() })) });
export const epochTreeSchema = z.object({
  epoch: z.number().int(), chainId: z.number().int(), ledger: z.string(), txHash: z.string().nullable(),
  credentialsRoot: z.string(), rewardsRoot: z.string(), total: z.string(), workUnits: z.string(), credentialCount: z.number().int(),
  credentials: ozDump.nullable(), rewards: ozDump,
  fees: ozDump.nullable().describe("the task fee leaves [kind, taskId, account, amount] (null: none); with fee leaves, rewardsRoot = commutative keccak of the two trees' roots"),
  inputs: z.record(z.string(), z.unknown()),
}).meta({ id: "EpochTree" });
export const claimableSchema = z.object({
  account: z.string(), epoch: z.number().int().nullable(),
  claims: z.array(z.object({ nodeId: z.string(), cumulativeAmount: z.string(), cumulativeWorkUnits: z.string(), claimed: z.string(), claimable: z.string(), proof: z.array(z.string()) })),
  claimable: z.string(),
  fees: z.array(z.object({
    kind: z.enum(["fee", "refund"]).describe("fee: pay for accepted work or a dataset provider's share (TaskManager.claimFee); refund: the creator's refund of a closed task (claimRefund)"),
    taskId: z.string(), cumulativeAmount: z.string(), claimed: z.string(), claimable: z.string(), proof: z.array(z.string()),
  })).describe("task fee leaves of the account in the same epoch, proofs against its root"),
  feesClaimable: z.string().describe("CXT wei the fee leaves still pay (out of task escrows, not minted)"),
}).meta({ id: "Claimable" });
/** GET /api/jobs/{id}/fees: the job's task fees per contributor. */
export const jobFeesSchema = z.object({
  jobId: z.string(), taskId: z.string().nullable().describe("null until the job's createTask is mirrored"),
  fee: z.string().describe("CXT wei escrowed"), paid: z.string().describe("fee claims paid so far"), refunded: z.string().describe("the creator's refund claimed"),
  provider: z.string().nullable().describe("the dataset provider, if the task names one"), providerFeeBps: z.number().int(),
  epoch: z.number().int().nullable().describe("the latest epoch closed here with fee leaves (its leaves are claimable once it is final)"),
  contributors: z.array(z.object({
    account: z.string(), kind: z.enum(["fee", "refund"]),
    earned: z.string().describe("cumulative amount of the account's leaf"), paid: z.string(), owed: z.string().describe("earned − paid"),
  })),
}).meta({ id: "JobFees" });
/** GET /api/faults: a node's or a job's faults, newest first, paged by an opaque cursor. */
export const faultListQuerySchema = z.object({
  node: int8DecimalSchema("node id").optional(),
  job: z.uuid("must be a job id (uuid)").optional(),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a nextCursor of an earlier page").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const faultSummarySchema = z.object({
  id: z.uuid(), nodeId: z.string(), owner: z.string(), jobId: z.uuid(), fragmentId: z.uuid(), resultId: z.uuid(),
  reason: z.string().describe("disagrees_with_reference: the result was more than the tolerance from the CPU reference"),
  relativeL2ToReference: z.number().nullable(), createdAt: z.iso.datetime(),
  slash: z.object({ status: z.enum(["pending", "sent", "failed"]), bps: z.number().int(), evidenceHash: z.string(), txHash: z.string().nullable() })
    .nullable().describe("the on-chain slash (null until the epoch process takes the fault up); GET /api/faults/{id} has the evidence"),
}).meta({ id: "FaultSummary" });
export const faultListSchema = z.object({ faults: z.array(faultSummarySchema), nextCursor: z.string().nullable() }).meta({ id: "FaultList" });

export const faultSchema = z.object({
  id: z.string(), nodeId: z.string(), evidence: z.unknown(), canonical: z.string(), evidenceHash: z.string(), bps: z.number().int(),
  status: z.enum(["pending", "sent", "failed"]), txHash: z.string().nullable(), error: z.string().nullable(),
}).meta({ id: "Fault" });
