/**
 * The store and ingest benchmarks, run in a dedicated module worker as the app's ingest and query
 * workers run (bench/browser/store.bench.page.ts starts it; scripts/bench.mjs drives the page).
 * Times are performance.now() inside the worker. Figures only: nothing here passes or fails.
 */
import * as Comlink from 'comlink';
import { Dexie, type Table } from 'dexie';
import { HashedDuplicateIndex } from '../../src/core/ingest/duplicates';
import { ingestEvidence } from '../../src/core/ingest/evidence-ingest';
import { countByField, indexesInTimeRange } from '../../src/core/model/aggregate';
import { BLOCK_CAPACITY, decodeEvent, encodeBlock, type Column, type EventBlock, type PendingEvent } from '../../src/core/model/block';
import type { LoupeEvent } from '../../src/core/model/event';
import { LoupeDB, createCase, listEvidence, scanBlocks, writeBlocks } from '../../src/store';
import type { IngestSource } from '../../src/workers/contract';
import { IngestService } from '../../src/workers/ingest-service';
import { QueryService } from '../../src/workers/query-service';
import { BENCH_SPAN_MS, BENCH_START, EventGenerator } from '../generate';
import { timeLayouts, type LayoutTiming } from './layouts.bench';

/** As the ingest worker writes (src/workers/ingest-service.ts). */
const BLOCKS_PER_TRANSACTION = 8;

export interface StoreRequest {
  readonly events: number;
  readonly seed: number;
  readonly run: number;
}

export interface StoreResult {
  readonly kind: 'store';
  readonly events: number;
  readonly blocks: number;
  /** Sum of the raw line lengths (ASCII: bytes). */
  readonly rawBytes: number;
  /** What the blocks hold: typed array bytes plus string lengths. */
  readonly blockBytes: number;
  readonly generateMs: number;
  readonly encodeMs: number;
  readonly insertMs: number;
  /** structuredClone of every block, one at a time: the serialization IndexedDB must do at least. */
  readonly cloneMs: number;
  /** Reference layout: the same blocks written whole, one record per block, 8 per transaction. */
  readonly wholeBlockInsertMs: number;
  readonly rangeMs: number;
  readonly rangeEvents: number;
  readonly rangeBlocksRead: number;
  readonly groupByIpMs: number;
  readonly ipGroups: number;
  readonly ipTotal: number;
  readonly topIp: string;
  readonly topIpCount: number;
  readonly groupByHostMs: number;
  readonly hostGroups: number;
  readonly hostTotal: number;
  readonly timelineOpenMs: number;
  readonly timelineTotal: number;
  readonly timelineRowsMs: number;
  readonly timelineRows: number;
  /** Rows came back in time order and from the middle of the range. */
  readonly timelineRowsOrdered: boolean;
}

export interface IngestRequest {
  /** Absolute URL of the served file. */
  readonly url: string;
  /** The evidence path the file is given (decides the format and role). */
  readonly path: string;
  readonly bytes: number;
  readonly lastModified: number;
  readonly run: number;
}

export interface IngestBenchResult {
  readonly kind: 'ingest';
  readonly bytes: number;
  readonly ms: number;
  readonly events: number;
  readonly status: string;
  readonly format: string;
  readonly lines: number;
  readonly parsed: number;
  readonly unparsed: number;
  readonly datasets: Readonly<Record<string, number>>;
  readonly errors: readonly string[];
  /** Breakdown, after the timed ingest: fetch and read the body to its end, nothing else. */
  readonly fetchMs: number;
  /** fetch + the core's parse and block encoding (ingestEvidence, as the service calls it), no hash, no store. */
  readonly parseMs: number;
  readonly parseEvents: number;
}

export interface LayoutsResult {
  readonly kind: 'layouts';
  readonly events: number;
  readonly timings: readonly LayoutTiming[];
}

export interface BenchWorkerApi {
  store(request: StoreRequest, log: (text: string) => void): Promise<StoreResult>;
  layouts(request: StoreRequest, log: (text: string) => void): Promise<LayoutsResult>;
  ingest(request: IngestRequest, log: (text: string) => void): Promise<IngestBenchResult>;
}

/** One record per whole block (columns inline) in a database of its own; returns the insert ms. */
async function insertWholeBlocks(name: string, blocks: readonly EventBlock[]): Promise<number> {
  await Dexie.delete(name);
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' }) as Dexie & { blocks: Table<EventBlock, number> };
  db.version(1).stores({ blocks: 'blockId' });
  await db.open();
  try {
    const t = performance.now();
    for (let i = 0; i < blocks.length; i += BLOCKS_PER_TRANSACTION) {
      const batch = blocks.slice(i, i + BLOCKS_PER_TRANSACTION);
      await db.transaction('rw', db.blocks, () => db.blocks.bulkAdd(batch));
    }
    return performance.now() - t;
  } finally {
    db.close();
    await Dexie.delete(name);
  }
}

