import { INT_ABSENT, rawText, type EventBlock } from './block';

function assertNever(value: never): never {
  throw new Error(`unhandled column kind: ${JSON.stringify(value)}`);
}

/**
 * Aggregations straight over columnar blocks: the dictionary codes are counted, not the decoded
 * strings, so a group-by over a million events stays well under a second.
 */

/** Adds the counts of each value of `field` in `block` to `counts` (absent values are skipped). */
export function countByField(block: EventBlock, field: string, counts: Map<string, number>, from = 0, to = block.count): void {
  const column = block.columns[field];
  if (column === undefined) return;
  switch (column.t) {
    case 'str': {
      const perCode = new Uint32Array(column.dict.length + 1);
      for (let i = from; i < to; i++) perCode[column.codes[i]!]!++;
      for (let code = 1; code < perCode.length; code++) {
        const n = perCode[code]!;
        if (n > 0) {
          const key = column.dict[code - 1]!;
          counts.set(key, (counts.get(key) ?? 0) + n);
        }
      }
      return;
    }
    case 'num':
      for (let i = from; i < to; i++) {
        const v = column.values[i]!;
        if (!Number.isNaN(v)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      return;
    case 'bool':
      for (let i = from; i < to; i++) {
        const v = column.values[i]!;
        if (v !== 0) counts.set(String(v === 2), (counts.get(String(v === 2)) ?? 0) + 1);
      }
      return;
    case 'list': {
      const perCode = new Uint32Array(column.dict.length + 1);
      for (let i = from; i < to; i++) perCode[column.codes[i]!]!++;
      for (let code = 1; code < perCode.length; code++) {
        const n = perCode[code]!;
        if (n === 0) continue;
        for (const v of JSON.parse(column.dict[code - 1]!) as string[]) counts.set(v, (counts.get(v) ?? 0) + n);
      }
      return;
    }
    case 'text':
      for (let i = from; i < to; i++) {
        if (column.absent[i] === 1) continue;
        const v = column.text.slice(i === 0 ? 0 : column.ends[i - 1], column.ends[i]);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      return;
    case 'int':
      for (let i = from; i < to; i++) {
        const v = column.values[i]!;
        if (v !== INT_ABSENT) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      return;
    case 'ref':
      for (let i = from; i < to; i++) {
        const start = column.starts[i]!;
        if (start < 0) continue;
        const v = rawText(block, i).slice(start, start + column.lengths[i]!);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      return;
    default:
      assertNever(column);
  }
}

/** Indexes of the events of `block` with from <= timestamp <= to (edges inclusive). */
export function indexesInTimeRange(block: EventBlock, from: number, to: number): number[] {
  const out: number[] = [];
  if (block.tsMax < from || block.tsMin > to) return out;
  for (let i = 0; i < block.count; i++) {
    const t = block.timestamps[i]!;
    if (t >= from && t <= to) out.push(i);
  }
  return out;
}
