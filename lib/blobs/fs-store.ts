import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { assertSha, checkedHash, type BlobStore } from "./store";

/** `<dir>/ab/cd/<sha256>`: two fan-out levels keep directories small. Writes are temp + rename (atomic). */
export function fsBlobStore(dir: string): BlobStore {
  const file = (sha: string) => {
    assertSha(sha);
    return path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  const exists = async (p: string) => stat(p).then(() => true, () => false);
  return {
    kind: "fs",
    async put(bytes, expected) {
      const sha256 = checkedHash(bytes, expected);
      const target = file(sha256);
      if (!(await exists(target))) {
        await mkdir(path.dirname(target), { recursive: true });
        const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, target);
      }
      return { sha256, size: bytes.byteLength };
    },
    async get(sha) {
      try {
        return new Uint8Array(await readFile(file(sha)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    has: (sha) => exists(file(sha)),
    async delete(sha) {
      await rm(file(sha), { force: true });
    },
  };
}
