import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEther, parseSignature, type Abi, type Address, type Hex } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contributionLedgerAbi } from "@/contracts-abi/contribution-ledger";
import { corexGovernorAbi } from "@/contracts-abi/corex-governor";
import { stakingAbi } from "@/contracts-abi/staking";
import { taskManagerAbi } from "@/contracts-abi/task-manager";
import { timelockControllerAbi } from "@/contracts-abi/timelock-controller";
import { cxtTokenAbi, cxtTokenBytecode } from "@/contracts-abi/cxt-token";
import type { Deployment } from "@/lib/chain/deployment";
import { deployAll, deploymentMatchesChain, readDeployment } from "@/scripts/contracts/deploy";
import { expectRevert, fund, RewardsBook, snapshotter, startChain, type Chain } from "./helpers";

let chain: Chain;
const snap = snapshotter(() => chain);
let admin: Address, alice: Address, bob: Address;

beforeAll(async () => {
  chain = await startChain({ challengeSeconds: 10 });
  [admin, alice, bob] = chain.accounts;
});
afterAll(() => chain?.stop());
beforeEach(() => snap.take());
afterEach(() => snap.revert());

describe("CXTToken", () => {
  it("caps the supply at MAX_SUPPLY even for its minter", async () => {
    // A standalone token whose minter is an EOA, to reach the cap without a billion claims.
    const token = await chain.deploy(cxtTokenAbi, cxtTokenBytecode, [bob], alice);
    expect(await chain.read(token, cxtTokenAbi, "totalSupply")).toBe(0n);
    const max = await chain.read<bigint>(token, cxtTokenAbi, "MAX_SUPPLY");
    expect(max).toBe(parseEther("1000000000"));
    await expectRevert(chain.tx(bob, token, cxtTokenAbi, "mint", [bob, max + 1n]), "MaxSupplyExceeded");
    await chain.tx(bob, token, cxtTokenAbi, "mint", [bob, max - 1n]);
    await expectRevert(chain.tx(bob, token, cxtTokenAbi, "mint", [alice, 2n]), "MaxSupplyExceeded");
    await chain.tx(bob, token, cxtTokenAbi, "mint", [alice, 1n]);
    expect(await chain.read(token, cxtTokenAbi, "totalSupply")).toBe(max);
    await expect(chain.deploy(cxtTokenAbi, cxtTokenBytecode, ["0x0000000000000000000000000000000000000000"], alice)).rejects.toThrow();
  });

  it("supports permit; has no token votes (governance weight lives in Staking)", async () => {
    await fund(chain, new RewardsBook(chain), [alice], parseEther("100"));
    const deadline = (await chain.now()) + 3600n;
    const nonce = await chain.read<bigint>(chain.addr.token, cxtTokenAbi, "nonces", [alice]);
    const sig = await chain.client.signTypedData({
      account: alice,
      domain: { name: "Corex Token", version: "1", chainId: chain.anvil.chainId, verifyingContract: chain.addr.token },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: alice, spender: bob, value: parseEther("40"), nonce, deadline },
    });
    const { v, r, s } = parseSignature(sig);
    await chain.tx(bob, chain.addr.token, cxtTokenAbi, "permit", [alice, bob, parseEther("40"), deadline, Number(v), r, s]);
    expect(await chain.read(chain.addr.token, cxtTokenAbi, "allowance", [alice, bob])).toBe(parseEther("40"));
    const names = cxtTokenAbi.filter((i) => i.type === "function").map((i) => i.name as string);
    expect(names).not.toContain("delegate");
    expect(names).not.toContain("getVotes");
  });
});

