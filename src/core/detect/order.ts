/**
 * Time order over stored blocks: detection reads events oldest first across every file, while
 * blocks are stored per file. The order is built from the blocks' timestamps alone.
 */
import { BLOCK_CAPACITY } from '../model/block';
import { sortByTime } from '../model/time-order';

export interface BlockTimes {
  readonly blockId: number;
  readonly count: number;
  readonly timestamps: Float64Array;
}

/**
 * Event ids of every event of the blocks, oldest first; ties keep block order, then index order
 * (file order within a file).
 */
export function timeOrder(blocks: readonly BlockTimes[]): Float64Array {
  let total = 0;
  for (const b of blocks) total += b.count;
  const times = new Float64Array(total);
  const ids = new Float64Array(total);
  let at = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.count; i++) {
      times[at] = b.timestamps[i]!;
      ids[at] = b.blockId * BLOCK_CAPACITY + i;
      at++;
    }
  }
  const index = sortByTime(times, 0, total);
  const out = new Float64Array(total);
  for (let i = 0; i < total; i++) out[i] = ids[index[i]!]!;
  return out;
}
