import { decodeEvent, rawText, splitEventId, BLOCK_CAPACITY, type EventBlock } from '../core/model/block';
import { Field, fieldAsString, UNPARSED_DATASET } from '../core/model/event';
import { summarizeEvent } from '../core/model/summary';
import { type LoupeDB, loadBlockIndex, loadBlocks } from '../store';
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

  async open(caseId: string): Promise<TimelineInfo> {
    if (caseId !== this.caseId) this.cache.clear();
    this.caseId = caseId;
    this.positions = undefined;
    const index = await loadBlockIndex(this.db(), caseId);
    let total = 0;
    for (const row of index) total += row.count;
    const blockIds = new Float64Array(index.length);
    const blockStarts = new Uint32Array(index.length);
    const timestamps = new Float64Array(total);
    const hosts = new Set<string>();
    const datasets = new Set<string>();
    let tsMin = Infinity;
    let tsMax = -Infinity;
    let at = 0;
    index.forEach((row, ordinal) => {
      blockIds[ordinal] = row.blockId;
      blockStarts[ordinal] = at;
      timestamps.set(row.timestamps.subarray(0, row.count), at);
      at += row.count;
      for (const h of row.hosts) hosts.add(h);
      for (const d of row.datasets) datasets.add(d);
      if (row.tsMin < tsMin) tsMin = row.tsMin;
      if (row.tsMax > tsMax) tsMax = row.tsMax;
    });
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    // Ties keep storage order, which is file order within a file.
    order.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    this.blockIds = blockIds;
    this.blockStarts = blockStarts;
    this.order = order;
    return {
      caseId, total,
      tsMin: total > 0 ? tsMin : NaN,
      tsMax: total > 0 ? tsMax : NaN,
      hosts: [...hosts].sort(),
      datasets: [...datasets].sort(),
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
    const fields = Object.entries(event.fields)
      .map(([name, value]) => [name, fieldAsString(value) ?? ''] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    return {
      id, timestamp: event.timestamp,
      filePath: evidence?.path ?? `file #${block.fileId}`,
      fileSha256: evidence?.sha256 ?? '',
      line: event.line, lineCount: event.lineCount, offset: event.offset,
      raw: event.raw, fields,
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

