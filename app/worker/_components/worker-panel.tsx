"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { useAccount, useSignTypedData } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useSession } from "@/components/auth-provider";
import { apiFetch } from "@/lib/auth/client";
import { delegationDomain, delegationTypes, MAX_DELEGATION_SECONDS } from "@/lib/auth/client";
import type { ResultStatusList } from "@/lib/protocol";
import type { WorkerSnapshot } from "@/lib/worker/client";
import { formatCxtWithUnit, formatFlops } from "@/lib/format/client";
import RegisterNodeForm from "../../nodes/_components/register-node-form";
import { sessionEstimate, type RewardRate } from "./session-estimate";
import type { WorkerCommand } from "./worker.worker";

export type NodeOption = { nodeId: string; owner: string; kind: string; active: boolean };

type StoredKey = { key: `0x${string}`; expiresAt: number };
const storageKey = (chainId: number, nodeId: string) => `corex-worker-key:${chainId}:${nodeId}`;

function loadKey(chainId: number, nodeId: string): StoredKey | null {
  try {
    const k = JSON.parse(localStorage.getItem(storageKey(chainId, nodeId)) ?? "null") as StoredKey | null;
    return k && k.expiresAt > Date.now() / 1000 + 300 ? k : null;
  } catch {
    return null;
  }
}

const button = "rounded-xl bg-accent-solid px-3 py-2 text-sm font-bold text-on-accent disabled:opacity-50";
const secondary = "rounded-xl border border-line px-3 py-2 text-sm font-semibold disabled:opacity-50";


function Steps({ at }: { at: 1 | 2 | 3 }) {
  const steps = ["Register a browser node", "Delegate a session key", "Start computing"];
  return (
    <ol className="flex flex-wrap gap-x-6 gap-y-1 text-sm" aria-label="Steps">
      {steps.map((label, i) => (
        <li key={label} aria-current={i + 1 === at ? "step" : undefined} className={i + 1 === at ? "font-semibold text-fg" : i + 1 < at ? "text-ok" : "text-muted"}>
          {i + 1 < at ? "✓" : `${i + 1}.`} {label}
        </li>
      ))}
    </ol>
  );
}

/** Step 1 on this page: register a browser node, then wait for the mirror to list it (the page re-renders). */
function RegisterStep({ address, staking }: { address: string; staking: Address | undefined }) {
  const router = useRouter();
  const [registered, setRegistered] = useState<bigint | null>(null);
  useEffect(() => {
    if (registered === null) return;
    const id = window.setInterval(() => router.refresh(), 1_000);
    return () => window.clearInterval(id);
  }, [registered, router]);
  return (
    <section className="space-y-3 rounded-2xl border border-line bg-surface p-4">
      <Steps at={1} />
      <p className="text-sm">
        <span className="font-mono break-all">{address}</span> owns no node yet. A node is what the network credits: register this browser as one
        (a transaction; no stake needed to start).
      </p>
      {registered !== null ? (
        <p role="status" className="text-sm">Registered node #{registered.toString()}. Waiting for the indexer to list it…</p>
      ) : staking ? (
        <RegisterNodeForm staking={staking} defaultKind="3" onRegistered={setRegistered} />
      ) : (
        <p className="text-sm text-muted">No Staking contract is deployed on this chain.</p>
      )}
    </section>
  );
}