describe("deployAll", () => {
  it("wires roles: the ledger is the only minter, the coordinator posts (and never slashes), nobody else", async () => {
    const d = chain.deployment;
    expect(d.roles.coordinator).toBe(admin);
    expect(await chain.read(chain.addr.token, cxtTokenAbi, "minter")).toBe(chain.addr.ledger);
    expect(await chain.read(chain.addr.token, cxtTokenAbi, "totalSupply")).toBe(0n);
    const oracle = await chain.read<`0x${string}`>(chain.addr.ledger, contributionLedgerAbi, "ORACLE_ROLE");
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "hasRole", [oracle, admin])).toBe(true);
    expect(await chain.read(chain.addr.ledger, contributionLedgerAbi, "hasRole", [oracle, alice])).toBe(false);
    for (const name of ["CXTToken", "Staking", "ContributionLedger", "TaskManager", "TimelockController", "CorexGovernor"] as const) {
      expect(d.contracts[name].blockNumber).toBeGreaterThan(0);
    }
  });

  it("role wiring: with a coordinator other than the deployer, every role lands where contracts/README.md says", async () => {
    const [deployer, , , coordinator, resolver, slasher] = chain.accounts;
    for (const handOver of [false, true]) {
      const d = await deployAll({ rpcUrl: chain.anvil.rpcUrl, deploymentsDir: null, coordinator, resolver, slasher, handOver });
      const c = d.contracts;
      const admin = handOver ? c.TimelockController.address : deployer;
      expect(d.roles).toEqual({ admin, coordinator, slasher, resolver, deployer, handedOver: handOver });
      const has = async (address: Address, abi: Abi, roleName: string, who: Address) => {
        const role = roleName === "DEFAULT_ADMIN_ROLE" ? "0x" + "00".repeat(32) : await chain.read<Hex>(address, abi, roleName);
        return chain.read<boolean>(address, abi, "hasRole", [role, who]);
      };
      // [contract, role, the only holder among deployer / coordinator / resolver / ledger / timelock / governor]
      const table: [Address, Abi, string, Address][] = [
        [c.Staking.address, stakingAbi as Abi, "DEFAULT_ADMIN_ROLE", admin],
        [c.Staking.address, stakingAbi as Abi, "SLASHER_ROLE", slasher],
        [c.Staking.address, stakingAbi as Abi, "LEDGER_ROLE", c.ContributionLedger.address],
        [c.ContributionLedger.address, contributionLedgerAbi as Abi, "DEFAULT_ADMIN_ROLE", admin],
        [c.ContributionLedger.address, contributionLedgerAbi as Abi, "ORACLE_ROLE", coordinator],
        [c.ContributionLedger.address, contributionLedgerAbi as Abi, "RESOLVER_ROLE", resolver],
        [c.TaskManager.address, taskManagerAbi as Abi, "DEFAULT_ADMIN_ROLE", admin],
        [c.TaskManager.address, taskManagerAbi as Abi, "COORDINATOR_ROLE", coordinator],
        [c.TimelockController.address, timelockControllerAbi as Abi, "PROPOSER_ROLE", c.CorexGovernor.address],
        [c.TimelockController.address, timelockControllerAbi as Abi, "CANCELLER_ROLE", c.CorexGovernor.address],
      ];
      const candidates = [deployer, coordinator, resolver, slasher, c.ContributionLedger.address, c.TimelockController.address, c.CorexGovernor.address];
      for (const [address, abi, role, holder] of table) {
        for (const who of candidates) {
          expect(await has(address, abi, role, who), `${role} on ${address} for ${who}`).toBe(who === holder);
        }
      }
      // Anyone executes a passed, delayed operation; nobody administers the timelock but itself.
      expect(await has(c.TimelockController.address, timelockControllerAbi as Abi, "EXECUTOR_ROLE", "0x0000000000000000000000000000000000000000")).toBe(true);
      for (const who of candidates.filter((a) => a !== c.TimelockController.address)) {
        expect(await has(c.TimelockController.address, timelockControllerAbi as Abi, "DEFAULT_ADMIN_ROLE", who)).toBe(false);
      }
      expect(await chain.read(c.CXTToken.address, cxtTokenAbi, "minter")).toBe(c.ContributionLedger.address);
      expect(await chain.read(c.CorexGovernor.address, corexGovernorAbi, "timelock")).toBe(c.TimelockController.address);
      expect(await chain.read(c.CorexGovernor.address, corexGovernorAbi, "token")).toBe(c.Staking.address);
    }
  });

  it("the default schedule can never exceed MAX_SUPPLY", async () => {
    const scheduled = await chain.read<bigint>(chain.addr.ledger, contributionLedgerAbi, "scheduledThrough", [1_000_000n]);
    const max = await chain.read<bigint>(chain.addr.token, cxtTokenAbi, "MAX_SUPPLY");
    expect(scheduled).toBeLessThanOrEqual(max);
    // Σ over halvings of (500k CXT >> k) × 730 epochs: just under 730M, the integer halving loses dust.
    let cap = parseEther("500000");
    let sum = 0n;
    for (; cap > 0n; cap >>= 1n) sum += cap * 730n;
    expect(scheduled).toBe(sum);
    expect(sum).toBeLessThan(parseEther("730000000"));
  });

  it("writes the deployment file and deploymentMatchesChain tells a fresh chain from a deployed one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "corex-deploy-"));
    try {
      expect(await deploymentMatchesChain(chain.anvil.rpcUrl, dir)).toBe(false);
      const d: Deployment = await deployAll({ rpcUrl: chain.anvil.rpcUrl, deploymentsDir: dir, unbondingSeconds: 7 });
      const file = JSON.parse(readFileSync(join(dir, "31337.json"), "utf8")) as Deployment;
      expect(file.chainId).toBe(31337);
      expect(file.contracts).toEqual(d.contracts);
      expect(file.config.unbondingSeconds).toBe(7);
      expect(readDeployment(31337, dir)?.contracts.Staking.address).toBe(d.contracts.Staking.address);
      expect(await deploymentMatchesChain(chain.anvil.rpcUrl, dir)).toBe(true);
      // After the chain is reset (snapshot revert) the file no longer matches.
      await snap.revert();
      expect(await deploymentMatchesChain(chain.anvil.rpcUrl, dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
