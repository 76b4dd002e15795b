// The Compute-PoC answer's wire format (POST /api/compute-poc/{id}/answer), shared by the coordinator
// (lib/compute-poc) and the workers (no server-only imports).

/** C as the wire carries it: n² u32, little-endian (independent of the host's byte order). */
export function decodeProduct(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.byteLength >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

export function encodeProduct(c: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(c.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < c.length; i++) view.setUint32(i * 4, c[i]!, true);
  return bytes;
}
