import { describe, expect, it } from "vitest";
import { decodeFloat32 } from "@/lib/protocol";
import { safetensors } from "./safetensors";

describe("safetensors", () => {
  it("8-byte header length, aligned JSON header, per-layer weight and bias tensors", () => {
    const w = Float32Array.from({ length: (2 + 1) * 3 + (3 + 1) * 2 }, (_, i) => i);
    const bytes = safetensors([2, 3, 2], w, { job: "x" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(header["layers.0.weight"]).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(header["layers.0.bias"]).toEqual({ dtype: "F32", shape: [3], data_offsets: [24, 36] });
    expect(header["layers.1.weight"]!.shape).toEqual([3, 2]);
    const data = decodeFloat32(bytes.subarray(8 + n));
    expect(data).toEqual(w);
    // bias of layer 0 is the last row of its (n_in + 1) × n_out block
    expect([...data.subarray(6, 9)]).toEqual([6, 7, 8]);
  });
});