/** Connect, register a node (step 1), delegate a session key once, pick the node, then Start / Pause / Resume / Stop. */
export function WorkerPanel({ nodes, chainId, staking, rate }: { nodes: NodeOption[]; chainId: number; staking?: Address; rate: RewardRate }) {
  const { address, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const { signTypedDataAsync } = useSignTypedData();
  const mine = nodes.filter((n) => address && n.owner.toLowerCase() === address.toLowerCase());
  const [nodeId, setNodeId] = useState<string>("");
  const selected = nodeId || mine[0]?.nodeId || "";
  const [key, setKey] = useState<StoredKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    queueMicrotask(() => setKey(selected ? loadKey(chainId, selected) : null));
  }, [chainId, selected]);

  async function delegate() {
    setBusy(true);
    setProblem(null);
    try {
      const fresh = generatePrivateKey();
      const sessionKey = privateKeyToAccount(fresh).address;
      const expiresAt = Math.floor(Date.now() / 1000) + MAX_DELEGATION_SECONDS - 60;
      const signature = await signTypedDataAsync({
        domain: delegationDomain(chainId), types: delegationTypes, primaryType: "SessionKeyDelegation",
        message: { sessionKey, nodeId: BigInt(selected), expiresAt: BigInt(expiresAt) },
      });
      await apiFetch("/api/auth/session-keys", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionKey, nodeId: selected, expiresAt, signature }) });
      const stored = { key: fresh, expiresAt };
      localStorage.setItem(storageKey(chainId, selected), JSON.stringify(stored));
      setKey(stored);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!isConnected) {
    return (
      <section className="rounded-2xl border border-line bg-surface p-4">
        <p className="mb-3">Connect your wallet and sign in once to donate this tab&apos;s compute to a node you own.</p>
        <button type="button" className={button} onClick={() => openConnectModal?.()}>Connect wallet</button>
      </section>
    );
  }
  if (status !== "authenticated") return <p className="text-muted">Sign in with your wallet (the Connect button signs you in) to continue.</p>;
  if (mine.length === 0) return <RegisterStep address={address ?? ""} staking={staking} />;
  return (
    <section className="space-y-4">
      <Steps at={key ? 3 : 2} />
      <div className="flex flex-wrap items-end gap-3 rounded-2xl border border-line bg-surface p-4">
        <label className="flex flex-col text-sm">
          <span className="text-muted">Node</span>
          <select className="rounded-lg border border-line bg-bg px-2 py-1.5" value={selected} onChange={(e) => setNodeId(e.target.value)}>
            {mine.map((n) => (
              <option key={n.nodeId} value={n.nodeId}>#{n.nodeId} · {n.kind}{n.active ? "" : " (inactive)"}</option>
            ))}
          </select>
        </label>
        {key ? (
          <p className="text-sm text-muted">Session key {privateKeyToAccount(key.key).address.slice(0, 10)}… signs results until {new Date(key.expiresAt * 1000).toLocaleString()}.</p>
        ) : (
          <button type="button" className={button} disabled={busy} onClick={delegate}>Delegate a session key (one signature)</button>
        )}
        {problem ? <p role="alert" className="w-full text-sm text-danger">{problem}</p> : null}
      </div>
      {key ? <WorkerControls key={`${selected}:${key.key}`} nodeId={selected} chainId={chainId} sessionKey={key.key} rate={rate} /> : null}
    </section>
  );
}

type Msg = { type: "snapshot"; snap: WorkerSnapshot; auth: string } | { type: "stopped"; snap: WorkerSnapshot } | { type: "poc"; ok: boolean; opsPerSecond?: number; n?: number; message?: string };

/**
 * The Web Worker that runs fragments: started on demand, its snapshots mirrored into state, and its
 * lease given back when the tab closes or the panel unmounts.
 */
function useWorkerThread({ nodeId, chainId, sessionKey, throttle, cpuOnly }: { nodeId: string; chainId: number; sessionKey: `0x${string}`; throttle: number; cpuOnly: boolean }) {
  const worker = useRef<Worker | null>(null);
  const last = useRef<{ snap: WorkerSnapshot | null; auth: string }>({ snap: null, auth: "" });
  const [snap, setSnap] = useState<WorkerSnapshot | null>(null);
  const [poc, setPoc] = useState<string | null>(null);
  const send = (c: WorkerCommand) => worker.current?.postMessage(c);

  const start = useCallback(() => {
    if (worker.current) return;
    const w = new Worker(new URL("./worker.worker.ts", import.meta.url), { type: "module", name: "corex-worker" });
    w.onmessage = (ev: MessageEvent<Msg>) => {
      const m = ev.data;
      if (m.type === "snapshot") {
        last.current = { snap: m.snap, auth: m.auth || last.current.auth };
        setSnap(m.snap);
      } else if (m.type === "stopped") {
        setSnap(m.snap);
        w.terminate();
        worker.current = null;
      } else {
        setPoc(m.ok ? `Compute-PoC passed: ${((m.opsPerSecond ?? 0) / 1e9).toFixed(2)} Gop/s (n = ${m.n})` : `Compute-PoC: ${m.message}`);
      }
    };
    worker.current = w;
    w.postMessage({ type: "start", api: window.location.origin, key: sessionKey, nodeId, chainId, throttle: throttle / 100, prefer: cpuOnly ? "wasm" : "auto" } satisfies WorkerCommand);
  }, [chainId, cpuOnly, nodeId, sessionKey, throttle]);

  // Closing or leaving the tab gives the current lease back (keepalive outlives the page).
  useEffect(() => {
    const onHide = () => {
      const slot = last.current.snap?.current?.slotId;
      if (slot && last.current.auth) {
        void fetch(`/api/fragments/${slot}/abandon`, { method: "POST", keepalive: true, headers: { "content-type": "application/json", "x-corex-worker": last.current.auth }, body: JSON.stringify({ nodeId }) }).catch(() => undefined);
      }
      worker.current?.terminate();
      worker.current = null;
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      onHide();
    };
  }, [nodeId]);

  return { snap, poc, start, send };
}

