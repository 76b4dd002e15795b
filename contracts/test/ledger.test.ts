import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { decodeEventLog, parseEther, type Address, type Hex } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { cxtTokenAbi } from "@/contracts-abi/cxt-token";
import { stakingAbi } from "@/contracts-abi/staking";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

const CAP = parseEther("10000");
const MAX_EMISSION = parseEther("35000");
const WINDOW = 100;

let chain: Chain;
const snap = snapshotter(() => chain);
const BOND = parseEther("50");

let admin: Address, alice: Address, bob: Address, carol: Address, mallory: Address, resolver: Address;

beforeAll(async () => {
  chain = await startChain({
    challengeSeconds: WINDOW,
    unbondingSeconds: 1000,
    emission: { initialEpochCap: CAP, halvingEpochs: 2, maxEmission: MAX_EMISSION },
    minDisputeStake: parseEther("100"),
    disputeBond: BOND,
  });
  [admin, alice, bob, carol, mallory] = chain.accounts;
  resolver = chain.deployment.roles.resolver;
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

const supply = () => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "totalSupply");
const minted = () => chain.read<bigint>(chain.addr.ledger, contributionLedgerAbi, "totalMinted");
const balance = (a: Address) => chain.read<bigint>(chain.addr.token, cxtTokenAbi, "balanceOf", [a]);

function claimedAmounts(receipts: { logs: { data: Hex; topics: Hex[]; address: string }[] }[]): bigint {
  let sum = 0n;
  for (const r of receipts) {
    for (const log of r.logs) {
      if (log.address.toLowerCase() !== chain.addr.ledger.toLowerCase()) continue;
      const ev = decodeEventLog({ abi: contributionLedgerAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      if (ev.eventName === "Claimed") sum += ev.args.amount;
    }
  }
  return sum;
}

describe("ContributionLedger claims", () => {
  it("starts with zero supply and mints exactly the cumulative delta; supply == Σ claimed", async () => {
    expect(await supply()).toBe(0n);
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("100")).credit(bob, parseEther("50"));
    await book.postAndFinalize();
    const r1 = await book.claim(alice);
    const r2 = await book.claim(bob, 0n, { from: carol }); // anyone may submit, bob receives
    expect(await balance(alice)).toBe(parseEther("100"));
    expect(await balance(bob)).toBe(parseEther("50"));
    expect(await balance(carol)).toBe(0n);

    book.credit(alice, parseEther("150"));
    await book.postAndFinalize();
    const r3 = await book.claim(alice);
    expect(await balance(alice)).toBe(parseEther("250"));
    expect(await supply()).toBe(parseEther("300"));
    expect(await minted()).toBe(parseEther("300"));
    expect(claimedAmounts([r1, r2, r3])).toBe(parseEther("300"));
  });

  it("rejects double claims; older epochs are not claimable at all", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("10"));
    await book.postAndFinalize();
    await book.claim(alice);
    await expectRevert(book.claim(alice), "NothingToClaim");
    book.credit(bob, parseEther("5"));
    await book.postAndFinalize();
    await expectRevert(book.claim(alice, 0n, { epoch: 1n }), "NotLatestFinalEpoch");
    await expectRevert(book.claim(alice, 0n, { epoch: 2n }), "NothingToClaim");
    expect(await balance(alice)).toBe(parseEther("10"));
  });

  it("rejects forged proofs: inflated amount, other account, other tree, empty proof", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("10")).credit(bob, parseEther("20"));
    await book.postAndFinalize();
    const [epoch, account, nodeId, amount, work, proof] = book.claimArgs(alice);
    const claim = (args: readonly unknown[]) => chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "claim", args);
    await expectRevert(claim([epoch, account, nodeId, amount + 1n, work, proof]), "InvalidProof");
    await expectRevert(claim([epoch, mallory, nodeId, amount, work, proof]), "InvalidProof");
    await expectRevert(claim([epoch, account, nodeId, amount, work + 1n, proof]), "InvalidProof");
    await expectRevert(claim([epoch, account, nodeId, amount, work, []]), "InvalidProof");
    const forged = StandardMerkleTree.of(
      [
        [mallory, 0n, parseEther("1000"), 0n],
        [bob, 0n, 1n, 0n],
      ],
      ["address", "uint256", "uint256", "uint256"],
    );
    await expectRevert(claim([epoch, mallory, 0n, parseEther("1000"), 0n, forged.getProof(0)]), "InvalidProof");
    expect(await supply()).toBe(0n);
  });

  it("rejects claims before the challenge window ends, and on unknown epochs", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("10"));
    const { epoch } = await book.post();
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    await chain.increaseTime(WINDOW - 5);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "isClaimable", [epoch])).toBe(false);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "latestFinalEpoch")).toBe(0n);
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    await chain.increaseTime(5);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "isClaimable", [epoch])).toBe(true);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "latestFinalEpoch")).toBe(epoch);
    const args = book.claimArgs(alice);
    await expectRevert(chain.tx(alice, chain.addr.ledger, contributionLedgerAbi, "claim", [7n, ...args.slice(1)]), "NotLatestFinalEpoch");
    await book.claim(alice);
    expect(await balance(alice)).toBe(parseEther("10"));
  });
});

