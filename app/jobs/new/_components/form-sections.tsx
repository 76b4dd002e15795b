import Link from "next/link";
import { formatShare } from "@/app/datasets/_components/format";
import { Input, Select } from "@/components/ui/input";
import { CsvUpload } from "./csv-upload";
import { Field, NumberField } from "./field";
import { GptModelFieldset } from "./gpt-model-fieldset";
import { isUploadSource, sourcesByTask, type JobTask } from "./new-job-request";
import { TextUpload } from "./text-upload";
import type { NewJobFormState } from "./use-new-job-form";

const taskLabels: Record<JobTask, string> = { classifier: "Classifier (MLP)", language: "Language model" };
const sourceLabels = {
  mnist: "MNIST (built-in)", iris: "Iris (built-in)", csv: "Upload a CSV",
  names: "Names (built-in)", brown: "Brown corpus (built-in)", txt: "Upload a .txt",
} as const;

/** One dataset card: a radio named by its title (so "Iris (built-in)" is its whole accessible name), its shape below. */
function DatasetCardRadio({ id, title, detail, checked, onChange }: { id: string; title: string; detail?: string; checked: boolean; onChange: () => void }) {
  const dom = `card-${id.replace(/[^a-z0-9-]/gi, "")}`;
  return (
    <label className={`flex cursor-pointer items-start gap-2 rounded border p-3 text-sm ${checked ? "border-accent" : "border-line"}`}>
      <input type="radio" name="source" className="mt-1" checked={checked} onChange={onChange} aria-labelledby={`${dom}-title`} aria-describedby={detail ? `${dom}-detail` : undefined} />
      <span className="min-w-0">
        <span id={`${dom}-title`} className="block font-medium">
          {title}
        </span>
        {detail ? (
          <span id={`${dom}-detail`} className="block text-xs text-muted">
            {detail}
          </span>
        ) : null}
      </span>
    </label>
  );
}

/**
 * What to train and where its data comes from, as cards: the built-ins, my uploads, the published
 * datasets of the catalogue (with their provider's terms), or a new upload.
 */
export function DatasetFieldset({ form }: { form: NewJobFormState }) {
  const { dataset, errors } = form;
  const kind = dataset.task === "language" ? "text" : "table";
  const builtinDetail = (s: string) => dataset.cards.find((c) => c.origin === "builtin" && c.id === s)?.detail;
  const existing = dataset.cards.filter((c) => c.origin !== "builtin" && c.kind === kind);
  const chosen = dataset.source === "dataset" ? dataset.chosen : null;
  return (
    <fieldset className="space-y-3 rounded border border-line p-4 lg:col-span-2">
      <legend className="px-1 text-sm font-medium">Dataset</legend>
      <div className="flex gap-4 text-sm" role="radiogroup" aria-label="Task">
        {(["classifier", "language"] as const).map((t) => (
          <label key={t} className="flex items-center gap-1">
            <input type="radio" name="task" value={t} checked={dataset.task === t} onChange={() => form.pickTask(t)} />
            {taskLabels[t]}
          </label>
        ))}
      </div>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" role="radiogroup" aria-label="Dataset">
        {sourcesByTask[dataset.task].map((s) => (
          <DatasetCardRadio
            key={s}
            id={s}
            title={sourceLabels[s]}
            detail={isUploadSource(s) ? (s === "csv" ? "a header row, numeric features and a label column" : "UTF-8 text, one example per line") : builtinDetail(s)}
            checked={dataset.source === s}
            onChange={() => dataset.chooseSource(s)}
          />
        ))}
        {existing.map((c) => (
          <DatasetCardRadio key={c.id} id={c.id} title={`${c.title} (${c.origin === "mine" ? "mine" : "published"})`} detail={c.detail} checked={chosen?.id === c.id} onChange={() => dataset.chooseDataset(c)} />
        ))}
      </div>
      {chosen?.origin === "published" ? (
        <p className="text-sm" data-testid="provider-terms">
          Published under {chosen.license}. Its provider <span className="font-mono text-xs">{chosen.provider}</span> receives{" "}
          <strong>{formatShare(chosen.feeBps ?? 0)}</strong> of this job&apos;s fee for accepted work (
          <Link className="prose-link" href={`/datasets/${chosen.id}`}>
            the dataset&apos;s page
          </Link>
          ).
        </p>
      ) : null}
      {dataset.source === "csv" ? <CsvUpload dataset={dataset} scalingError={errors.normalisation} /> : null}
      {dataset.source === "txt" ? <TextUpload dataset={dataset} /> : null}
      {errors.dataset ? <p role="alert" className="text-xs text-danger">{errors.dataset}</p> : null}
    </fieldset>
  );
}

