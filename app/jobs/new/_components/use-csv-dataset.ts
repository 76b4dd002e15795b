"use client";

import { useState } from "react";
import { apiFetch } from "@/lib/auth/client";
import type { NormalisationKind } from "@/lib/datasets/client";
import { previewCsv, suggestScaling, type CsvPreview } from "./csv-preview";
import type { DatasetSource } from "./new-job-request";

export type Uploaded = { id: string; name: string; rows: number; features: number; classes: number; classNames: string[] };

/**
 * The dataset half of the new-job form: which source, and for a CSV the picked file, its preview,
 * the label column, the suggested input scaling and the upload.
 */
export function useCsvDataset() {
  const [source, setSource] = useState<DatasetSource>("mnist");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [label, setLabel] = useState("");
  const [scaling, setScaling] = useState<NormalisationKind>("per-feature");
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  async function pickFile(f: File | null) {
    setFile(f);
    setUploaded(null);
    setUploadError(null);
    if (!f) return setPreview(null);
    const p = previewCsv(await f.slice(0, 64 * 1024).text());
    setPreview(p);
    setLabel(p.header.at(-1) ?? "");
    setScaling(suggestScaling(p, p.header.at(-1) ?? ""));
  }

  /** A new label column changes which columns are inputs, so the suggested scaling follows it. */
  function chooseLabel(column: string) {
    setLabel(column);
    if (preview) setScaling(suggestScaling(preview, column));
  }

  async function upload() {
    if (!file) return;
    setUploading(true);
    setUploadError(null);
    try {
      const form = new FormData();
      form.append("label", label);
      form.append("file", file, file.name);
      setUploaded(await apiFetch<Uploaded>("/api/datasets", { method: "POST", body: form }));
    } catch (e) {
      setUploadError((e as Error).message);
    } finally {
      setUploading(false);
    }
  }

  return { source, setSource, file, preview, label, chooseLabel, scaling, setScaling, uploaded, uploadError, uploading, pickFile, upload };
}

export type CsvDataset = ReturnType<typeof useCsvDataset>;