describe("ContributionLedger claimMany", () => {
  const input = (book: RewardsBook, account: Address) => {
    const [epoch, acc, nodeId, cumulativeAmount, cumulativeWorkUnits, proof] = book.claimArgs(account);
    return { epoch, account: acc, nodeId, cumulativeAmount, cumulativeWorkUnits, proof };
  };

  it("claims for many accounts, skips what was already claimed, reverts the batch on a forged entry", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("10")).credit(bob, parseEther("20")).credit(carol, parseEther("30"));
    await book.postAndFinalize();
    await book.claim(bob);
    const forged = { ...input(book, carol), cumulativeAmount: parseEther("3000") };
    await expectRevert(
      chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "claimMany", [[input(book, alice), forged]]),
      "InvalidProof",
    );
    const r = await chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "claimMany", [[input(book, alice), input(book, bob), input(book, carol)]]);
    expect(claimedAmounts([r])).toBe(parseEther("40"));
    expect([await balance(alice), await balance(bob), await balance(carol)]).toEqual([parseEther("10"), parseEther("20"), parseEther("30")]);
    expect(await supply()).toBe(parseEther("60"));
    // Everything claimed: a repeat batch mints nothing.
    await chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "claimMany", [[input(book, alice), input(book, carol)]]);
    expect(await supply()).toBe(parseEther("60"));
  });

  it("stays within the epoch's allowance", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, parseEther("6000")).credit(bob, parseEther("6000"));
    await book.postAndFinalize({ total: parseEther("6000") });
    await expectRevert(
      chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "claimMany", [[input(book, alice), input(book, bob)]]),
      "EmissionExceeded",
    );
    expect(await supply()).toBe(0n);
  });
});

