import { NumberField } from "./field";
import type { NewJobFormState } from "./use-new-job-form";

/**
 * A language model's shape. The server checks what the form cannot: heads dividing dim, and the
 * parameter count once the vocabulary is known (that refusal names `model` itself, shown here).
 */
export function GptModelFieldset({ form }: { form: NewJobFormState }) {
  return (
    <fieldset className="grid grid-cols-2 gap-3 rounded border border-line p-4">
      <legend className="px-1 text-sm font-medium">Model (language model: GPT-2 blocks, AdamW inside)</legend>
      <NumberField form={form} name="layers" label="Layers" />
      <NumberField form={form} name="heads" label="Attention heads (divide dim)" />
      <NumberField form={form} name="dim" label="Width (dim)" />
      <NumberField form={form} name="context" label="Context (characters)" />
      {form.errors.model ? <p role="alert" className="col-span-2 text-xs text-danger">{form.errors.model}</p> : null}
    </fieldset>
  );
}
