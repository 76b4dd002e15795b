import { describe, expect, it } from "vitest";
import { parseModelArg } from "./model-spec";

describe("corex jobs create --model", () => {
  it("reads the MLP shorthand, the GPT shorthand and JSON", () => {
    expect(parseModelArg("64,32")).toEqual({ kind: "mlp", hidden: [64, 32] });
    expect(parseModelArg("mlp:8:tanh")).toEqual({ kind: "mlp", hidden: [8], activation: "tanh" });
    expect(parseModelArg("mlp::relu")).toEqual({ kind: "mlp", activation: "relu" });
    expect(parseModelArg("gpt:layers=1,heads=2,dim=8,context=6")).toEqual({ kind: "gpt", layers: 1, heads: 2, dim: 8, context: 6 });
    expect(parseModelArg(' {"hidden":[4],"activation":"tanh"} ')).toEqual({ hidden: [4], activation: "tanh" });
  });

  it("refuses what it cannot read, naming it", () => {
    expect(() => parseModelArg("mlp:8:sigmoid")).toThrow(/--model "mlp:8:sigmoid" is neither/);
    expect(() => parseModelArg("gpt:layers=1,width=3")).toThrow(/"width=3" is not/);
    expect(() => parseModelArg("{nope")).toThrow(/not valid JSON/);
    expect(() => parseModelArg("")).toThrow(/is neither/);
  });
});