describe("ContributionLedger disputes", () => {
  let book: RewardsBook;
  let verifierNode: bigint;

  // A verifier (carol) with a staked node, funded through epoch 1.
  async function setupVerifier() {
    book = new RewardsBook(chain);
    await fund(chain, book, [carol], parseEther("500"));
    await chain.tx(carol, chain.addr.staking, stakingAbi, "registerNode", [1, "verifier"]);
    verifierNode = await chain.read<bigint>(chain.addr.staking, stakingAbi, "nodeCount");
    await chain.tx(carol, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.staking, parseEther("200")]);
    await chain.tx(carol, chain.addr.staking, stakingAbi, "stake", [verifierNode, parseEther("200")]);
    await chain.tx(carol, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.ledger, BOND]);
    book.credit(alice, parseEther("40"));
    await book.post(); // epoch 2, open to disputes
  }

  it("freezes a disputed epoch; upheld → invalid forever", async () => {
    await setupVerifier();
    await chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, "0x" + "ab".repeat(32)]);
    await chain.increaseTime(WINDOW * 3);
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    await chain.tx(resolver, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [2n, 0n, true]);
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    expect(await balance(alice)).toBe(0n);
    // The next epoch can be posted after an invalid one; its (corrected) root pays out, declaring
    // again the total the invalid epoch had granted (that allowance is not slack).
    await book.postAndFinalize({ total: parseEther("40") });
    await book.claim(alice);
    expect(await balance(alice)).toBe(parseEther("40"));
  });

  it("rejected dispute → back to Posted until the original deadline, then claimable", async () => {
    await setupVerifier();
    await chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, "0x" + "00".repeat(32)]);
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    await chain.tx(resolver, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [2n, 0n, false]);
    await expectRevert(chain.tx(resolver, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [2n, 0n, false]), "DisputeClosed");
    expect((await chain.read<{ status: number }>(chain.addr.ledger, contributionLedgerAbi, "getEpoch", [2n])).status).toBe(1);
    await expectRevert(book.claim(alice), "NotLatestFinalEpoch");
    await chain.increaseTime(WINDOW);
    await expectRevert(chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, "0x" + "00".repeat(32)]), "NotDisputable");
    await book.claim(alice);
    expect(await balance(alice)).toBe(parseEther("40"));
  });

  it("only staked node owners dispute, only within the window; only the resolver resolves", async () => {
    await setupVerifier();
    const reason = "0x" + "11".repeat(32);
    await expectRevert(chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, reason]), "NotNodeOwner");
    await chain.tx(mallory, chain.addr.staking, stakingAbi, "registerNode", [3, "unstaked"]);
    const malloryNode = await chain.read<bigint>(chain.addr.staking, stakingAbi, "nodeCount");
    await expectRevert(chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, malloryNode, reason]), "InsufficientStake");
    await expectRevert(chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [1n, verifierNode, reason]), "NotDisputable");
    await chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, reason]);
    await expectRevert(chain.tx(mallory, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [2n, 0n, true]), "AccessControlUnauthorizedAccount");
    await expectRevert(chain.tx(admin, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [2n, 0n, true]), "AccessControlUnauthorizedAccount");
    await expectRevert(chain.tx(resolver, chain.addr.ledger, contributionLedgerAbi, "resolveDispute", [1n, 0n, true]), "UnknownDispute");
  });

  it("a dispute after the window is refused", async () => {
    await setupVerifier();
    await chain.increaseTime(WINDOW);
    await expectRevert(chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, "0x" + "22".repeat(32)]), "NotDisputable");
  });

  it("a disputed epoch blocks posting the next one until resolved", async () => {
    await setupVerifier();
    await chain.tx(carol, chain.addr.ledger, contributionLedgerAbi, "dispute", [2n, verifierNode, "0x" + "33".repeat(32)]);
    await chain.increaseTime(WINDOW);
    await expectRevert(book.post({ total: 0n }), "PreviousEpochNotFinal");
  });
});

