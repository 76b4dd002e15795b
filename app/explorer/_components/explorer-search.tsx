/** Search by credential id, node id, job id or epoch: a plain GET form (works without JavaScript). */
export function ExplorerSearch() {
  return (
    <form action="/explorer/search" method="get" className="mb-6 flex flex-wrap items-end gap-2 text-sm" role="search">
      <label className="flex flex-col gap-1">
        <span className="text-muted">Search by</span>
        <select name="by" className="rounded border border-line bg-transparent px-2 py-1.5" defaultValue="credential">
          <option value="credential">credential</option>
          <option value="node">node</option>
          <option value="job">job</option>
          <option value="epoch">epoch</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-muted">Value</span>
        <input name="q" required className="w-72 rounded border border-line bg-transparent px-2 py-1.5 font-mono" placeholder="0x… / 3 / job id / 2" />
      </label>
      <button type="submit" className="rounded bg-accent-solid px-3 py-1.5 text-on-accent">Search</button>
    </form>
  );
}
