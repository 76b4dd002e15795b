// Web3 Secret Storage (keystore v3) decryption: scrypt from @noble/hashes (Node's OpenSSL refuses the
// standard N = 2^18 as over its memory limit), pbkdf2 and AES-128-CTR from node:crypto: the file
// geth, Foundry (`cast wallet new`) and MetaMask exports write. The MAC (keccak-256) is checked first.
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { scrypt } from "@noble/hashes/scrypt";
import { bytesToHex, concat, hexToBytes, keccak256, type Hex } from "viem";

type Keystore = {
  crypto?: KeystoreCrypto;
  Crypto?: KeystoreCrypto;
};
type KeystoreCrypto = {
  cipher: string;
  ciphertext: string;
  cipherparams: { iv: string };
  kdf: "scrypt" | "pbkdf2";
  kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
  mac: string;
};

const hex = (s: string) => hexToBytes(`0x${s.replace(/^0x/, "")}` as Hex);

export function decryptKeystore(json: string, password: string): Hex {
  const ks = JSON.parse(json) as Keystore;
  const c = ks.crypto ?? ks.Crypto;
  if (!c) throw new Error("not a keystore v3 file (no crypto section)");
  if (c.cipher !== "aes-128-ctr") throw new Error(`unsupported keystore cipher ${c.cipher}`);
  const p = c.kdfparams;
  const salt = hex(p.salt);
  let key: Buffer;
  if (c.kdf === "scrypt") key = Buffer.from(scrypt(password, salt, { N: p.n!, r: p.r!, p: p.p!, dkLen: p.dklen, maxmem: 2 ** 31 }));
  else if (c.kdf === "pbkdf2") key = pbkdf2Sync(password, salt, p.c!, p.dklen, "sha256");
  else throw new Error(`unsupported keystore kdf ${String(c.kdf)}`);
  const ciphertext = hex(c.ciphertext);
  const mac = keccak256(concat([new Uint8Array(key.subarray(16, 32)), ciphertext]));
  if (mac.slice(2).toLowerCase() !== c.mac.replace(/^0x/, "").toLowerCase()) throw new Error("wrong keystore password (MAC mismatch)");
  const decipher = createDecipheriv("aes-128-ctr", key.subarray(0, 16), hex(c.cipherparams.iv));
  const priv = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return bytesToHex(new Uint8Array(priv));
}

/**
 * A key given as 0x-hex, or the path of a file holding one (hex, or keystore v3: its password from
 * `keystorePassword`, else asked on the terminal). The worker's `--key` and `corex --key-file` read keys so.
 */
export async function readKey(arg: string, keystorePassword: string | undefined, what = "--key"): Promise<`0x${string}`> {
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(arg)) return (arg.startsWith("0x") ? arg : `0x${arg}`) as `0x${string}`;
  if (!existsSync(arg)) throw new Error(`${what} is neither a 32-byte hex key nor a file: ${arg}`);
  const text = readFileSync(arg, "utf8").trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return readKey(text, keystorePassword, what);
  if (!text.startsWith("{")) throw new Error(`${arg} holds neither a 32-byte hex key nor a keystore v3 JSON file`);
  let password = keystorePassword;
  if (password === undefined) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    password = await rl.question(`password for ${path.basename(arg)}: `);
    rl.close();
  }
  return decryptKeystore(text, password);
}
