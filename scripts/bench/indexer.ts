// `npm run bench:indexer`: backfill throughput of the indexer on real anvil + Postgres, against a
// naive per-log indexer, then the lag while following a steady transaction rate.
// Env: BENCH_EVENTS (default 200000), BENCH_TXS (transfers per second while following, default 10),
// DATABASE_URL (server for a fresh scratch database; default the local Postgres).
import { spawn } from "node:child_process";
import { freePort } from "@/scripts/lib/processes";
import { fileURLToPath } from "node:url";
import pg from "pg";
import solc from "solc";
import { createPublicClient, createWalletClient, encodeDeployData, http, maxUint256, type Abi, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cxtTokenAbi, cxtTokenBytecode } from "@/contracts-abi/cxt-token";
import { createPrismaClient } from "@/lib/db";
import { parseDatabaseUrl, withDatabase } from "@/lib/db";
import { runIndexer } from "@/lib/indexer";
import { getIndexerStatus } from "@/lib/indexer";
import { createDecoder } from "@/lib/indexer";
import { createRpc, toHex, type RawLog } from "@/lib/indexer";
import { migrate } from "@/scripts/db/migrate";
import { benchIndexerEnvSchema } from "@/lib/config";
import { parseEnv } from "@/lib/config";

const KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const benchEnv = parseEnv("bench:indexer", benchIndexerEnvSchema);
const N = benchEnv.BENCH_EVENTS;
const PER_TX = 2_000;
const FOLLOW_TPS = benchEnv.BENCH_TXS;
const FOLLOW_SECONDS = 10;

const SPRAY = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
interface IERC20 { function transferFrom(address, address, uint256) external returns (bool); }
contract Spray {
  function spray(IERC20 t, uint256 n, uint256 k, uint256 salt) external {
    for (uint256 i; i < n; ++i) t.transferFrom(msg.sender, address(uint160(0x10000 + (salt + i) % k)), 1);
  }
}`;

function compileSpray(): { abi: Abi; bytecode: Hex } {
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "Spray.sol": { content: SPRAY } },
        settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      }),
    ),
  );
  const c = out.contracts["Spray.sol"].Spray;
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

async function startBenchAnvil() {
  const port = await freePort();
  const bin = fileURLToPath(new URL("../../node_modules/.bin/anvil", import.meta.url));
  const child = spawn(bin, ["--host", "127.0.0.1", "--port", String(port), "--hardfork", "cancun", "--gas-limit", "1000000000", "--silent"], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await createRpc(url).request("eth_chainId", []);
      return { url, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("anvil did not start");
}

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = benchEnv.DATABASE_URL;
  const name = `corex_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: parseDatabaseUrl(server).connectionString });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(server, name);
  await migrate(url);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: parseDatabaseUrl(server).connectionString });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The baseline: one INSERT per log and one balance upsert per side, each its own round trip. */