type Verdict = "pending" | "accepted" | "rejected";

/**
 * The submitted results' statuses as the server has them now: a receipt says `pending` until
 * verification settles it (another owner's replica or the reference), so the tab asks again every
 * 5 s for those still pending. Counts of accepted / pending / rejected, all from the server.
 */
function useVerdicts(results: WorkerSnapshot["results"] | undefined) {
  const [known, setKnown] = useState<Record<string, Verdict>>({});
  const list = results ?? [];
  const verdict = (r: WorkerSnapshot["results"][number]): Verdict => known[r.resultId] ?? r.status;
  const open = list.filter((r) => verdict(r) === "pending").map((r) => r.resultId);
  const openKey = open.slice(-200).join(",");
  useEffect(() => {
    if (!openKey) return;
    let stop = false;
    const poll = async () => {
      try {
        const { results: now } = await apiFetch<ResultStatusList>(`/api/fragments/results?ids=${openKey}`, { cache: "no-store" });
        if (!stop) setKnown((k) => ({ ...k, ...Object.fromEntries(now.map((r) => [r.resultId, r.status])) }));
      } catch {
        // The next poll tries again; the counters keep what they knew.
      }
    };
    const first = window.setTimeout(poll, 1_000);
    const id = window.setInterval(poll, 5_000);
    return () => {
      stop = true;
      window.clearTimeout(first);
      window.clearInterval(id);
    };
  }, [openKey]);
  const count = (v: Verdict) => list.filter((r) => verdict(r) === v).length;
  return { accepted: count("accepted"), pending: count("pending"), rejected: count("rejected") };
}

function WorkerControls({ nodeId, chainId, sessionKey, rate }: { nodeId: string; chainId: number; sessionKey: `0x${string}`; rate: RewardRate }) {
  const [throttle, setThrottle] = useState(100);
  const [cpuOnly, setCpuOnly] = useState(false);
  const { snap, poc, start, send } = useWorkerThread({ nodeId, chainId, sessionKey, throttle, cpuOnly });
  const verdicts = useVerdicts(snap?.results);

  const running = snap !== null && snap.state !== "stopped";
  const paused = snap?.state === "paused";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 rounded-2xl border border-line bg-surface p-4">
        {!running ? (
          <button type="button" className={button} onClick={start}>Start</button>
        ) : paused ? (
          <button type="button" className={button} onClick={() => send({ type: "resume" })}>Resume</button>
        ) : (
          <button type="button" className={button} onClick={() => send({ type: "pause" })}>Pause</button>
        )}
        <button type="button" className={secondary} disabled={!running} onClick={() => send({ type: "stop" })}>Stop</button>
        <label className="flex items-center gap-2 text-sm">
          <span>Throttle</span>
          <input type="range" min={5} max={100} step={5} value={throttle} aria-label="Share of time computing"
            onChange={(e) => {
              setThrottle(Number(e.target.value));
              send({ type: "throttle", share: Number(e.target.value) / 100 });
            }} />
          <span className="tabular-nums">{throttle}% of the time computing</span>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={cpuOnly} disabled={running} onChange={(e) => setCpuOnly(e.target.checked)} />
          CPU only (WebAssembly)
        </label>
      </div>
      <WorkerStats snap={snap} verdicts={verdicts} rate={rate} />
      {snap?.device.note ? <p className="text-sm text-warn" role="status">{snap.device.note}</p> : null}
      {poc ? <p className="text-sm text-muted">{poc}</p> : null}
      <FragmentProgress current={snap?.current} snap={snap} />
      {snap && snap.errors.some((e) => e.benign) ? <WorkerNotes notes={snap.errors.filter((e) => e.benign)} /> : null}
      {snap && snap.errors.some((e) => !e.benign) ? <WorkerErrors errors={snap.errors.filter((e) => !e.benign)} /> : null}
    </div>
  );
}

