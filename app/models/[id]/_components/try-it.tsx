"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { digitImage, formatBytes, tryItKind, type ModelConfig } from "@/lib/models/client";
import { DigitPad } from "./digit-pad";
import { Probabilities } from "./probabilities";
import type { ClassProbability } from "./probability-chart";
import { TabularForm } from "./tabular-form";
import { TextGenerator, type GenerateRequest } from "./text-generator";
import { useTryItWorker, type WorkerState } from "./use-try-it-worker";

/** Models up to this size load with the page; larger ones wait for a click (a phone on a metered link). */
const AUTO_LOAD_BYTES = 16_000_000;

type Result = { kind: "probabilities"; data: ClassProbability[]; ms: number } | { kind: "text"; prefix: string; text: string; ms: number } | { kind: "error"; message: string } | null;

const backendName: Record<string, string> = { webgpu: "WebGPU", wasm: "WebAssembly SIMD", cpu: "JavaScript" };

function Status({ state, sizeBytes, onLoad }: { state: WorkerState; sizeBytes: number; onLoad: () => void }) {
  return (
    <div role="status" className="text-sm" data-testid="try-it-status" data-phase={state.phase}>
      {state.phase === "idle" ? (
        <Button type="button" onClick={onLoad}>
          Load the model ({formatBytes(sizeBytes)})
        </Button>
      ) : state.phase === "loading" ? (
        <span className="text-muted">Downloading and checking the weights…</span>
      ) : state.phase === "ready" ? (
        <span className="text-muted">
          Running in this browser on <strong className="text-fg">{backendName[state.backend] ?? state.backend}</strong> — nothing you enter is sent anywhere.
        </span>
      ) : (
        <span className="text-danger">Could not load the model: {state.message}</span>
      )}
    </div>
  );
}

/** What the model sees: the drawing cropped, scaled and centred as MNIST's digits were. */
function InputPreview({ image, width, height }: { image: Float32Array | null; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext("2d");
    if (!ctx) return;
    const data = ctx.createImageData(width, height);
    image?.forEach((v, i) => data.data.set([255 - v, 255 - v, 255 - v, 255], i * 4));
    if (!image) data.data.fill(255);
    ctx.putImageData(data, 0, 0);
  }, [image, width, height]);
  return (
    <figure className="text-xs text-muted">
      <canvas ref={ref} width={width} height={height} className="h-16 w-16 rounded border border-line [image-rendering:pixelated]" aria-hidden />
      <figcaption className="mt-1">Model input ({width}×{height})</figcaption>
    </figure>
  );
}

/**
 * Try it: the model runs in a Web Worker in this tab. An image classifier gets a drawing pad, a tabular one
 * a form of its input columns, a language model a prefix with temperature and seed; results stay here.
 */
export function TryIt({ modelId, sha256, sizeBytes, config }: { modelId: string; sha256: string; sizeBytes: number; config: ModelConfig }) {
  const { state, load, ask } = useTryItWorker(modelId, sha256, config);
  const [result, setResult] = useState<Result>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Float32Array | null>(null);
  const kind = tryItKind(config);
  useEffect(() => {
    if (sizeBytes <= AUTO_LOAD_BYTES) void load();
  }, [load, sizeBytes]);

  const run = async (go: () => Promise<Result>) => {
    setBusy(true);
    try {
      setResult(await go());
    } finally {
      setBusy(false);
    }
  };
  const classify = (input: Float32Array) =>
    run(async () => {
      if (config.kind !== "mlp") return null;
      const r = await ask({ type: "classify", input: Array.from(input) });
      if (r.type === "error") return { kind: "error", message: r.message };
      if (r.type !== "probabilities") return null;
      const labels = config.classes ?? r.probabilities.map((_, i) => String(i));
      return { kind: "probabilities", data: r.probabilities.map((p, i) => ({ label: labels[i]!, p })), ms: r.ms };
    });
  const generate = (g: GenerateRequest) =>
    run(async () => {
      const r = await ask({ type: "generate", ...g });
      if (r.type === "error") return { kind: "error", message: r.message };
      return r.type === "text" ? { kind: "text", prefix: g.prefix, text: r.text, ms: r.ms } : null;
    });
  const ready = state.phase === "ready";

  return (
    <div className="space-y-4 rounded border border-line p-4" data-testid="try-it">
      <Status state={state} sizeBytes={sizeBytes} onLoad={() => void load()} />
      <div className="grid gap-6 md:grid-cols-2">
        <div>
          {config.kind === "mlp" && kind === "canvas" && config.image ? (
            <div className="flex flex-wrap items-start gap-4">
              <DigitPad
                onClear={() => {
                  setResult(null);
                  setPreview(null);
                }}
                onDrawn={(ink, size) => {
                  const { width, height, maxValue } = config.image!;
                  const image = digitImage({ ink, width: size, height: size }, width, height);
                  setPreview(image);
                  if (ready) void classify(image.map((v) => (v / 255) * maxValue));
                }}
              />
              <InputPreview image={preview} width={config.image.width} height={config.image.height} />
            </div>
          ) : config.kind === "mlp" ? (
            <TabularForm config={config} disabled={!ready || busy} onSubmit={(v) => void classify(Float32Array.from(v))} />
          ) : (
            <TextGenerator config={config} disabled={!ready || busy} onSubmit={(g) => void generate(g)} />
          )}
        </div>
        <div aria-live="polite">
          {result?.kind === "probabilities" ? (
            <Probabilities data={result.data} ms={result.ms} />
          ) : result?.kind === "text" ? (
            <p className="whitespace-pre-wrap break-all rounded bg-surface p-3 font-mono text-sm" data-testid="generated">
              <span className="text-muted">{result.prefix}</span>
              {result.text}
            </p>
          ) : result?.kind === "error" ? (
            <p className="text-sm text-danger">{result.message}</p>
          ) : (
            <p className="text-sm text-muted">{kind === "canvas" ? "Draw a digit: the class probabilities appear here." : kind === "tabular" ? "Enter a row and press Classify." : "Type a prefix and press Generate."}</p>
          )}
        </div>
      </div>
    </div>
  );
}
