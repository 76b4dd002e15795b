// `corex jobs create --model`: the model as JSON (the API's `model` field) or a shorthand:
// `64,32` / `mlp:64,32:tanh` (an MLP's hidden layers and activation), `gpt:layers=2,heads=4,dim=32,context=16`.

export type ModelArg = Record<string, unknown>;

export function parseModelArg(text: string): ModelArg {
  const t = text.trim();
  if (t.startsWith("{")) {
    try {
      return JSON.parse(t) as ModelArg;
    } catch (e) {
      throw new Error(`--model is not valid JSON: ${(e as Error).message}`);
    }
  }
  const gpt = /^gpt:(.+)$/.exec(t);
  if (gpt) {
    const out: ModelArg = { kind: "gpt" };
    for (const part of gpt[1]!.split(",")) {
      const m = /^(layers|heads|dim|context)=([1-9][0-9]*)$/.exec(part.trim());
      if (!m) throw new Error(`--model gpt: "${part}" is not layers=N, heads=N, dim=N or context=N`);
      out[m[1]!] = Number(m[2]);
    }
    return out;
  }
  const mlp = /^(?:mlp:)?([0-9]+(?:,[0-9]+)*)?(?::(relu|tanh))?$/.exec(t);
  if (!mlp || (!mlp[1] && !mlp[2])) throw new Error(`--model "${text}" is neither JSON, "mlp:<hidden,…>[:relu|tanh]" nor "gpt:layers=…,heads=…,dim=…,context=…"`);
  return { kind: "mlp", ...(mlp[1] ? { hidden: mlp[1].split(",").map(Number) } : {}), ...(mlp[2] ? { activation: mlp[2] } : {}) };
}