async function* bodyChunks(url: string): AsyncGenerator<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`fetch ${url}: ${response.status}`);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function columnBytes(column: Column): number {
  switch (column.t) {
    case 'str':
    case 'list': {
      let n = column.codes.byteLength;
      for (const value of column.dict) n += value.length;
      return n;
    }
    case 'text': return column.text.length + column.ends.byteLength + column.absent.byteLength;
    case 'ref': return column.starts.byteLength + column.lengths.byteLength;
    case 'num':
    case 'int':
    case 'bool': return column.values.byteLength;
  }
}

function blockBytes(block: EventBlock): number {
  let n = block.timestamps.byteLength + block.lines.byteLength + block.lineCounts.byteLength + block.offsets.byteLength + block.rawEnds.byteLength + block.raw.length;
  for (const key in block.columns) n += key.length + columnBytes(block.columns[key]!);
  return n;
}

async function store(request: StoreRequest, log: (text: string) => void): Promise<StoreResult> {
  const { events, seed, run } = request;
  const name = `loupe-bench-store-${run}`;
  await LoupeDB.delete(name);
  const db = new LoupeDB(name);
  try {
    const kase = await createCase(db, 'store benchmark');
    const generator = new EventGenerator(seed, events);

    // 1. Build every block first (generation and encoding timed apart), then insert them alone.
    log(`generating and encoding ${events} events`);
    const blocks: EventBlock[] = [];
    let generateMs = 0;
    let encodeMs = 0;
    let rawBytes = 0;
    let bytes = 0;
    for (let first = 0; first < events; first += BLOCK_CAPACITY) {
      const n = Math.min(BLOCK_CAPACITY, events - first);
      const t0 = performance.now();
      const pending: PendingEvent[] = new Array<PendingEvent>(n);
      for (let k = 0; k < n; k++) pending[k] = generator.event(first + k);
      const t1 = performance.now();
      const block = encodeBlock(blocks.length, 1, pending);
      const t2 = performance.now();
      generateMs += t1 - t0;
      encodeMs += t2 - t1;
      rawBytes += block.raw.length;
      bytes += blockBytes(block);
      blocks.push(block);
    }
    log(`inserting ${blocks.length} blocks`);
    const t3 = performance.now();
    for (let i = 0; i < blocks.length; i += BLOCKS_PER_TRANSACTION) await writeBlocks(db, kase.id, blocks.slice(i, i + BLOCKS_PER_TRANSACTION));
    const insertMs = performance.now() - t3;
    const blockCount = blocks.length;
    blocks.length = 0;

    // 2. Time range over ~1 % of the events, in the middle, decoded to objects.
    log('time-range query');
    const from = BENCH_START + BENCH_SPAN_MS * 0.495;
    const to = BENCH_START + BENCH_SPAN_MS * 0.505;
    const decoded: LoupeEvent[] = [];
    const t4 = performance.now();
    const rangeBlocksRead = await scanBlocks(db, kase.id, { from, to }, (block) => {
      for (const i of indexesInTimeRange(block, from, to)) decoded.push(decodeEvent(block, i));
    });
    const rangeMs = performance.now() - t4;

    // 3. Group-bys over every event, reading only the one column.
    log('group-by source.ip, host.name');
    const ips = new Map<string, number>();
    const t5 = performance.now();
    await scanBlocks(db, kase.id, { from: -Infinity, to: Infinity, fields: ['source.ip'] }, (block) => countByField(block, 'source.ip', ips));
    const groupByIpMs = performance.now() - t5;
    const hosts = new Map<string, number>();
    const t6 = performance.now();
    await scanBlocks(db, kase.id, { from: -Infinity, to: Infinity, fields: ['host.name'] }, (block) => countByField(block, 'host.name', hosts));
    const groupByHostMs = performance.now() - t6;
    let ipTotal = 0;
    let topIp = '';
    let topIpCount = 0;
    for (const [ip, n] of ips) {
      ipTotal += n;
      if (n > topIpCount) [topIp, topIpCount] = [ip, n];
    }
    let hostTotal = 0;
    for (const n of hosts.values()) hostTotal += n;

    // 4. The timeline: order every event by time, then read 200 rows from the middle.
    log('timeline open, rows');
    const query = new QueryService(() => db);
    const t7 = performance.now();
    const info = await query.open(kase.id);
    const timelineOpenMs = performance.now() - t7;
    const middle = Math.floor(events / 2);
    const t8 = performance.now();
    const rows = await query.rows(middle, 200);
    const timelineRowsMs = performance.now() - t8;
    const ordered = rows.every((row, i) => i === 0 || row.timestamp >= rows[i - 1]!.timestamp)
      && rows.length > 0 && Math.abs(rows[0]!.timestamp - (BENCH_START + BENCH_SPAN_MS / 2)) < BENCH_SPAN_MS * 0.01;

    // 5. Diagnostics for the insert figure, last so they disturb nothing above: the same blocks
    // built again, then serialization alone and the whole-block layout.
    log('structuredClone, whole-block reference insert');
    const again = new EventGenerator(seed, events);
    for (let first = 0; first < events; first += BLOCK_CAPACITY) {
      const n = Math.min(BLOCK_CAPACITY, events - first);
      const pending: PendingEvent[] = new Array<PendingEvent>(n);
      for (let k = 0; k < n; k++) pending[k] = again.event(first + k);
      blocks.push(encodeBlock(blocks.length, 1, pending));
    }
    let cloneMs = 0;
    for (const block of blocks) {
      const t = performance.now();
      structuredClone(block);
      cloneMs += performance.now() - t;
    }
    const wholeBlockInsertMs = await insertWholeBlocks(`loupe-bench-whole-${run}`, blocks);
    blocks.length = 0;

    return {
      kind: 'store', events, blocks: blockCount, rawBytes, blockBytes: bytes,
      generateMs, encodeMs, insertMs, cloneMs, wholeBlockInsertMs,
      rangeMs, rangeEvents: decoded.length, rangeBlocksRead,
      groupByIpMs, ipGroups: ips.size, ipTotal, topIp, topIpCount,
      groupByHostMs, hostGroups: hosts.size, hostTotal,
      timelineOpenMs, timelineTotal: info.total, timelineRowsMs, timelineRows: rows.length, timelineRowsOrdered: ordered,
    };
  } finally {
    db.close();
  }
}

