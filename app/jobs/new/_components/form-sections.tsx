import { Input, Select } from "@/components/ui/input";
import { CsvUpload } from "./csv-upload";
import { Field, NumberField } from "./field";
import { GptModelFieldset } from "./gpt-model-fieldset";
import { sourcesByTask, type JobTask } from "./new-job-request";
import { TextUpload } from "./text-upload";
import type { NewJobFormState } from "./use-new-job-form";

const taskLabels: Record<JobTask, string> = { classifier: "Classifier (MLP)", language: "Language model" };
const sourceLabels = {
  mnist: "MNIST (built-in)", iris: "Iris (built-in)", csv: "Upload a CSV",
  names: "Names (built-in)", brown: "Brown corpus (built-in)", txt: "Upload a .txt",
} as const;

/** What to train and where its data comes from: a built-in dataset, an uploaded CSV or an uploaded .txt. */
export function DatasetFieldset({ form }: { form: NewJobFormState }) {
  const { dataset, errors } = form;
  return (
    <fieldset className="space-y-3 rounded border border-line p-4">
      <legend className="px-1 text-sm font-medium">Dataset</legend>
      <div className="flex gap-4 text-sm" role="radiogroup" aria-label="Task">
        {(["classifier", "language"] as const).map((t) => (
          <label key={t} className="flex items-center gap-1">
            <input type="radio" name="task" value={t} checked={dataset.task === t} onChange={() => form.pickTask(t)} />
            {taskLabels[t]}
          </label>
        ))}
      </div>
      <div className="flex gap-4 text-sm">
        {sourcesByTask[dataset.task].map((s) => (
          <label key={s} className="flex items-center gap-1">
            <input type="radio" name="source" value={s} checked={dataset.source === s} onChange={() => dataset.chooseSource(s)} />
            {sourceLabels[s]}
          </label>
        ))}
      </div>
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

/** The hyper-parameters, verification (redundancy, spot checks, tier) and the fee. */
export function TrainingFieldset({ form }: { form: NewJobFormState }) {
  return (
    <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4 lg:col-span-2 lg:grid-cols-4">
      <legend className="px-1 text-sm font-medium">Training</legend>
      <NumberField form={form} name="rounds" label="Rounds R" />
      <NumberField form={form} name="shards" label="Shards S" />
      <NumberField form={form} name="localSteps" label="Local steps K" />
      <NumberField form={form} name="batch" label="Batch B" />
      <NumberField form={form} name="learningRate" label="Learning rate" step="any" />
      <NumberField form={form} name="outerLearningRate" label="Outer learning rate" step="any" />
      <NumberField form={form} name="outerMomentum" label="Outer momentum" step="any" />
      <NumberField form={form} name="seed" label="Seed" />
      <NumberField form={form} name="redundancy" label="Redundancy k" />
      <NumberField form={form} name="spotCheckRate" label="Spot-check rate" step="any" />
      <NumberField form={form} name="minTier" label="Min tier (0–3)" />
      <NumberField form={form} name="fee" label="Fee (CXT)" step="any" />
    </fieldset>
  );
}
