import { columnValue, INT_ABSENT, type Column } from '../model/block';

/**
 * Counting for facets and the histogram over the events a filter kept. `keep[offset + i]` says
 * whether event i of the block counts; string columns are counted by code and decoded once.
 */
export function countKept(column: Column, count: number, keep: Uint8Array | undefined, offset: number, counts: Map<string, number>, raw?: (i: number) => string): void {
  const kept = (i: number) => keep === undefined || keep[offset + i] === 1;
  const add = (key: string, n = 1) => counts.set(key, (counts.get(key) ?? 0) + n);
  switch (column.t) {
    case 'str':
    case 'list': {
      const perCode = new Uint32Array(column.dict.length + 1);
      for (let i = 0; i < count; i++) if (kept(i)) perCode[column.codes[i]!]!++;
      for (let code = 1; code < perCode.length; code++) {
        const n = perCode[code]!;
        if (n === 0) continue;
        if (column.t === 'str') add(column.dict[code - 1]!, n);
        else for (const v of JSON.parse(column.dict[code - 1]!) as string[]) add(v, n);
      }
      return;
    }
    case 'int':
      for (let i = 0; i < count; i++) if (kept(i) && column.values[i] !== INT_ABSENT) add(String(column.values[i]));
      return;
    case 'num':
      for (let i = 0; i < count; i++) if (kept(i) && !Number.isNaN(column.values[i]!)) add(String(column.values[i]));
      return;
    case 'bool':
      for (let i = 0; i < count; i++) if (kept(i) && column.values[i] !== 0) add(String(column.values[i] === 2));
      return;
    case 'text':
      for (let i = 0; i < count; i++) if (kept(i) && column.absent[i] !== 1) add(column.text.slice(i === 0 ? 0 : column.ends[i - 1], column.ends[i]));
      return;
    case 'ref':
      if (raw === undefined) return;
      for (let i = 0; i < count; i++) {
        const start = column.starts[i]!;
        if (kept(i) && start >= 0) add(raw(i).slice(start, start + column.lengths[i]!));
      }
      return;
  }
}

/** The value of a string-ish column at each event, as a small integer per distinct value (for stacking). */
export function valueCodes(column: Column | undefined, count: number, codeOf: (value: string) => number, absentCode: number): Int32Array {
  const out = new Int32Array(count).fill(absentCode);
  if (column === undefined) return out;
  if (column.t === 'str') {
    const table = Int32Array.from({ length: column.dict.length + 1 }, (_, code) => (code === 0 ? absentCode : codeOf(column.dict[code - 1]!)));
    for (let i = 0; i < count; i++) out[i] = table[column.codes[i]!]!;
    return out;
  }
  if (column.t === 'ref') return out;
  for (let i = 0; i < count; i++) {
    const v = columnValue(column, i);
    if (v !== undefined) out[i] = codeOf(Array.isArray(v) ? (v[0] ?? '') : String(v));
  }
  return out;
}

/** The top `limit` entries of a count map, most first (ties by value), and how many values there were. */
export function topCounts(counts: ReadonlyMap<string, number>, limit: number): { readonly values: readonly (readonly [string, number])[]; readonly distinct: number } {
  const values = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
  return { values, distinct: counts.size };
}

/** A bin width that is a round duration, giving at most about `maxBins` bins over the span. */
export function niceBinWidth(spanMs: number, maxBins: number): number {
  const steps = [1, 2, 5, 10, 15, 30].map((s) => s * 1000)
    .concat([1, 2, 5, 10, 15, 30].map((m) => m * 60_000))
    .concat([1, 2, 3, 6, 12].map((h) => h * 3_600_000))
    .concat([1, 2, 7, 14, 30, 90, 365].map((d) => d * 86_400_000));
  const wanted = Math.max(1, spanMs) / Math.max(1, maxBins);
  return steps.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
}
