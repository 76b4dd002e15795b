import type { ReactNode } from "react";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children ? <div className="mt-2 max-w-3xl text-sm text-zinc-400">{children}</div> : null}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="rounded border border-dashed border-zinc-800 p-6 text-center text-sm text-zinc-400">{children}</p>;
}

export const th = "px-2 py-1.5 font-normal";
export const td = "px-2 py-1.5";
