// A folder of blobs for the CLI worker (Node only: not exported from lib/worker/index.ts).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BlobCache } from "./blob-cache";

export function fsBlobCache(dir: string): BlobCache {
  const file = (sha: string) => path.join(dir, sha.slice(0, 2), sha);
  return {
    async get(sha) {
      try {
        return new Uint8Array(await readFile(file(sha)));
      } catch {
        return null;
      }
    },
    async put(sha, bytes) {
      const f = file(sha);
      await mkdir(path.dirname(f), { recursive: true });
      const tmp = `${f}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, f);
    },
  };
}