describe("ContributionLedger emission schedule", () => {
  it("posting is sequential, role-guarded and waits for the previous epoch", async () => {
    const book = new RewardsBook(chain);
    book.credit(alice, 1n);
    await expectRevert(book.post({ from: mallory }), "AccessControlUnauthorizedAccount");
    const root = ("0x" + "01".repeat(32)) as Hex;
    await expectRevert(chain.tx(admin, chain.addr.ledger, contributionLedgerAbi, "postEpoch", [2n, root, root, 0n, 0n, 0]), "UnexpectedEpoch");
    await expectRevert(chain.tx(admin, chain.addr.ledger, contributionLedgerAbi, "postEpoch", [1n, root, "0x" + "00".repeat(32), 0n, 0n, 0]), "ZeroRoot");
    await book.post();
    await expectRevert(chain.tx(admin, chain.addr.ledger, contributionLedgerAbi, "postEpoch", [2n, root, root, 0n, 0n, 0]), "PreviousEpochNotFinal");
  });

  it("enforces the per-epoch cap with halving", async () => {
    const cap = (e: bigint) => chain.read<bigint>(chain.addr.ledger, contributionLedgerAbi, "epochCap", [e]);
    expect(await cap(0n)).toBe(0n);
    expect(await cap(1n)).toBe(CAP);
    expect(await cap(2n)).toBe(CAP);
    expect(await cap(3n)).toBe(CAP / 2n);
    expect(await cap(5n)).toBe(CAP / 4n);
    expect(await cap(1000n)).toBe(0n);
    const book = new RewardsBook(chain);
    book.credit(alice, CAP + 1n);
    await expectRevert(book.post(), "EpochCapExceeded");
  });

  it("an over-generous root cannot mint more than the epoch's total", async () => {
    const book = new RewardsBook(chain);
    // Leaves sum to 3 × 6,000 but the oracle declares (and is capped to) 6,000.
    book.credit(alice, parseEther("6000")).credit(bob, parseEther("6000")).credit(carol, parseEther("6000"));
    await book.postAndFinalize({ total: parseEther("6000") });
    await book.claim(alice);
    await expectRevert(book.claim(bob), "EmissionExceeded");
    expect(await supply()).toBe(parseEther("6000"));
  });

  it("many epochs at the cap: supply == Σ claims == schedule, never above maxEmission", async () => {
    const book = new RewardsBook(chain);
    const receipts = [];
    let expected = 0n;
    for (let e = 1n; ; e++) {
      const cap = await chain.read<bigint>(chain.addr.ledger, contributionLedgerAbi, "epochCap", [e]);
      if (expected + cap > MAX_EMISSION) {
        book.credit(alice, cap);
        await expectRevert(book.post(), "MaxEmissionExceeded");
        break;
      }
      book.credit(e % 2n === 0n ? alice : bob, cap);
      await book.postAndFinalize();
      expected += cap;
      receipts.push(await book.claim(e % 2n === 0n ? alice : bob));
      expect(await supply()).toBe(expected);
    }
    // caps 10k,10k,5k,5k,2.5k,2.5k → 35k = maxEmission exactly; epoch 7 (1.25k) is refused.
    expect(expected).toBe(MAX_EMISSION);
    expect(claimedAmounts(receipts)).toBe(expected);
    expect(await minted()).toBe(expected);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "scheduledThrough", [100n])).toBe(MAX_EMISSION);
  });

  it("claims record verified work in Staking, which lifts the tier", async () => {
    const book = new RewardsBook(chain);
    await fund(chain, book, [alice], parseEther("1000"));
    await chain.tx(alice, chain.addr.staking, stakingAbi, "registerNode", [0, "gpu-1"]);
    await chain.tx(alice, chain.addr.token, cxtTokenAbi, "approve", [chain.addr.staking, parseEther("1000")]);
    await chain.tx(alice, chain.addr.staking, stakingAbi, "stake", [1n, parseEther("1000")]);
    expect(await chain.read(chain.addr.staking, stakingAbi, "tierOf", [1n])).toBe(0);
    book.credit(alice, parseEther("5"), 1n, 10n ** 11n);
    await book.postAndFinalize();
    await book.claim(alice, 1n);
    const node = await chain.read<{ workUnits: bigint; tier: number }>(chain.addr.staking, stakingAbi, "getNode", [1n]);
    expect(node.workUnits).toBe(10n ** 11n);
    expect(node.tier).toBe(1);
    const c = await chain.read<{ amount: bigint; workUnits: bigint }>(chain.addr.ledger, contributionLedgerAbi, "claimedOf", [alice, 1n]);
    expect(c).toEqual({ amount: parseEther("5"), workUnits: 10n ** 11n });
  });

  it("nobody but the ledger can record work", async () => {
    await chain.tx(alice, chain.addr.staking, stakingAbi, "registerNode", [0, "gpu-1"]);
    await expectRevert(chain.tx(alice, chain.addr.staking, stakingAbi, "recordWork", [1n, alice, 10n ** 15n]), "AccessControlUnauthorizedAccount");
    await expectRevert(chain.tx(admin, chain.addr.staking, stakingAbi, "recordWork", [1n, alice, 10n ** 15n]), "AccessControlUnauthorizedAccount");
  });
});
