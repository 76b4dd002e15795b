/** Bytes as people read file sizes: "812 B", "41.3 KB", "12.0 MB" (decimal units, like a download dialog). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[u]}`;
}
