import { describe, expect, it } from "vitest";
import { appEnvSchema } from "./app";
import { ConfigError, parseEnv } from "./define";
import { devEnvSchema } from "./dev";
import { epochsEnvSchema } from "./epochs";
import { indexerEnvSchema } from "./indexer";

const app = { DATABASE_URL: "postgres://h/db", RPC_URL: "http://127.0.0.1:8545" };

describe("parseEnv", () => {
  it("names every bad variable and the process", () => {
    const err = (() => {
      try {
        parseEnv("server", appEnvSchema, { ...app, ADMIN_ADDRESSES: "0x1", SESSION_TTL_SECONDS: "5" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toMatch(/^Invalid server environment:\n  ADMIN_ADDRESSES\.0: must be a 0x-prefixed 20-byte address\n  SESSION_TTL_SECONDS: /);
    expect(err!.issues.map((i) => i.variable)).toEqual(["ADMIN_ADDRESSES.0", "SESSION_TTL_SECONDS"]);
  });

  it("keeps the defaults the processes had before the schemas", () => {
    const a = parseEnv("server", appEnvSchema, app);
    expect(a).toMatchObject({ CHAIN_ID: 31337, SESSION_TTL_SECONDS: 604_800, MAX_UPLOAD_BYTES: 52_428_800, BLOB_STORE: "fs", BLOB_DIR: ".data/blobs", ADMIN_ADDRESSES: [], ADMIN_SAMPLE_SECONDS: 60 });
    expect(parseEnv("epochs", epochsEnvSchema, app)).toMatchObject({ EPOCH_SECONDS: 300, EPOCH_RELAYER: false, EPOCH_POLL_MS: 5_000, EPOCH_DEV_MINE: false });
    expect(parseEnv("indexer", indexerEnvSchema, {})).toMatchObject({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres", RPC_URL: "http://127.0.0.1:8545", CHAIN_ID: 31337 });
    const dev = parseEnv("dev", devEnvSchema, {});
    expect(dev).toMatchObject({ PORT: 3000, ANVIL_PORT: 8545, EMBEDDED_DB_PORT: 5433, DATA_DIR: ".data", DEV_WORKERS: 2, DEV_SEED: true, DEV_DEMO_JOB: "full", DEV_AUTO_DEPLOY: false });
    // Unset, dev derives these (the RPC's chain id, $DATA_DIR/blobs): no schema default may fill them in.
    expect([dev.CHAIN_ID, dev.BLOB_DIR, dev.APP_ORIGIN, dev.DEPLOYMENTS_DIR]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("reads an empty value as unset where the scripts did", () => {
    const dev = parseEnv("dev", devEnvSchema, { DATABASE_URL: "", RPC_URL: "", ANVIL_BLOCK_TIME: "", DEPLOYMENTS_DIR: "" });
    expect([dev.DATABASE_URL, dev.RPC_URL, dev.ANVIL_BLOCK_TIME, dev.DEPLOYMENTS_DIR]).toEqual([undefined, undefined, undefined, undefined]);
    expect(parseEnv("indexer", indexerEnvSchema, { INDEXER_CONCURRENCY: "" }).INDEXER_CONCURRENCY).toBeUndefined();
  });

  it("requires a bucket for the S3 blob store", () => {
    expect(() => parseEnv("server", appEnvSchema, { ...app, BLOB_STORE: "s3" })).toThrow(/S3_BUCKET: required when BLOB_STORE=s3/);
  });

  it("refuses more dev workers than demo nodes", () => {
    expect(() => parseEnv("dev", devEnvSchema, { DEV_WORKERS: "4" })).toThrow(/DEV_WORKERS/);
  });
});
