import { decodeEvent, type EventBlock } from '../model/block';
import { Field, fieldAsString, type LoupeEvent } from '../model/event';
import type { ReportEventInput } from './inputs';

/** An event as the report quotes it; `filePath` is the path inside the bundle of its file. */
export function reportEventOf(event: LoupeEvent, filePath: string): ReportEventInput {
  return {
    id: event.id,
    timestamp: event.timestamp,
    host: fieldAsString(event.fields[Field.host]) ?? '',
    dataset: fieldAsString(event.fields[Field.dataset]) ?? '',
    filePath,
    line: event.line,
    raw: event.raw,
  };
}

/**
 * Every event of the blocks in time order (ties in block, then file order): what the rule engine
 * needs. Only the order is kept in memory; events are decoded as they are visited.
 */
export function* eventsInTimeOrder(blocks: readonly EventBlock[]): Generator<LoupeEvent> {
  let total = 0;
  for (const b of blocks) total += b.count;
  const times = new Float64Array(total);
  const blockOf = new Uint32Array(total);
  const indexOf = new Uint32Array(total);
  let at = 0;
  blocks.forEach((b, bi) => {
    for (let i = 0; i < b.count; i++, at++) {
      times[at] = b.timestamps[i]!;
      blockOf[at] = bi;
      indexOf[at] = i;
    }
  });
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => times[a]! - times[b]! || a - b);
  for (const k of order) yield decodeEvent(blocks[blockOf[k]!]!, indexOf[k]!);
}