async function ingest(request: IngestRequest, log: (text: string) => void): Promise<IngestBenchResult> {
  const name = `loupe-bench-ingest-${request.run}`;
  await LoupeDB.delete(name);
  const db = new LoupeDB(name);
  try {
    const kase = await createCase(db, 'ingest benchmark');
    const service = new IngestService(() => db);
    const source: IngestSource = { kind: 'url', url: request.url, path: request.path, bytes: request.bytes, lastModified: request.lastModified };
    log(`ingesting ${request.path} (${request.bytes} bytes)`);
    let lastLog = 0;
    const t0 = performance.now();
    const result = await service.ingest(kase.id, [source], (progress) => {
      if (progress.elapsedMs - lastLog >= 5000) {
        lastLog = progress.elapsedMs;
        log(`  ${(progress.bytesDone / 1e6).toFixed(0)} MB, ${progress.events} events`);
      }
    });
    const ms = performance.now() - t0;
    const [evidence] = await listEvidence(db, kase.id);
    const outcome = result.files[0];

    log('breakdown: fetch only, fetch + parse + encode');
    const t1 = performance.now();
    for await (const chunk of bodyChunks(request.url)) void chunk;
    const fetchMs = performance.now() - t1;
    let nextBlockId = 0;
    let parseEvents = 0;
    const t2 = performance.now();
    await ingestEvidence(bodyChunks(request.url), { path: request.path, referenceTime: request.lastModified, fileId: 1, duplicates: new HashedDuplicateIndex() }, {
      nextBlockId: () => nextBlockId++,
      writeBlock: (block) => { parseEvents += block.count; },
    });
    const parseMs = performance.now() - t2;
    return {
      kind: 'ingest', bytes: request.bytes, ms, events: result.events,
      status: outcome?.status ?? 'missing', format: evidence?.format ?? '',
      lines: evidence?.lines ?? 0, parsed: evidence?.parsed ?? 0, unparsed: evidence?.unparsed ?? 0,
      datasets: evidence?.datasets ?? {}, errors: outcome?.errors ?? [],
      fetchMs, parseMs, parseEvents,
    };
  } finally {
    db.close();
  }
}

/** The same blocks as the store bench, written in each layout of layouts.bench.ts. */
async function layouts(request: StoreRequest, log: (text: string) => void): Promise<LayoutsResult> {
  const generator = new EventGenerator(request.seed, request.events);
  const blocks: EventBlock[] = [];
  for (let first = 0; first < request.events; first += BLOCK_CAPACITY) {
    const n = Math.min(BLOCK_CAPACITY, request.events - first);
    const pending: PendingEvent[] = new Array<PendingEvent>(n);
    for (let k = 0; k < n; k++) pending[k] = generator.event(first + k);
    blocks.push(encodeBlock(blocks.length, 1, pending));
  }
  return { kind: 'layouts', events: request.events, timings: await timeLayouts(blocks, BLOCKS_PER_TRANSACTION, request.run, log) };
}

const api: BenchWorkerApi = { store, ingest, layouts };
Comlink.expose(api);
