/**
 * Property test (F10 + #24): random tasks (fee, fragments, a dataset provider's share), random accepted
 * work over several epochs, cancelled or completed after partial work, fee leaves from the published fee
 * rule (lib/epochs computeFees), claimed in random order against the real TaskManager, some claims sent
 * twice. Escrow is conserved: Σ fee claims + refund = fee once everything is claimed, never more, and the
 * contract's balance is always the escrow left.
 */
import fc from "fast-check";
import { keccak256, parseEther, toHex, type Address } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { computeFees, type CredentialLeafInput, type FeeLeaf } from "@/lib/epochs/rules";
import { fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

let chain: Chain;
let funded: RewardsBook;
const snap = snapshotter(() => chain);
const NONE = "0x0000000000000000000000000000000000000000";

beforeAll(async () => {
  chain = await startChain({ challengeSeconds: 10 });
  funded = new RewardsBook(chain);
  await fund(chain, funded, [chain.accounts[1]!], parseEther("100000"));
  await chain.tx(chain.accounts[1]!, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.tasks, 2n ** 255n]);
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

it("escrow is conserved through fee and refund claims, with cancel after partial work and a provider share", async () => {
  const balance = (a: Address) => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "balanceOf", [a]);
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 1n, max: parseEther("1000") }),
      fc.integer({ min: 1, max: 6 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
      fc.array(fc.array(fc.record({ who: fc.integer({ min: 2, max: 4 }), fragment: fc.integer({ min: 0, max: 7 }), units: fc.bigInt({ min: 1n, max: 10n ** 12n }) }), { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 1_000 }),
      async (fee, fragmentCount, bps, epochs, cancel, seed) => {
        const id = await chain.client.snapshot();
        try {
          const book = funded.copy();
          const [, creator, , , , provider] = chain.accounts as Address[];
          await chain.tx(creator!, chain.addr.tasks, taskManagerAbi, "createTask", [keccak256(toHex(`spec ${seed}`)), fragmentCount, fee, 0, bps ? provider! : NONE, bps]);
          const taskId = await chain.read<bigint>(chain.addr.tasks, taskManagerAbi, "taskCount");
          let previous: FeeLeaf[] = [];
          let paidOut = 0n;
          const post = async (creds: CredentialLeafInput[], closed: boolean) => {
            const task = { fee, fragmentCount, creator: creator!.toLowerCase(), provider: bps ? provider!.toLowerCase() : null, providerFeeBps: bps, closed };
            const { leaves } = computeFees({ credentials: creds, jobs: new Map([["job", taskId]]), tasks: new Map([[taskId, task]]), previous });
            for (const l of leaves) book.fee(taskId, l[2] as Address, BigInt(l[3]), l[0]);
            previous = leaves;
            await book.postAndFinalize({ total: 0n });
            // claim every leaf of the epoch (the largest last, some twice: a second claim pays nothing)
            for (const [kind, , account] of leaves) {
              const before = await balance(chain.addr.tasks);
              const args = kind === "fee" ? book.feeClaimArgs(taskId, account as Address) : book.refundClaimArgs(taskId, creator!);
              const paid = kind === "fee" ? await chain.read<bigint>(chain.addr.tasks, taskManagerAbi, "feePaidTo", [taskId, account]) : (await chain.read<{ refunded: bigint }>(chain.addr.tasks, taskManagerAbi, "getTask", [taskId])).refunded;
              const amount = kind === "fee" ? (args as readonly unknown[])[3] as bigint : (args as readonly unknown[])[2] as bigint;
              if (amount > paid) {
                await chain.tx(chain.accounts[0]!, chain.addr.tasks, taskManagerAbi, kind === "fee" ? "claimFee" : "claimRefund", args);
                paidOut += amount - paid;
              }
              expect(await balance(chain.addr.tasks)).toBe(before - (amount > paid ? amount - paid : 0n));
            }
            const t = await chain.read<{ paid: bigint; refunded: bigint }>(chain.addr.tasks, taskManagerAbi, "getTask", [taskId]);
            expect(t.paid + t.refunded).toBe(paidOut);
            expect(paidOut).toBeLessThanOrEqual(fee);
          };
          for (const [i, e] of epochs.entries()) {
            const creds = e.map((c, k): CredentialLeafInput => ({
              id: `${i}-${k}`, epoch: BigInt(i + 2), nodeId: 0n, owner: chain.accounts[c.who]!.toLowerCase(), jobId: "job", fragmentId: `f${c.fragment}`, resultHash: keccak256(toHex(`${i}-${k}`)), workUnits: c.units, role: "compute",
            }));
            await post(creds, false);
          }
          // closed after partial work: cancelled by the creator (after the grace) or completed by the coordinator
          if (cancel) {
            await chain.tx(creator!, chain.addr.tasks, taskManagerAbi, "cancelTask", [taskId]);
            if ((await chain.read<{ status: number }>(chain.addr.tasks, taskManagerAbi, "getTask", [taskId])).status === 1) {
              await chain.increaseTime(chain.deployment.config.cancelGraceSeconds);
              await chain.tx(creator!, chain.addr.tasks, taskManagerAbi, "cancelTask", [taskId]);
            }
          } else {
            await chain.tx(chain.accounts[0]!, chain.addr.tasks, taskManagerAbi, "complete", [taskId, keccak256(toHex("model"))]);
          }
          await post([], true);
          expect(paidOut).toBe(fee); // every leaf claimed: fees + refund = the whole fee, exactly
          expect(await balance(chain.addr.tasks)).toBe(0n);
        } finally {
          await chain.client.revert({ id });
        }
      },
    ),
    { numRuns: 12 },
  );
}, 300_000);
