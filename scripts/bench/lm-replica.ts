// `npx tsx --conditions=react-server scripts/bench/lm-replica.ts [key=value …]`: a names job's rounds in one
// process, as the network computes them (createGptJob's windows and shards, fragment seeds, one fresh AdamW
// per fragment on the WASM path, bit-identical to the workers', the outer Nesterov step), for choosing
// bench:quality's names schedule in minutes instead of a full coordinator run. Prints the validation loss
// (nats per character, the coordinator's held-out windows) every `every` rounds and its ratio to the bigram;
// `single=1` adds the single process of bench:quality (R·S·K steps, moments carried), evaluated every `chunk`
// steps. Keys: L H D T (model), lr B R S K olr mom seed, net=0|1, single=0|1, every, chunk.
import { batchIndices, evaluateGptWasm, fragmentSeed, GptWasmTrainer, initGptWeights, outerStep, runGptFragmentWasm, WasmKernels, type GptSpec } from "@/lib/compute";
import { bigramWindowsLoss, createTokenizer, fitBigram, loadBuiltinText, shardWindows, windowsOf } from "@/lib/datasets";
import { MAX_VALIDATION_WINDOWS } from "@/lib/jobs";

const a = Object.fromEntries(process.argv.slice(2).map((x) => x.split("=")).map(([k, v]) => [k, Number(v)]));
const L = a.L ?? 2, H = a.H ?? 4, D = a.D ?? 64, T = a.T ?? 16, lr = a.lr ?? 0.003, B = a.B ?? 32, R = a.R ?? 20, S = a.S ?? 2, K = a.K ?? 50;
const olr = a.olr ?? 0.7, mom = a.mom ?? 0.9, seed = a.seed ?? 42, single = a.single ?? 1, net = a.net ?? 1, every = a.every ?? 0;
const corpus = await loadBuiltinText("names");
const tok = createTokenizer(corpus.vocabulary);
const train = windowsOf(tok.encode(corpus.train), T);
const validation = windowsOf(tok.encode(corpus.validation), T);
const rows = Math.min(validation.rows, MAX_VALIDATION_WINDOWS);
const held = validation.tokens.subarray(0, rows * validation.width);
const spec: GptSpec = { kind: "gpt", layers: L, heads: H, dim: D, context: T, vocab: corpus.vocabulary.length, tied: true };
const bigram = bigramWindowsLoss(fitBigram(tok.encode(corpus.train), spec.vocab), { tokens: held, rows, width: T + 1 });
const tag = `L${L} H${H} D${D} T${T} lr${lr} B${B} R${R} S${S} K${K} olr${olr} mom${mom}`;
const t0 = Date.now();
const log = (s: string) => console.log(`${tag} | ${s} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
log(`bigram ${bigram.toFixed(4)}, goal ≤ ${(0.88 * bigram).toFixed(4)}; train windows ${train.rows}`);
const shards = shardWindows(train, { seed, shards: S });
if (net) {
  let w = initGptWeights(spec, seed);
  let state: { velocity: Float32Array } | undefined;
  for (let r = 0; r < R; r++) {
    const deltas = [];
    for (let s = 0; s < S; s++) deltas.push((await runGptFragmentWasm({ spec, weights: w, shard: { tokens: shards[s]!.tokens }, steps: K, batch: B, lr, seed: fragmentSeed(seed, r, s) })).delta);
    const next = outerStep(w, deltas, { lr: olr, momentum: mom }, state);
    w = next.weights;
    state = next.state;
    if (every ? (r + 1) % every === 0 || r === R - 1 : r === R - 1) {
      const l = (await evaluateGptWasm(spec, w, held)).loss;
      log(`network round ${r} val ${l.toFixed(4)} (${(l / bigram).toFixed(4)}× bigram)`);
    }
  }
}
if (single) {
  const tokens = new Uint32Array(shards.reduce((n, s) => n + s.tokens.length, 0));
  for (let at = 0, i = 0; i < S; at += shards[i]!.tokens.length, i++) tokens.set(shards[i]!.tokens, at);
  const steps = R * S * K;
  const trainer = new GptWasmTrainer(await WasmKernels.create(), spec, B);
  trainer.setShard(tokens);
  trainer.setWeights(initGptWeights(spec, seed));
  const order = batchIndices(seed, tokens.length / (T + 1), steps, B);
  const chunk = a.chunk ?? steps;
  for (let s = 0; s < steps; s += chunk) {
    const n = Math.min(chunk, steps - s);
    trainer.run(order.subarray(s * B, (s + n) * B), lr, s);
    const l = (await evaluateGptWasm(spec, trainer.weights(), held)).loss;
    log(`single step ${s + n} val ${l.toFixed(4)} (${(l / bigram).toFixed(4)}× bigram)`);
  }
}
