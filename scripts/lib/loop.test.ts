import { describe, expect, it } from "vitest";
import { runLoop } from "./loop";

describe("runLoop", () => {
  it("runs passes until stopped, reports failing passes and goes on", async () => {
    const ac = new AbortController();
    const errors: string[] = [];
    let passes = 0;
    await runLoop(
      async () => {
        passes++;
        if (passes === 2) throw new Error("boom");
        if (passes === 4) ac.abort();
      },
      { intervalMs: 1, signals: [], stop: ac.signal, onError: (e) => errors.push(e.message) },
    );
    expect(passes).toBe(4);
    expect(errors).toEqual(["boom"]);
  });

  it("--once runs a single pass", async () => {
    let passes = 0;
    await runLoop(async () => void passes++, { intervalMs: 60_000, once: true, signals: [], onError: () => {} });
    expect(passes).toBe(1);
  });

  it("a stop cuts the pause short but never the pass", async () => {
    const ac = new AbortController();
    let finished = 0;
    const started = Date.now();
    const loop = runLoop(
      async () => {
        await new Promise((r) => setTimeout(r, 30));
        finished++;
      },
      { intervalMs: 60_000, signals: [], stop: ac.signal, onError: () => {} },
    );
    setTimeout(() => ac.abort(), 5);
    await loop;
    expect(finished).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops on a signal after the current pass and tells which one", async () => {
    const stopped: string[] = [];
    let passes = 0;
    await runLoop(
      async () => {
        passes++;
        process.emit("SIGUSR2");
      },
      { intervalMs: 60_000, signals: ["SIGUSR2"], onStop: (s) => stopped.push(s), onError: () => {} },
    );
    expect(passes).toBe(1);
    expect(stopped).toEqual(["SIGUSR2"]);
    expect(process.listenerCount("SIGUSR2")).toBe(0);
  });
});
