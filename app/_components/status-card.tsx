export function StatusCard({ title, ok, detail }: { title: string; ok: boolean; detail?: string }) {
  return (
    <div className="rounded border border-line p-4" data-testid={`status-${title.toLowerCase()}`}>
      <div className="flex items-center gap-2">
        <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${ok ? "bg-emerald-500" : "bg-red-500"}`} />
        <h2 className="font-medium">{title}</h2>
        <span className={`ml-auto text-xs ${ok ? "text-accent" : "text-danger"}`}>{ok ? "healthy" : "down"}</span>
      </div>
      {detail ? <p className="mt-2 truncate text-sm text-muted" title={detail}>{detail}</p> : null}
    </div>
  );
}
