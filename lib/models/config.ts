// A registry model's config: the architecture (exactly what lib/compute runs) plus what a person needs to
// feed it — input column names, class names, the image shape, the normalisation a job trained it with, a
// language model's vocabulary. Uploads send it as JSON; published jobs derive it from their spec. Isomorphic:
// the upload check (server) and the Try it panel (browser) read the same schema.
import { z } from "zod";
import { GPT_LIMITS, gptParameterCount, gptSlices, layerSlices, parameterCount, type GptSpec, type MlpSpec } from "@/lib/compute";

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const label = z.string().max(200);

export const mlpConfigSchema = z
  .object({
    kind: z.literal("mlp").describe("MLP classifier: hidden layers use `activation`, the output is linear + softmax"),
    layers: z.array(int(1, 65_536)).min(2).max(16).describe("[inputs, hidden…, classes]"),
    activation: z.enum(["relu", "tanh"]),
    features: z.array(label).optional().describe("input column names, layers[0] of them (default x0, x1, …)"),
    classes: z.array(label).optional().describe("class names, one per output (default 0, 1, …)"),
    image: z
      .object({ width: int(1, 1024), height: int(1, 1024), maxValue: z.number().positive().default(1).describe("the input value of full ink (the built-in MNIST: 1; raw MNIST: 255)") })
      .strict()
      .optional()
      .describe("the inputs are a width × height grey image, row-major, background 0 (MNIST: 28 × 28)"),
    normalisation: z
      .object({ mean: z.array(z.number()), std: z.array(z.number().positive()) })
      .strict()
      .optional()
      .describe("x' = (x − mean_j) / std_j before the first layer, layers[0] values each (default: none)"),
  })
  .strict()
  .superRefine((c, ctx) => {
    const inputs = c.layers[0]!;
    const outputs = c.layers[c.layers.length - 1]!;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (outputs < 2) issue(["layers", c.layers.length - 1], "a classifier needs at least 2 classes");
    if (c.features && c.features.length !== inputs) issue(["features"], `must name ${inputs} inputs (layers[0]), got ${c.features.length}`);
    if (c.classes && c.classes.length !== outputs) issue(["classes"], `must name ${outputs} classes (the last layer), got ${c.classes.length}`);
    if (c.image && c.image.width * c.image.height !== inputs) issue(["image"], `${c.image.width} × ${c.image.height} pixels is not layers[0] = ${inputs}`);
    for (const k of ["mean", "std"] as const) {
      const n = c.normalisation?.[k].length;
      if (n !== undefined && n !== inputs) issue(["normalisation", k], `must hold ${inputs} values (layers[0]), got ${n}`);
    }
  });

export const gptConfigSchema = z
  .object({
    kind: z.literal("gpt").describe("decoder-only transformer (pre-LayerNorm GPT-2 blocks, LM head tied to wte)"),
    layers: int(GPT_LIMITS.layers.min, GPT_LIMITS.layers.max),
    heads: int(GPT_LIMITS.heads.min, GPT_LIMITS.heads.max),
    dim: int(GPT_LIMITS.dim.min, GPT_LIMITS.dim.max),
    context: int(GPT_LIMITS.context.min, GPT_LIMITS.context.max),
    vocab: int(GPT_LIMITS.vocab.min, GPT_LIMITS.vocab.max),
    tied: z.literal(true).default(true).describe("the LM head is the token embedding (the only option)"),
    vocabulary: z
      .array(z.string().min(1).max(16))
      .describe('the token of each id (characters), vocab of them; entry 0 is the boundary "\\n" that starts and ends a text'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (c.dim % c.heads !== 0) issue(["heads"], `heads must divide dim (${c.dim})`);
    if (c.vocabulary.length !== c.vocab) issue(["vocabulary"], `must hold vocab = ${c.vocab} tokens, got ${c.vocabulary.length}`);
    else if (c.vocabulary[0] !== "\n") issue(["vocabulary", "0"], 'must be the boundary "\\n"');
    else if (new Set(c.vocabulary).size !== c.vocabulary.length) issue(["vocabulary"], "tokens must be distinct");
    // gptParameterCount's formula (lib/compute/gpt/model.ts), which throws above the limit instead of counting.
    const n = c.vocab * c.dim + c.context * c.dim + c.layers * (12 * c.dim * c.dim + 13 * c.dim) + 2 * c.dim;
    if (n > GPT_LIMITS.parameters) issue(["dim"], `the model has ${n} parameters, the limit is ${GPT_LIMITS.parameters}`);
  });

export const modelConfigSchema = z.discriminatedUnion("kind", [mlpConfigSchema, gptConfigSchema]).meta({ id: "ModelConfig" });

export type MlpConfig = z.output<typeof mlpConfigSchema>;
export type GptConfig = z.output<typeof gptConfigSchema>;
export type ModelConfig = z.output<typeof modelConfigSchema>;
export type ModelKind = ModelConfig["kind"];

export const mlpSpecOf = (c: MlpConfig): MlpSpec => ({ layers: c.layers, activation: c.activation });
export const gptSpecOf = (c: Pick<GptConfig, "layers" | "heads" | "dim" | "context" | "vocab">): GptSpec => ({
  kind: "gpt", layers: c.layers, heads: c.heads, dim: c.dim, context: c.context, vocab: c.vocab, tied: true,
});

/** Float32 values of the model's flat weight layout. */
export const parametersOf = (c: ModelConfig): number => (c.kind === "gpt" ? gptParameterCount(gptSpecOf(c)) : parameterCount(mlpSpecOf(c)));

/** One tensor the safetensors file must hold: its name, its F32 shape and where it sits in the flat weights. */
export type ExpectedTensor = { name: string; shape: number[]; offset: number; length: number };

/**
 * The tensors of a config in flat-layout order (what GET /api/jobs/{id}/model writes): an MLP's
 * layers.{l}.weight [n_in, n_out] and layers.{l}.bias [n_out]; a GPT's slices as gptSlices names them,
 * a vector as [n], a matrix as [rows, cols].
 */
export function expectedTensors(c: ModelConfig): ExpectedTensor[] {
  if (c.kind === "gpt") {
    return gptSlices(gptSpecOf(c)).all.map((s) => ({ name: s.name, shape: s.rows === 1 ? [s.cols] : [s.rows, s.cols], offset: s.offset, length: s.length }));
  }
  return layerSlices(mlpSpecOf(c)).flatMap((s, l) => [
    { name: `layers.${l}.weight`, shape: [s.inputs, s.outputs], offset: s.offset, length: s.inputs * s.outputs },
    { name: `layers.${l}.bias`, shape: [s.outputs], offset: s.biasOffset, length: s.outputs },
  ]);
}

/** "MLP 784-128-10 relu", "GPT 2 layers × 64, 4 heads, context 16, 27 tokens". */
export function architectureOf(c: ModelConfig): string {
  return c.kind === "gpt"
    ? `GPT ${c.layers} layer${c.layers === 1 ? "" : "s"} × ${c.dim}, ${c.heads} head${c.heads === 1 ? "" : "s"}, context ${c.context}, ${c.vocab} tokens`
    : `MLP ${c.layers.join("-")} ${c.activation}`;
}

/** What the Try it panel offers: a drawing canvas, a form of the input columns, or text generation. */
export function tryItKind(c: ModelConfig): "canvas" | "tabular" | "text" {
  if (c.kind === "gpt") return "text";
  return c.image ? "canvas" : "tabular";
}
