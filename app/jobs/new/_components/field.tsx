import type { ReactNode } from "react";
import { Input } from "@/components/ui/input";
import type { FieldName } from "./new-job-request";
import type { NewJobFormState } from "./use-new-job-form";

/** A labelled control with the error the client or the server found in it. */
export function Field({ label, name, error, children }: { label: string; name: string; error?: string; children: ReactNode }) {
  return (
    <label className="block text-sm" htmlFor={name}>
      <span className="text-muted">{label}</span>
      {children}
      {error ? <span role="alert" className="mt-1 block text-xs text-danger">{error}</span> : null}
    </label>
  );
}

/** A numeric hyper-parameter; `step="any"` for the real-valued ones. */
export function NumberField({ form, name, label, step = "1" }: { form: NewJobFormState; name: FieldName; label: string; step?: string }) {
  const error = form.errors[name];
  return (
    <Field label={label} name={name} error={error}>
      <Input compact id={name} name={name} type="number" step={step} value={form.fields[name]} onChange={form.set(name)} aria-invalid={Boolean(error)} />
    </Field>
  );
}
