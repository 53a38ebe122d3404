import { decodeEvent, rawText, splitEventId, BLOCK_CAPACITY, type EventBlock } from '../core/model/block';
import { Field, fieldAsString, UNPARSED_DATASET } from '../core/model/event';
import { summarizeEvent } from '../core/model/summary';
import { type BlockIndexRecord, type LoupeDB, duplicatesOf, loadBlockIndex, loadBlockIndexAfter, loadBlocks } from '../store';
import type { EventDetail, QueryApi, TimelineInfo, TimelineRow } from './contract';

const BLOCK_CACHE_SIZE = 256;

/**
 * The timeline of a case: every event of every host and source, in UTC order. Ordering uses the
 * timestamps kept in the block index, so no block is read until its rows are shown.
 */
export class QueryService implements QueryApi {
  private caseId = '';
  /** Block id of each block ordinal, and the global index where that block's events start. */
  private blockIds = new Float64Array(0);
  private blockStarts = new Uint32Array(0);
  /** Global event indexes (block start + index in block) in time order. */
  private order = new Uint32Array(0);
  private readonly cache = new Map<number, EventBlock>();
  private positions: Map<number, number> | undefined;

  constructor(private readonly db: () => LoupeDB) {}

  private timestamps = new Float64Array(0);
  private hosts = new Set<string>();
  private datasets = new Set<string>();
  private tsMin = Infinity;
  private tsMax = -Infinity;
  /** open/refresh calls run one after the other, so an older one never overwrites a newer order. */
  private queue: Promise<unknown> = Promise.resolve();

  open(caseId: string): Promise<TimelineInfo> {
    return this.serialized(async () => {
      if (caseId !== this.caseId) this.cache.clear();
      this.caseId = caseId;
      this.reset();
      this.append(await loadBlockIndex(this.db(), caseId));
      return this.info();
    });
  }

