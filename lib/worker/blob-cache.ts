// Content-addressed caches of weights and shards: a blob's name is the sha-256 of its bytes, so a
// cached copy never goes stale and every fetched or cached copy is checked against its name.

export type BlobCache = { get(sha256: string): Promise<Uint8Array | null>; put(sha256: string, bytes: Uint8Array): Promise<void> };

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Least-recently-used in memory (a tab's weights change every round; shards stay). */
export function memoryBlobCache(maxBytes = 256 * 1024 * 1024): BlobCache {
  const map = new Map<string, Uint8Array>();
  let size = 0;
  return {
    async get(sha) {
      const b = map.get(sha);
      if (!b) return null;
      map.delete(sha);
      map.set(sha, b);
      return b;
    },
    async put(sha, bytes) {
      if (map.has(sha)) return;
      map.set(sha, bytes);
      size += bytes.byteLength;
      for (const [k, v] of map) {
        if (size <= maxBytes) break;
        map.delete(k);
        size -= v.byteLength;
      }
    },
  };
}

/** The browser's Cache API (survives reloads; the browser evicts it under storage pressure). */
export function cacheApiBlobCache(name = "corex-blobs-v1"): BlobCache {
  const key = (sha: string) => `/__corex-blob/${sha}`;
  return {
    async get(sha) {
      const res = await (await caches.open(name)).match(key(sha));
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async put(sha, bytes) {
      await (await caches.open(name)).put(key(sha), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": "application/octet-stream" } }));
    },
  };
}

export class BlobIntegrityError extends Error {
  constructor(sha256: string, got: string) {
    super(`blob ${sha256} arrived with sha-256 ${got}`);
    this.name = "BlobIntegrityError";
  }
}

/** The cached copy, else `fetch` it, check its hash and keep it. */
export async function cachedBlob(cache: BlobCache, sha256: string, fetchBlob: (sha256: string) => Promise<Uint8Array>): Promise<{ bytes: Uint8Array; cached: boolean }> {
  const hit = await cache.get(sha256).catch(() => null);
  if (hit && (await sha256Hex(hit)) === sha256) return { bytes: hit, cached: true };
  const bytes = await fetchBlob(sha256);
  const got = await sha256Hex(bytes);
  if (got !== sha256) throw new BlobIntegrityError(sha256, got);
  await cache.put(sha256, bytes).catch(() => undefined);
  return { bytes, cached: false };
}
