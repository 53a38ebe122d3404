/// <reference lib="webworker" />
// Store benchmark, run in a dedicated worker as the ingest worker runs: write 1M events in
// blocks, then a time-range query, group-bys, and ordering the timeline.
import { countByField, indexesInTimeRange } from '../../src/core/model/aggregate';
import { BLOCK_CAPACITY, decodeEvent, encodeBlock, type EventBlock, type PendingEvent } from '../../src/core/model/block';
import { LoupeDB, createCase, scanBlocks, writeBlocks } from '../../src/store';
import { QueryService } from '../../src/workers/query-service';
import { lcg, syntheticEvent } from './generate';

const BLOCKS_PER_TRANSACTION = 8;
const START = Date.UTC(2026, 2, 12);

export interface StoreRun {
  readonly events: number;
  readonly rawMegabytes: number;
  readonly buildMs: number;
  readonly insertMs: number;
  readonly rangeMs: number;
  readonly rangeEvents: number;
  readonly groupByIpMs: number;
  readonly groupByIpGroups: number;
  readonly groupByIpTotal: number;
  readonly groupByHostMs: number;
  readonly timelineOpenMs: number;
  readonly timelineRowsMs: number;
  readonly readAllMs: number;
}

async function run(events: number, runIndex: number): Promise<StoreRun> {
  const name = `bench-store-${runIndex}`;
  await LoupeDB.delete(name);
  const db = new LoupeDB(name);
  const kase = await createCase(db, 'bench');
  const random = lcg(42);
  let rawBytes = 0;
  // Build every block first, so insert time is measured alone.
  const t0 = performance.now();
  const blocks: EventBlock[] = [];
  let pending: PendingEvent[] = [];
  for (let i = 0; i < events; i++) {
    const event = syntheticEvent(random, i, START, 86_400_000 / events);
    rawBytes += event.raw.length;
    pending.push(event);
    if (pending.length === BLOCK_CAPACITY) {
      blocks.push(encodeBlock(blocks.length, 1, pending));
      pending = [];
    }
  }
  if (pending.length > 0) blocks.push(encodeBlock(blocks.length, 1, pending));
  const t1 = performance.now();
  for (let i = 0; i < blocks.length; i += BLOCKS_PER_TRANSACTION) await writeBlocks(db, kase.id, blocks.slice(i, i + BLOCKS_PER_TRANSACTION));
  const t2 = performance.now();
  blocks.length = 0;

  const from = START + 86_400_000 * 0.495;
  const to = START + 86_400_000 * 0.505;
  let rangeEvents = 0;
  const t3 = performance.now();
  await scanBlocks(db, kase.id, { from, to }, (block) => {
    for (const i of indexesInTimeRange(block, from, to)) {
      decodeEvent(block, i);
      rangeEvents++;
    }
  });
  const t4 = performance.now();
  const ips = new Map<string, number>();
  await scanBlocks(db, kase.id, { from: -Infinity, to: Infinity, fields: ['source.ip'] }, (block) => countByField(block, 'source.ip', ips));
  const t5 = performance.now();
  const hosts = new Map<string, number>();
  await scanBlocks(db, kase.id, { from: -Infinity, to: Infinity, fields: ['host.name'] }, (block) => countByField(block, 'host.name', hosts));
  const t6 = performance.now();
  // Reading alone (no aggregation): what the block layout costs to bring back.
  const t6b = performance.now();
  await scanBlocks(db, kase.id, { from: -Infinity, to: Infinity }, () => undefined);
  const readAllMs = performance.now() - t6b;
  const query = new QueryService(() => db);
  const t6c = performance.now();
  await query.open(kase.id);
  const t7 = performance.now();
  await query.rows(Math.floor(events / 2), 200);
  const t8 = performance.now();
  db.close();
  await LoupeDB.delete(name);
  let total = 0;
  for (const n of ips.values()) total += n;
  return {
    events, rawMegabytes: rawBytes / 1e6,
    buildMs: t1 - t0, insertMs: t2 - t1, rangeMs: t4 - t3, rangeEvents,
    groupByIpMs: t5 - t4, groupByIpGroups: ips.size, groupByIpTotal: total, groupByHostMs: t6 - t5,
    timelineOpenMs: t7 - t6c, timelineRowsMs: t8 - t7, readAllMs,
  };
}

self.onmessage = async (message: MessageEvent<{ events: number; runs: number }>) => {
  const results: StoreRun[] = [];
  try {
    for (let r = 0; r < message.data.runs; r++) results.push(await run(message.data.events, r));
    self.postMessage({ results });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
  }
};