  refresh(caseId: string): Promise<TimelineInfo> {
    return this.serialized(async () => {
      if (caseId !== this.caseId) {
        this.caseId = caseId;
        this.cache.clear();
        this.reset();
      }
      const last = this.blockIds.length > 0 ? this.blockIds[this.blockIds.length - 1]! : -1;
      this.append(await loadBlockIndexAfter(this.db(), caseId, last));
      return this.info();
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private reset(): void {
    this.positions = undefined;
    this.blockIds = new Float64Array(0);
    this.blockStarts = new Uint32Array(0);
    this.order = new Uint32Array(0);
    this.timestamps = new Float64Array(0);
    this.hosts = new Set();
    this.datasets = new Set();
    this.tsMin = Infinity;
    this.tsMax = -Infinity;
  }

  /**
   * Adds blocks to the order: the new events are sorted among themselves, then merged with the
   * existing order in one linear pass (ties keep storage order, i.e. file order within a file).
   */
  private append(rows: readonly BlockIndexRecord[]): void {
    if (rows.length === 0) return;
    this.positions = undefined;
    const oldTotal = this.timestamps.length;
    let added = 0;
    for (const row of rows) added += row.count;
    const total = oldTotal + added;
    const timestamps = new Float64Array(total);
    timestamps.set(this.timestamps);
    const blockIds = new Float64Array(this.blockIds.length + rows.length);
    blockIds.set(this.blockIds);
    const blockStarts = new Uint32Array(this.blockStarts.length + rows.length);
    blockStarts.set(this.blockStarts);
    let at = oldTotal;
    rows.forEach((row, i) => {
      const ordinal = this.blockIds.length + i;
      blockIds[ordinal] = row.blockId;
      blockStarts[ordinal] = at;
      timestamps.set(row.timestamps.subarray(0, row.count), at);
      at += row.count;
      for (const h of row.hosts) this.hosts.add(h);
      for (const d of row.datasets) this.datasets.add(d);
      if (row.tsMin < this.tsMin) this.tsMin = row.tsMin;
      if (row.tsMax > this.tsMax) this.tsMax = row.tsMax;
    });
    const fresh = new Uint32Array(added);
    for (let i = 0; i < added; i++) fresh[i] = oldTotal + i;
    fresh.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    const old = this.order;
    const order = new Uint32Array(total);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < fresh.length) {
      const a = old[i]!;
      const b = fresh[j]!;
      order[k++] = timestamps[a]! <= timestamps[b]! ? (i++, a) : (j++, b);
    }
    while (i < old.length) order[k++] = old[i++]!;
    while (j < fresh.length) order[k++] = fresh[j++]!;
    this.timestamps = timestamps;
    this.blockIds = blockIds;
    this.blockStarts = blockStarts;
    this.order = order;
  }

  private info(): TimelineInfo {
    const total = this.order.length;
    return {
      caseId: this.caseId,
      total,
      tsMin: total > 0 ? this.tsMin : NaN,
      tsMax: total > 0 ? this.tsMax : NaN,
      hosts: [...this.hosts].sort(),
      datasets: [...this.datasets].sort(),
    };
  }

  async rows(start: number, count: number): Promise<TimelineRow[]> {
    const end = Math.min(this.order.length, start + count);
    const wanted: [ordinal: number, index: number][] = [];
    for (let p = Math.max(0, start); p < end; p++) wanted.push(this.locate(this.order[p]!));
    await this.ensureBlocks(wanted.map(([ordinal]) => this.blockIds[ordinal]!));
    return wanted.map(([ordinal, index], i) => {
      const blockId = this.blockIds[ordinal]!;
      const block = this.cache.get(blockId);
      if (block === undefined) {
        // Removed since the order was built (a cancelled file); the next open() drops it.
        return { position: start + i, id: -1, timestamp: NaN, host: '', dataset: '', summary: '(no longer stored)', unparsed: true };
      }
      const fields = decodeEvent(block, index).fields;
      const dataset = fieldAsString(fields[Field.dataset]) ?? '';
      return {
        position: start + i,
        id: blockId * BLOCK_CAPACITY + index,
        timestamp: block.timestamps[index]!,
        host: fieldAsString(fields[Field.host]) ?? '',
        dataset,
        summary: dataset === UNPARSED_DATASET ? rawText(block, index) : summarizeEvent(fields),
        unparsed: dataset === UNPARSED_DATASET,
      };
    });
  }

  async event(id: number): Promise<EventDetail | undefined> {
    const [blockId, index] = splitEventId(id);
    await this.ensureBlocks([blockId]);
    const block = this.cache.get(blockId);
    if (block === undefined || index >= block.count) return undefined;
    const event = decodeEvent(block, index);
    const evidence = await this.db().evidence.get(block.fileId);
    const repeats = await duplicatesOf(this.db(), this.caseId, id);
    const otherFiles = await this.db().evidence.bulkGet(repeats.map((r) => r.fileId));
    const fields = Object.entries(event.fields)
      .map(([name, value]) => [name, fieldAsString(value) ?? ''] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    return {
      id, timestamp: event.timestamp,
      filePath: evidence?.path ?? `file #${block.fileId}`,
      fileSha256: evidence?.sha256 ?? '',
      line: event.line, lineCount: event.lineCount, offset: event.offset,
      raw: event.raw, fields,
      alsoIn: repeats.map((r, i) => ({ filePath: otherFiles[i]?.path ?? `file #${r.fileId}`, line: r.line })),
    };
  }

  async positionOf(id: number): Promise<number> {
    if (this.positions === undefined) {
      const positions = new Map<number, number>();
      this.order.forEach((global, position) => {
        const [ordinal, index] = this.locate(global);
        positions.set(this.blockIds[ordinal]! * BLOCK_CAPACITY + index, position);
      });
      this.positions = positions;
    }
    return this.positions.get(id) ?? -1;
  }

  /** Block ordinal and index in block of a global event index (binary search on block starts). */
  private locate(global: number): [number, number] {
    let lo = 0;
    let hi = this.blockStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blockStarts[mid]! <= global) lo = mid;
      else hi = mid - 1;
    }
    return [lo, global - this.blockStarts[lo]!];
  }

  private async ensureBlocks(blockIds: readonly number[]): Promise<void> {
    const missing = [...new Set(blockIds)].filter((id) => !this.cache.has(id));
    if (missing.length === 0) return;
    const blocks = await loadBlocks(this.db(), this.caseId, missing);
    blocks.forEach((block, i) => {
      if (block !== undefined) this.cache.set(missing[i]!, block);
    });
    // Least recently loaded first out.
    while (this.cache.size > BLOCK_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }
}

