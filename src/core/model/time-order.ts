/**
 * Time order of stored events. Files are mostly in time order already, so the order of a case is
 * a merge of a few sorted runs rather than a comparator sort (one of 1M indexes took ~400 ms of
 * opening a case); the query worker, detection and the rule lab all order the same way.
 */

/**
 * Global indexes [from, to) ordered by (timestamp, index). A natural merge sort: files are mostly
 * in time order already, so the runs are few and the cost near linear (a comparator sort of 1M
 * indexes took ~400 ms of the case opening). Adjacent runs are merged left first on ties, which
 * keeps storage order for equal times, as the comparator did.
 */
export function sortByTime(timestamps: Float64Array, from: number, to: number): Uint32Array {
  const n = to - from;
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = from + i;
  if (n < 2) return a;
  // Run starts (positions in `a`), ending with n.
  const starts: number[] = [0];
  for (let i = 1; i < n; i++) if (timestamps[from + i]! < timestamps[from + i - 1]!) starts.push(i);
  starts.push(n);
  if (starts.length === 2) return a;
  let b = new Uint32Array(n);
  let runs = starts;
  while (runs.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r]!;
      const mid = runs[r + 1]!;
      const hi = r + 2 < runs.length ? runs[r + 2]! : mid;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = timestamps[a[j]!]! < timestamps[a[i]!]! ? a[j++]! : a[i++]!;
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
      next.push(hi);
    }
    if (next[next.length - 1] !== n) next.push(n);
    [a, b] = [b, a];
    runs = next;
  }
  return a;
}