function WorkerStats({ snap, verdicts, rate }: { snap: WorkerSnapshot | null; verdicts: ReturnType<typeof useVerdicts>; rate: RewardRate }) {
  const estimate = sessionEstimate(snap?.flopsDone ?? 0, snap?.fragmentsDone ?? 0, verdicts.accepted, rate);
  return (
    <dl className="grid grid-cols-2 gap-3 rounded-2xl border border-line bg-surface p-4 text-sm sm:grid-cols-3" data-testid="worker-stats">
      <Stat label="State" value={snap?.state ?? "idle"} testId="worker-state" />
      <Stat label="Device" value={snap ? `${snap.device.backend === "webgpu" ? "WebGPU" : "CPU"} · ${snap.device.adapter}${snap.device.fallback && snap.device.backend === "webgpu" ? " (fallback adapter)" : ""}` : "—"} />
      <Stat label="Fragments submitted / accepted" value={snap ? `${snap.fragmentsDone} / ${verdicts.accepted}` : "0 / 0"} testId="worker-done" />
      <Stat label="Accepted by the network" value={String(verdicts.accepted)} testId="worker-accepted" />
      <Stat label="Pending verification" value={String(verdicts.pending)} testId="worker-pending" />
      <Stat label="Rejected" value={String(verdicts.rejected)} testId="worker-rejected" />
      <Stat label="Throughput" value={snap?.lastGflops != null ? `${snap.lastGflops.toFixed(2)} GFLOP/s` : "—"} />
      <Stat label="Work submitted this session" value={formatFlops(BigInt(Math.floor(snap?.flopsDone ?? 0)))} testId="worker-work" />
      <Stat
        label={rate ? `Estimated CXT earned this session (at epoch ${rate.epoch}'s rate)` : "Estimated CXT earned this session"}
        value={estimate === null ? "— (no epoch yet)" : `≈ ${formatCxtWithUnit(estimate, 4)}`}
        testId="worker-earned"
      />
      <Stat label="Dropped / abandoned" value={snap ? `${snap.fragmentsDropped} / ${snap.fragmentsAbandoned}` : "0 / 0"} />
      <Stat label="Last loss" value={snap?.lastLoss != null ? snap.lastLoss.toFixed(4) : "—"} />
    </dl>
  );
}

/** Seconds until `at`, ticking (the clock is read in effects, never during render). */
function RetryIn({ at }: { at: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = window.setTimeout(tick, 0);
    const id = window.setInterval(tick, 500);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(id);
    };
  }, []);
  return <span className="tabular-nums">{now === null ? "a moment" : `${Math.max(1, Math.ceil((at - now) / 1000))} s`}</span>;
}

function FragmentProgress({ current: c, snap }: { current: WorkerSnapshot["current"] | undefined; snap: WorkerSnapshot | null }) {
  const idleLine = snap?.state === "waiting" && snap.retryAt !== undefined ? <>No work available — retrying in <RetryIn at={snap.retryAt} /></> : "No fragment in hand";
  const pct = c ? Math.round((100 * c.step) / c.steps) : 0;
  return (
    <div className="rounded-2xl border border-line bg-surface p-4">
      <p className="mb-2 text-sm">{c ? `Round ${c.round}, shard ${c.shard}: step ${c.step} of ${c.steps}` : idleLine}</p>
      <div role="progressbar" aria-label="Current fragment" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-3 overflow-hidden rounded-full border border-line bg-bg">
        <div className="h-full bg-accent-solid transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function WorkerErrors({ errors }: { errors: WorkerSnapshot["errors"] }) {
  return (
    <section className="rounded-2xl border border-danger-line bg-danger-bg p-4 text-sm">
      <h2 className="mb-2 font-semibold">Errors and retries</h2>
      <ul className="space-y-1">
        {errors.slice(-5).reverse().map((e) => (
          <li key={`${e.at}-${e.during}-${e.attempt}`}>
            {new Date(e.at).toLocaleTimeString()} · {e.during}: {e.message}
            {e.retryInMs !== null ? ` — retry ${e.attempt} in ${(e.retryInMs / 1000).toFixed(1)} s` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Expected races (another replica settled the fragment first): grey notes, not red errors. */
function WorkerNotes({ notes }: { notes: WorkerSnapshot["errors"] }) {
  return (
    <section className="rounded-2xl border border-line bg-surface p-4 text-sm text-muted" data-testid="worker-notes">
      <h2 className="mb-2 font-semibold">Skipped results</h2>
      <p className="mb-2">Another replica settled these fragments first, so the network no longer needed this tab&apos;s result. Nothing is wrong.</p>
      <ul className="space-y-1">
        {notes.slice(-5).reverse().map((e) => (
          <li key={`${e.at}-${e.during}`}>
            {new Date(e.at).toLocaleTimeString()} · {e.during}: {e.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="font-semibold tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
}
