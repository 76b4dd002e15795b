export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-4">
      <div className="h-8 w-1/3 rounded bg-zinc-800" />
      <div className="h-32 rounded bg-zinc-900" />
      <div className="h-32 rounded bg-zinc-900" />
    </div>
  );
}
