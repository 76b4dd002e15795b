"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { MlpConfig } from "@/lib/models/client";

/**
 * One number field per input column, filled with the training data's means (the config's normalisation)
 * so the first Classify shows an average row; `onSubmit` gets the raw values.
 */
export function TabularForm({ config, disabled, onSubmit }: { config: MlpConfig; disabled: boolean; onSubmit: (values: number[]) => void }) {
  const names = config.features ?? Array.from({ length: config.layers[0]! }, (_, i) => `x${i}`);
  const [values, setValues] = useState(() => names.map((_, i) => String(Number((config.normalisation?.mean[i] ?? 0).toPrecision(4)))));
  const bad = values.findIndex((v) => v.trim() === "" || !Number.isFinite(Number(v)));
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (bad < 0) onSubmit(values.map(Number));
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {names.map((name, i) => (
          <label key={i} className="block text-sm">
            <span className="mb-1 block text-muted">{name}</span>
            <Input type="number" step="any" inputMode="decimal" value={values[i]} onChange={(e) => setValues((v) => v.map((x, j) => (j === i ? e.target.value : x)))} />
          </label>
        ))}
      </div>
      {bad >= 0 ? <p className="text-sm text-danger">{names[bad]}: enter a number</p> : null}
      <Button type="submit" disabled={disabled || bad >= 0}>
        Classify
      </Button>
    </form>
  );
}
