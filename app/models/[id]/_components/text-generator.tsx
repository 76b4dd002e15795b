"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { GptConfig } from "@/lib/models/client";

export type GenerateRequest = { prefix: string; temperature: number; seed: number; maxTokens: number };

/** A prefix, temperature, seed and length; the same four give the same text (the draw is seeded). */
export function TextGenerator({ config, disabled, onSubmit }: { config: GptConfig; disabled: boolean; onSubmit: (r: GenerateRequest) => void }) {
  const [prefix, setPrefix] = useState("");
  const [temperature, setTemperature] = useState("0.8");
  const [seed, setSeed] = useState("1");
  const [maxTokens, setMaxTokens] = useState(String(Math.max(32, config.context)));
  const t = Number(temperature);
  const s = Number(seed);
  const n = Number(maxTokens);
  const problem =
    !(t >= 0 && t <= 5) ? "Temperature must be between 0 and 5." : !(Number.isInteger(s) && s >= 0 && s <= 4294967295) ? "The seed must be a whole number from 0 to 4294967295." : !(Number.isInteger(n) && n >= 1 && n <= 500) ? "Length must be 1 to 500 characters." : null;
  const shown = config.vocabulary.slice(1).map((c) => (c === " " ? "␠" : c)).join("");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) onSubmit({ prefix, temperature: t, seed: s, maxTokens: n });
      }}
    >
      <label className="block text-sm">
        <span className="mb-1 block text-muted">Prefix (may be empty)</span>
        <Input value={prefix} onChange={(e) => setPrefix(e.target.value)} autoComplete="off" spellCheck={false} className="font-mono" />
      </label>
      <p className="break-all text-xs text-muted">
        Vocabulary: <span className="font-mono">{shown}</span>
      </p>
      <div className="grid grid-cols-3 gap-3">
        <label className="block text-sm">
          <span className="mb-1 block text-muted">Temperature</span>
          <Input type="number" min={0} max={5} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
        </label>
        <label className="block text-sm">
          <span className="mb-1 block text-muted">Seed</span>
          <Input type="number" min={0} step={1} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        <label className="block text-sm">
          <span className="mb-1 block text-muted">Length</span>
          <Input type="number" min={1} max={500} step={1} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
        </label>
      </div>
      {problem ? <p className="text-sm text-danger">{problem}</p> : null}
      <Button type="submit" disabled={disabled || problem !== null}>
        Generate
      </Button>
    </form>
  );
}
