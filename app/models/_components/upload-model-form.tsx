"use client";

import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAccount } from "wagmi";
import { useSession } from "@/components/auth-provider";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ApiRequestError } from "@/lib/auth/client";
import { uploadErrorInWords } from "./upload-errors";

/**
 * POST /api/models from the registry page: a safetensors file and its JSON config (lib/models/config.ts),
 * with an optional name. The server checks every tensor against the config before storing anything; its
 * refusal is shown in words. On success the new model's page opens.
 */
export function UploadModelForm({ maxBytes }: { maxBytes: number }) {
  const { isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { status } = useSession();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [configFile, setConfigFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!isConnected || status !== "authenticated") {
    return (
      <div className="rounded border border-line p-4 text-sm">
        <p className="mb-3 text-muted">Connect your wallet and sign in to upload a model.</p>
        <Button type="button" onClick={() => openConnectModal?.()}>{isConnected ? "Sign in" : "Connect wallet"}</Button>
      </div>
    );
  }

  async function submit() {
    setError(null);
    if (!file || !configFile) return setError("Choose both files: the weights (.safetensors) and the config (.json).");
    if (file.size > maxBytes) return setError(uploadErrorInWords(new ApiRequestError(413, "payload_too_large", ""), maxBytes));
    const config = await configFile.text();
    try {
      JSON.parse(config);
    } catch (e) {
      return setError(`The config file is not JSON: ${(e as Error).message}.`);
    }
    setBusy(true);
    try {
      // The server reads `config` before `file`, so it can check each tensor as it streams in.
      const form = new FormData();
      form.append("config", config);
      if (name.trim()) form.append("name", name.trim());
      form.append("file", file, file.name);
      const res = await fetch("/api/models", { method: "POST", body: form, credentials: "same-origin" });
      const body = (await res.json().catch(() => null)) as { id?: string; error?: { code: string; message: string; details?: unknown } } | null;
      if (!res.ok) throw new ApiRequestError(res.status, body?.error?.code ?? "internal", body?.error?.message ?? `HTTP ${res.status}`, body?.error?.details);
      router.push(`/models/${body!.id}`);
    } catch (e) {
      setError(uploadErrorInWords(e, maxBytes));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="grid gap-3 rounded border border-line p-4 text-sm sm:grid-cols-3" data-testid="upload-model" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <label className="block" htmlFor="model-file">
        <span className="text-muted">Weights (.safetensors, F32)</span>
        <Input compact id="model-file" name="file" type="file" accept=".safetensors" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="block" htmlFor="model-config">
        <span className="text-muted">Config (.json: kind mlp or gpt)</span>
        <Input compact id="model-config" name="config" type="file" accept=".json,application/json" onChange={(e) => setConfigFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="block" htmlFor="model-name">
        <span className="text-muted">Name (optional)</span>
        <Input compact id="model-name" name="name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="flex items-center gap-4 sm:col-span-3">
        <Button type="submit" disabled={busy}>{busy ? "Checking and uploading…" : "Upload model"}</Button>
        {error ? <span role="alert" className="text-danger">{error}</span> : null}
      </div>
    </form>
  );
}