/** The model for the chosen task: an MLP classifier's layers, or a language model's shape. */
export function ModelFieldset({ form }: { form: NewJobFormState }) {
  return form.dataset.task === "language" ? <GptModelFieldset form={form} /> : <MlpModelFieldset form={form} />;
}

function MlpModelFieldset({ form }: { form: NewJobFormState }) {
  const { fields, set, errors } = form;
  return (
    <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4">
      <legend className="px-1 text-sm font-medium">Model (MLP classifier)</legend>
      <Field label="Hidden layers (comma-separated)" name="hidden" error={errors.hidden}>
        <Input compact id="hidden" value={fields.hidden} onChange={set("hidden")} />
      </Field>
      <Field label="Activation" name="activation" error={errors.activation}>
        <Select compact id="activation" value={fields.activation} onChange={set("activation")}>
          <option value="relu">relu</option>
          <option value="tanh">tanh</option>
        </Select>
      </Field>
    </fieldset>
  );
}

/** One line under each advanced field: what it does, in a sentence. */
const explain = {
  shards: "How many pieces the data is cut into: each round trains one fragment per shard, in parallel.",
  localSteps: "Optimizer steps a node takes on its shard before sending its update.",
  batch: "Examples per step.",
  learningRate: "Step size of each node's optimizer (language models: AdamW's, e.g. 0.003).",
  outerLearningRate: "How far each round moves towards the nodes' average update (1 = plain averaging).",
  outerMomentum: "Nesterov momentum across rounds; 0 turns it off.",
  seed: "Fixes the shard split and batch order, so anyone can replay the training.",
  redundancy: "Nodes that compute each fragment: results must agree before they are accepted.",
  spotCheckRate: "Share of accepted fragments recomputed again to catch cheats.",
  minTier: "Lowest staking tier a node needs to take this job's work (0 Bronze … 3 Platinum).",
} as const;

function Explained({ form, name, label, step }: { form: NewJobFormState; name: keyof typeof explain; label: string; step?: string }) {
  return (
    <div>
      <NumberField form={form} name={name} label={label} step={step} />
      <p className="mt-1 text-xs text-muted">{explain[name]}</p>
    </div>
  );
}

/** The basics (rounds and the fee), then every other hyper-parameter and the verification under "Advanced". */
export function TrainingFieldset({ form }: { form: NewJobFormState }) {
  return (
    <fieldset className="space-y-4 rounded border border-line p-4 lg:col-span-2">
      <legend className="px-1 text-sm font-medium">Training</legend>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <div>
          <NumberField form={form} name="rounds" label="Rounds R" />
          <p className="mt-1 text-xs text-muted">Training rounds, one after another: more rounds, a better model, a longer job.</p>
        </div>
        <div>
          <NumberField form={form} name="fee" label="Fee (CXT)" step="any" />
          <p className="mt-1 text-xs text-muted">Escrowed when the task is created; paid for accepted work, the rest refunded.</p>
        </div>
      </div>
      <details id="advanced" className="rounded border border-line p-3" open={ADVANCED_FIELDS.some((k) => form.errors[k])}>
        <summary className="cursor-pointer text-sm font-medium">Advanced</summary>
        <div className="mt-3 grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Explained form={form} name="shards" label="Shards S" />
          <Explained form={form} name="localSteps" label="Local steps K" />
          <Explained form={form} name="batch" label="Batch B" />
          <Explained form={form} name="learningRate" label="Learning rate" step="any" />
          <Explained form={form} name="outerLearningRate" label="Outer learning rate" step="any" />
          <Explained form={form} name="outerMomentum" label="Outer momentum" step="any" />
          <Explained form={form} name="seed" label="Seed" />
          <Explained form={form} name="redundancy" label="Redundancy k" />
          <Explained form={form} name="spotCheckRate" label="Spot-check rate" step="any" />
          <Explained form={form} name="minTier" label="Min tier (0–3)" />
        </div>
      </details>
    </fieldset>
  );
}

const ADVANCED_FIELDS = Object.keys(explain);
