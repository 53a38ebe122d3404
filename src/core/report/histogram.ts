/** Event counts over time in bins of a round width (1 s ... 1 day), for the report's charts. */

export interface Histogram {
  /** Start of the first bin, UTC ms (a multiple of binMs). */
  readonly from: number;
  /** End of the last bin. */
  readonly to: number;
  readonly binMs: number;
  readonly counts: readonly number[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WIDTHS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY,
];

/** The smallest round width that splits [from, to] into at most `maxBins` bins. */
export function binWidth(from: number, to: number, maxBins: number): number {
  const span = Math.max(1, to - from);
  return WIDTHS.find((w) => span / w <= maxBins) ?? Math.ceil(span / maxBins / DAY) * DAY;
}

/** Counts the times in [from, to] (others are ignored). */
export function histogram(times: ArrayLike<number>, from: number, to: number, maxBins = 72): Histogram {
  const binMs = binWidth(from, to, maxBins);
  const start = Math.floor(from / binMs) * binMs;
  const bins = Math.max(1, Math.ceil((to - start + 1) / binMs));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!(t >= from && t <= to)) continue;
    const bin = Math.min(bins - 1, Math.floor((t - start) / binMs));
    counts[bin]!++;
  }
  return { from: start, to: start + bins * binMs, binMs, counts };
}

/** The window shown around [first, last]: padded by a tenth on each side, at least a minute wide. */
export function paddedWindow(first: number, last: number): { from: number; to: number } {
  const span = Math.max(last - first, MINUTE);
  const pad = Math.max(span * 0.1, 30 * SECOND);
  return { from: first - pad, to: last + pad };
}

export function formatBinWidth(binMs: number): string {
  if (binMs % DAY === 0) return `${binMs / DAY} d`;
  if (binMs % HOUR === 0) return `${binMs / HOUR} h`;
  if (binMs % MINUTE === 0) return `${binMs / MINUTE} min`;
  return `${binMs / SECOND} s`;
}
