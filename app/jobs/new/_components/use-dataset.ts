"use client";

import { useEffect, useRef, useState } from "react";
import { formatShare } from "@/app/datasets/_components/format";
import type { CatalogueEntry, NormalisationKind } from "@/lib/datasets/client";
import { previewCsv, suggestScaling, type CsvPreview } from "./csv-preview";
import { sourcesByTask, type DatasetSource, type JobTask } from "./new-job-request";
import { uploadWithProgress, type UploadProgress } from "./upload-request";

export type Uploaded = { id: string; name: string; rows: number; features: number; classes: number; classNames: string[] };

/** A dataset the form offers as a card: a built-in, one of mine, or a published one (with its provider's terms). */
export type DatasetCard = {
  id: string;
  title: string;
  kind: "table" | "text";
  origin: "builtin" | "mine" | "published";
  detail: string;
  features: number;
  classes: number;
  provider?: string;
  feeBps?: number;
  license?: string;
};

type DatasetView = { id: string; source: "builtin" | "upload"; kind: "table" | "text"; name: string; rows: number; features: number; classes: number; published: boolean; listed: boolean };

const size = (kind: "table" | "text", rows: number, features: number, classes: number) =>
  kind === "table" ? `${rows.toLocaleString("en")} rows, ${features} features, ${classes} classes` : `${rows.toLocaleString("en")} examples, ${classes - 1} characters`;

export function publishedCard(d: CatalogueEntry): DatasetCard {
  const features = d.kind === "table" ? (d.columns ?? 1) - 1 : 0;
  const share = `${formatShare(d.feeBps)} to the provider`;
  return { id: d.id, title: d.title, kind: d.kind, origin: "published", detail: `${size(d.kind, d.rows, features, d.classes)} · ${d.license} · ${share}`, features, classes: d.classes, provider: d.provider, feeBps: d.feeBps, license: d.license };
}

/**
 * The datasets the form starts from: the built-ins and my uploads (GET /api/datasets?scope=mine) and the
 * published, listed ones (the catalogue). A dataset of mine that I published shows once, as published;
 * one I unlisted not at all (new jobs cannot choose it).
 */
function useDatasetCards(initialId: string | null, account: string | null, onInitial: (card: DatasetCard) => void) {
  const [cards, setCards] = useState<DatasetCard[]>([]);
  const preselected = useRef(false);
  // Fetched again when the signed-in account changes: my uploads are the session's.
  useEffect(() => {
    let live = true;
    const get = <T,>(url: string) => fetch(url, { credentials: "same-origin", cache: "no-store" }).then((r) => (r.ok ? (r.json() as Promise<T>) : null)).catch(() => null);
    void Promise.all([
      get<{ datasets: DatasetView[] }>("/api/datasets?scope=mine"),
      get<{ datasets: CatalogueEntry[] }>("/api/datasets?limit=100"),
      initialId ? get<CatalogueEntry>(`/api/datasets/${initialId}`) : null,
    ]).then(([mine, catalogue, initial]) => {
      if (!live) return;
      const published = [...(catalogue?.datasets ?? [])];
      if (initial && initial.listed && !published.some((d) => d.id === initial.id)) published.unshift(initial);
      const own = (mine?.datasets ?? []).filter((d) => d.source === "builtin" || (!d.published && d.listed));
      const all = [
        ...own.map((d): DatasetCard => ({ id: d.source === "builtin" ? d.name : d.id, title: d.name, kind: d.kind, origin: d.source === "builtin" ? "builtin" : "mine", detail: size(d.kind, d.rows, d.features, d.classes), features: d.features, classes: d.classes })),
        ...published.map(publishedCard),
      ];
      setCards(all);
      const first = all.find((c) => c.id === initialId);
      if (first && !preselected.current) {
        preselected.current = true;
        onInitial(first);
      }
    });
    return () => {
      live = false;
    };
    // onInitial runs once, for the first answer: it is not a dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialId, account]);
  return cards;
}

/**
 * The dataset half of the new-job form: the task (classifier or language model) and which source, and
 * for an upload the picked file and its upload (with its progress: bytes sent, then what the server has
 * parsed); a CSV also has its preview, label column and the suggested input scaling.
 */
export function useDataset(initialDataset: string | null = null, onInitialTask: (t: JobTask) => void = () => {}, account: string | null = null) {
  const [task, setTask] = useState<JobTask>("classifier");
  const [source, setSource] = useState<DatasetSource>("mnist");
  const [chosen, setChosen] = useState<DatasetCard | null>(null);
  // A catalogue page's "Train a model on it" (?dataset=<id>): that card, and the task its kind trains.
  const cards = useDatasetCards(initialDataset, account, (card) => {
    const t = card.kind === "text" ? "language" : "classifier";
    setTask(t);
    onInitialTask(t);
    setSource("dataset");
    setChosen(card);
  });
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
    setChosen(null);
    setFile(null);
    setPreview(null);
    setUploaded(null);
    setUploadError(null);
  }

  /** An existing dataset from its card (one of mine or a published one): the job names it by id. */
  function chooseDataset(card: DatasetCard) {
    chooseSource("dataset");
    setChosen(card);
  }

  /** What the estimate needs of the chosen dataset: its shape and, published, its provider's terms. */
  const builtin = cards.find((c) => c.origin === "builtin" && c.id === source);
  const estimateDataset = source === "dataset" ? chosen : uploaded ? { kind: task === "language" ? ("text" as const) : ("table" as const), features: uploaded.features, classes: uploaded.classes } : (builtin ?? null);

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

  return { task, chooseTask, source, chooseSource, cards, chosen, chooseDataset, estimateDataset, file, preview, label, chooseLabel, scaling, setScaling, uploaded, uploadError, uploading, progress, pickFile, upload };
}

export type DatasetState = ReturnType<typeof useDataset>;
