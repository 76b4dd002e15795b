// Web3 Secret Storage (keystore v3) decryption: scrypt from @noble/hashes (Node's OpenSSL refuses the
// standard N = 2^18 as over its memory limit), pbkdf2 and AES-128-CTR from node:crypto: the file
// geth, Foundry (`cast wallet new`) and MetaMask exports write. The MAC (keccak-256) is checked first.
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
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