async function naiveIndex(url: string, rpcUrl: string, token: Address, limit: number): Promise<{ events: number; seconds: number }> {
  const prisma = createPrismaClient(url);
  const rpc = createRpc(rpcUrl);
  const decoder = createDecoder([{ name: "CXTToken", address: token, startBlock: 0, abi: cxtTokenAbi as Abi }]);
  const head = Number(await rpc.request<string>("eth_blockNumber", []));
  const t0 = performance.now();
  let events = 0;
  for (let b = 0; b <= head && events < limit; b++) {
    const logs = await rpc.request<RawLog[]>("eth_getLogs", [{ address: token, fromBlock: toHex(b), toBlock: toHex(b) }]);
    for (const l of logs) {
      if (events >= limit) break;
      const e = decoder.decode(l, new Date(Number(l.blockTimestamp ?? 0) * 1000).toISOString());
      if (!e) continue;
      await prisma.chainEvent.create({
        data: { chainId: 1, blockNumber: BigInt(e.blockNumber), blockHash: e.blockHash, txHash: e.txHash, logIndex: e.logIndex, address: e.address, contract: e.contract, eventName: e.eventName, args: {}, timestamp: new Date(e.timestamp) },
      });
      if (e.eventName === "Transfer") {
        for (const [account, delta] of [[String(e.args.to).toLowerCase(), 1n], [String(e.args.from).toLowerCase(), -1n]] as const) {
          await prisma.$executeRawUnsafe(
            `INSERT INTO token_balances (chain_id, token, account, balance, updated_block) VALUES (1, $1, $2, $3::numeric, $4::bigint)
             ON CONFLICT (chain_id, token, account) DO UPDATE SET balance = token_balances.balance + EXCLUDED.balance, updated_block = EXCLUDED.updated_block`,
            e.address,
            account,
            String(delta * BigInt(e.args.value as bigint)),
            e.blockNumber,
          );
        }
      }
      events++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await prisma.$disconnect();
  return { events, seconds };
}

async function main() {
  const anvil = await startBenchAnvil();
  const db = await scratchDatabase();
  const baselineDb = await scratchDatabase();
  try {
    const account = privateKeyToAccount(KEY);
    const publicClient = createPublicClient({ transport: http(anvil.url), cacheTime: 0, pollingInterval: 20 });
    const wallet = createWalletClient({ account, transport: http(anvil.url), pollingInterval: 20 });
    const send = async (p: Parameters<typeof wallet.sendTransaction>[0]) => {
      const hash = await wallet.sendTransaction({ ...p, chain: null } as never);
      const r = await publicClient.waitForTransactionReceipt({ hash });
      if (r.status !== "success") throw new Error("tx reverted");
      return r;
    };
    // Token with the bench account as minter, and a helper that makes PER_TX transfers per transaction.
    const tokenR = await send({ data: encodeDeployData({ abi: cxtTokenAbi, bytecode: cxtTokenBytecode, args: [account.address] }), gas: 10_000_000n } as never);
    const token = tokenR.contractAddress!;
    const call = (to: Address, abi: Abi, functionName: string, args: unknown[], gas = 5_000_000n) =>
      wallet.writeContract({ address: to, abi, functionName, args, gas, chain: null } as never).then((hash) => publicClient.waitForTransactionReceipt({ hash }));
    await call(token, cxtTokenAbi as Abi, "mint", [account.address, 10n ** 27n]);
    const spray = compileSpray();
    const sprayAddr = (await send({ data: spray.bytecode, gas: 5_000_000n } as never)).contractAddress!;
    await call(token, cxtTokenAbi as Abi, "approve", [sprayAddr, maxUint256]);

    const tGen = performance.now();
    let made = 0;
    while (made < N) {
      const n = Math.min(PER_TX, N - made);
      await call(sprayAddr, spray.abi, "spray", [token, BigInt(n), 1000n, BigInt(made)], 200_000_000n);
      made += n;
    }
    // A backfill reads history: put the generated blocks below the finality depth (64) of the head.
    await publicClient.request({ method: "anvil_mine", params: ["0x64"] } as never);
    const head = Number(await publicClient.getBlockNumber());
    console.log(`generated ${made} Transfer events in ${((performance.now() - tGen) / 1000).toFixed(1)} s (${head} blocks)`);

    const contracts = [{ name: "CXTToken" as const, address: token, startBlock: Number(tokenR.blockNumber) }];
    const prisma = createPrismaClient(db.url);
    const t0 = performance.now();
    await runIndexer({ prisma, rpcUrl: anvil.url, chainId: 31337, contracts, stopAtHead: true, log: () => {} });
    const seconds = (performance.now() - t0) / 1000;
    const status = await getIndexerStatus(prisma, 31337);
    const rate = status.eventsIndexed / seconds;
    console.log(`indexer backfill: ${status.eventsIndexed} events in ${seconds.toFixed(2)} s = ${Math.round(rate)} events/s`);

    const sample = Math.min(5_000, N);
    const naive = await naiveIndex(baselineDb.url, anvil.url, token, sample);
    const naiveRate = naive.events / naive.seconds;
    console.log(`baseline: naive per-log insert: ${naive.events} events in ${naive.seconds.toFixed(2)} s = ${Math.round(naiveRate)} events/s`);
    console.log(`speed-up: ${(rate / naiveRate).toFixed(1)}x`);

    // Following: FOLLOW_TPS transactions per second of 20 transfers each, lag sampled every 250 ms.
    const ac = new AbortController();
    const following = runIndexer({ prisma, rpcUrl: anvil.url, chainId: 31337, contracts, pollIntervalMs: 100, signal: ac.signal, log: () => {} });
    const lags: number[] = [];
    const sampler = setInterval(async () => {
      const h = Number(await publicClient.getBlockNumber());
      const s = await getIndexerStatus(prisma, 31337);
      lags.push(h - (s.checkpoint ?? 0));
    }, 250);
    const tEnd = Date.now() + FOLLOW_SECONDS * 1000;
    let sent = 0;
    while (Date.now() < tEnd) {
      const tick = Date.now();
      await call(sprayAddr, spray.abi, "spray", [token, 20n, 1000n, BigInt(N + sent * 20)], 5_000_000n);
      sent++;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / FOLLOW_TPS - (Date.now() - tick))));
    }
    const finalHead = Number(await publicClient.getBlockNumber());
    for (let i = 0; i < 100 && (await getIndexerStatus(prisma, 31337)).checkpoint! < finalHead; i++) await new Promise((r) => setTimeout(r, 20));
    clearInterval(sampler);
    ac.abort();
    await following;
    const avg = lags.reduce((a, b) => a + b, 0) / Math.max(1, lags.length);
    console.log(
      `following ${sent} tx (${sent * 20} events) at ${FOLLOW_TPS} tx/s for ${FOLLOW_SECONDS} s: lag avg ${avg.toFixed(2)} blocks, max ${Math.max(...lags)} blocks (poll 100 ms), final lag ${finalHead - (await getIndexerStatus(prisma, 31337)).checkpoint!}`,
    );
    await prisma.$disconnect();
  } finally {
    anvil.stop();
    await db.drop();
    await baselineDb.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
