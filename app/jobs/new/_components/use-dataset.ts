"use client";

import { useState } from "react";
import type { NormalisationKind } from "@/lib/datasets/client";
import { previewCsv, suggestScaling, type CsvPreview } from "./csv-preview";
import { sourcesByTask, type DatasetSource, type JobTask } from "./new-job-request";
import { uploadWithProgress, type UploadProgress } from "./upload-request";

export type Uploaded = { id: string; name: string; rows: number; features: number; classes: number; classNames: string[] };

/**
 * The dataset half of the new-job form: the task (classifier or language model) and which source, and
 * for an upload the picked file and its upload (with its progress: bytes sent, then what the server has
 * parsed); a CSV also has its preview, label column and the suggested input scaling.
 */
export function useDataset() {
  const [task, setTask] = useState<JobTask>("classifier");
  const [source, setSource] = useState<DatasetSource>("mnist");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [label, setLabel] = useState("");
  const [scaling, setScaling] = useState<NormalisationKind>("per-feature");
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);

  /** A file picked or uploaded for one source must not be sent as another's (a CSV id as text). */
  function chooseSource(s: DatasetSource) {
    setSource(s);
    setFile(null);
    setPreview(null);
    setUploaded(null);
    setUploadError(null);
  }

  /** Each task has its own sources; the first of them is picked. */
  function chooseTask(t: JobTask) {
    setTask(t);
    chooseSource(sourcesByTask[t][0]);
  }

  async function pickFile(f: File | null) {
    setFile(f);
    setUploaded(null);
    setUploadError(null);
    // A .txt has no columns to preview: the server reads and checks it.
    if (!f || source === "txt") return setPreview(null);
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
    setProgress(null);
    try {
      const form = new FormData();
      if (source === "txt") form.append("kind", "text");
      else form.append("label", label);
      form.append("file", file, file.name);
      setUploaded(await uploadWithProgress<Uploaded>(form, setProgress));
    } catch (e) {
      setUploadError((e as Error).message);
    } finally {
      setUploading(false);
      setProgress(null);
    }
  }

  return { task, chooseTask, source, chooseSource, file, preview, label, chooseLabel, scaling, setScaling, uploaded, uploadError, uploading, progress, pickFile, upload };
}

export type DatasetState = ReturnType<typeof useDataset>;
