"use client";

import { useRef } from "react";

const SIZE = 280;

/**
 * A square drawing pad (mouse, finger or pen): strokes of ink on a transparent canvas. After each stroke
 * `onDrawn` gets the ink (the alpha channel, 0–255) of the whole pad, so the theme's colours never matter.
 */
export function DigitPad({ onDrawn, onClear }: { onDrawn: (ink: Uint8ClampedArray, size: number) => void; onClear: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);

  // One context for drawing and reading back (the readback after every stroke wants a CPU-side canvas).
  const context = () => canvas.current?.getContext("2d", { willReadFrequently: true }) ?? null;
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  };
  const stroke = (to: { x: number; y: number }) => {
    const ctx = context();
    const from = last.current;
    if (!ctx || !from) return;
    ctx.strokeStyle = getComputedStyle(canvas.current!).color;
    ctx.lineWidth = 20;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last.current = to;
  };
  const end = () => {
    if (!last.current) return;
    last.current = null;
    const ctx = context();
    if (!ctx) return;
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Uint8ClampedArray(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3]!;
    onDrawn(ink, SIZE);
  };
  const clear = () => {
    context()?.clearRect(0, 0, SIZE, SIZE);
    onClear();
  };

  return (
    <div className="space-y-2">
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        role="img"
        aria-label="Drawing pad: draw a digit with the mouse, a finger or a pen"
        data-testid="digit-pad"
        className="block aspect-square w-full max-w-[280px] cursor-crosshair touch-none rounded border border-line-strong bg-surface text-fg"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          last.current = point(e);
          stroke({ ...last.current, x: last.current.x + 0.01 });
        }}
        onPointerMove={(e) => last.current && stroke(point(e))}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <button type="button" onClick={clear} className="rounded border border-line-strong px-3 py-1 text-sm hover:border-accent">
        Clear
      </button>
    </div>
  );
}
