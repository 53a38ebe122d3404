import { wallTimeToUtc, zoneOffsetAt } from './zone';

/**
 * Re-times a stamp that was read as wall time in one zone (or as UTC when none was known) as
 * wall time in another: what an analyst's override of a host's zone does to its events whose zone
 * was inferred. The wall time is recovered exactly from the stored UTC instant and the old zone,
 * then placed in the new zone with the same DST rules as the parsers (wallTimeToUtc).
 * `undefined` stands for UTC. Throws RangeError for an unknown zone.
 */
export function rezone(utc: number, from: string | undefined, to: string | undefined): number {
  if (!Number.isFinite(utc) || (from ?? 'UTC') === (to ?? 'UTC')) return utc;
  const wall = from === undefined ? utc : utc + zoneOffsetAt(utc, from);
  if (to === undefined) return wall;
  const d = new Date(wall);
  return wallTimeToUtc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), to);
}

/** Which events of a block move: their `loupe.time.inferred` lists and whether they are unparsed. */
export interface RetimeInput {
  readonly timestamps: Float64Array;
  /** The inferred parts of event i's timestamp (empty when the line carried its zone). */
  readonly inferred: (index: number) => readonly string[] | undefined;
  /** True for an unparsed line, whose time was borrowed from the event before it. */
  readonly unparsed: (index: number) => boolean;
}

export interface RetimeOutput {
  readonly timestamps: Float64Array;
  readonly tsMin: number;
  readonly tsMax: number;
  /** Events whose timestamp changed. */
  readonly moved: number;
  /** The shift of the last event that had a time of its own, carried to the next block of the file. */
  readonly carry: number;
}

/**
 * New timestamps for one block of a file: events whose zone was inferred are re-timed with
 * `retime`; unparsed lines, which borrowed the time of the event before them, move with it.
 * `carry` is the shift of the last timed event of the file's previous block (0 for the first).
 */
export function retimeBlock(input: RetimeInput, retime: (utc: number) => number, carry = 0): RetimeOutput {
  const { timestamps } = input;
  const out = new Float64Array(timestamps.length);
  let shift = carry;
  let moved = 0;
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const old = timestamps[i]!;
    let next = old;
    if (input.unparsed(i)) next = old + shift;
    else if (input.inferred(i)?.includes('zone') === true) {
      next = retime(old);
      shift = next - old;
    } else shift = 0;
    if (next !== old) moved++;
    out[i] = next;
    if (next < tsMin) tsMin = next;
    if (next > tsMax) tsMax = next;
  }
  return { timestamps: out, tsMin: timestamps.length > 0 ? tsMin : NaN, tsMax: timestamps.length > 0 ? tsMax : NaN, moved, carry: shift };
}
