import { sortByTime } from '../core/model/time-order';
import { blockWithoutCore, columnValue, decodeEvent, rawText, splitEventId, BLOCK_CAPACITY, type BlockSummary, type Column, type EventBlock } from '../core/model/block';
import { Field, fieldAsString, UNPARSED_DATASET } from '../core/model/event';
import { summarizeEvent, summaryFields } from '../core/model/summary';
import { compileQuery, countKept, niceBinWidth, QuerySyntaxError, topCounts, valueCodes, type CompiledQuery } from '../core/query';
import { type BlockIndexRecord, type EventReference, type LoupeDB, duplicatesOf, loadBlockCores, loadBlockIndex, loadBlockIndexAfter, loadBlocks, loadFieldColumns } from '../store';
import type { EventDetail, Facet, FilterOutcome, FilterSpec, Histogram, HistogramRequest, QueryApi, TimelineInfo, TimelineRow } from './contract';

const BLOCK_CACHE_SIZE = 256;
const CORE_CACHE_SIZE = 256;
/** Field columns kept in memory for filters and facets (a block's column is a few KB of codes). */
const COLUMN_CACHE_SIZE = 8192;
/** Blocks read from the store per round trip while filtering. */
const SCAN_BATCH = 64;
/** Rows whose blocks are read as soon as the case is opened (the table's first page and its read-ahead). */
const READ_AHEAD_ROWS = 400;
/** Rows read ahead when a filter built a new view (the table's PAGE_SIZE: about a screen and a half). */
const FIRST_PAGE_ROWS = 60;
/** A page of rows spread over more blocks than this is read column by column (see rowBlocks). */
const SPARSE_BLOCKS = 8;

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
  /** Block reads under way, by block id. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Block cores (times, lines, raw text; no field columns) read for partial blocks. */
  private readonly coreCache = new Map<number, EventBlock>();
  private cacheEpoch = 0;
  /** Position in the view of each global event index (-1 when filtered out); built on demand. */
  private positions: Int32Array | undefined;
  private summaries: BlockSummary[] = [];
  private ordinalOfBlock = new Map<number, number>();
  private readonly columnCache = new Map<string, Column | null>();
  /** Column and core reads under way, so concurrent callers share one read. */
  private readonly columnsInFlight = new Map<string, Promise<void>>();
  private readonly coresInFlight = new Map<number, Promise<EventBlock | undefined>>();
  /** The extra columns the table last asked rows with (the warm-up after a filter asks the same). */
  private lastColumns: readonly string[] = [];
  private spec: FilterSpec = { query: '' };
  private compiled: CompiledQuery | undefined;
  /** One byte per global event index: 1 when the query keeps it; undefined = the query keeps all. */
  private queryMask: Uint8Array | undefined;
  /** The view: global event indexes in time order that the query and the time range keep. */
  private view = new Uint32Array(0);

  constructor(private readonly db: () => LoupeDB) {}

  private timestamps = new Float64Array(0);
  private hosts = new Set<string>();
  private datasets = new Set<string>();
  private tsMin = Infinity;
  private tsMax = -Infinity;
  /**
   * Calls that replace the view (open, refresh, filter), counted when they arrive: a facet or bin
   * scan still running for the old view stops at its next batch, so the new view is not queued
   * behind it (a pivot clicked while the facets of the last filter were counted waited ~1 s).
   */
  private viewRequests = 0;
  /** open/refresh calls run one after the other, so an older one never overwrites a newer order. */
  private queue: Promise<unknown> = Promise.resolve();

  open(caseId: string): Promise<TimelineInfo> {
    this.viewRequests++;
    return this.serialized(() => this.openNow(caseId));
  }

  openLatest(): Promise<TimelineInfo | undefined> {
    this.viewRequests++;
    return this.serialized(async () => {
      // The same case as the window's currentCase(): the newest.
      const latest = await this.db().cases.orderBy('createdAt').last();
      return latest === undefined ? undefined : this.openNow(latest.id);
    });
  }

  private async openNow(caseId: string): Promise<TimelineInfo> {
    {
      // A full open may follow a re-timing of stored blocks: cached blocks and columns would show old times.
      this.clearCaches();
      this.caseId = caseId;
      this.reset();
      this.append(await loadBlockIndex(this.db(), caseId));
      await this.applyFilter();
      this.readAhead();
      return this.info();
    }
  }

  refresh(caseId: string): Promise<TimelineInfo> {
    this.viewRequests++;
    return this.serialized(async () => {
      if (caseId !== this.caseId) {
        this.caseId = caseId;
        this.clearCaches();
        this.reset();
      }
      const last = this.blockIds.length > 0 ? this.blockIds[this.blockIds.length - 1]! : -1;
      const fresh = await loadBlockIndexAfter(this.db(), caseId, last);
      this.append(fresh);
      if (fresh.length > 0) await this.applyFilter();
      return this.info();
    });
  }

  private clearCaches(): void {
    this.cache.clear();
    this.columnCache.clear();
    this.columnsInFlight.clear();
    this.coresInFlight.clear();
    this.inFlight.clear();
    this.coreCache.clear();
    this.cacheEpoch++;
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
    this.summaries = [];
    this.ordinalOfBlock = new Map();
    this.queryMask = undefined;
    this.view = new Uint32Array(0);
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
      this.summaries[ordinal] = { blockId: row.blockId, fileId: row.fileId, count: row.count, tsMin: row.tsMin, tsMax: row.tsMax, hosts: row.hosts, datasets: row.datasets };
      this.ordinalOfBlock.set(row.blockId, ordinal);
      timestamps.set(row.timestamps.subarray(0, row.count), at);
      at += row.count;
      for (const h of row.hosts) this.hosts.add(h);
      for (const d of row.datasets) this.datasets.add(d);
      if (row.tsMin < this.tsMin) this.tsMin = row.tsMin;
      if (row.tsMax > this.tsMax) this.tsMax = row.tsMax;
    });
    const fresh = sortByTime(timestamps, oldTotal, total);
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
    this.view = order;
  }

  /** Starts reading the blocks of the view's first rows, so they are at hand when the table asks (not awaited). */
  private readAhead(): void {
    const blocks = new Set<number>();
    for (let p = 0; p < Math.min(this.view.length, READ_AHEAD_ROWS); p++) blocks.add(this.blockIds[this.locate(this.view[p]!)[0]]!);
    this.ensureBlocks([...blocks]).catch(() => undefined);
  }

  private info(): TimelineInfo {
    const total = this.order.length;
    return {
      caseId: this.caseId,
      total,
      matched: this.view.length,
      tsMin: total > 0 ? this.tsMin : NaN,
      tsMax: total > 0 ? this.tsMax : NaN,
      hosts: [...this.hosts].sort(),
      datasets: [...this.datasets].sort(),
    };
  }

  async rows(start: number, count: number, columns: readonly string[] = []): Promise<TimelineRow[]> {
    this.lastColumns = columns;
    const end = Math.min(this.view.length, start + count);
    const ids: number[] = [];
    for (let p = Math.max(0, start); p < end; p++) {
      const [ordinal, index] = this.locate(this.view[p]!);
      ids.push(this.blockIds[ordinal]! * BLOCK_CAPACITY + index);
    }
    const rows = await this.rowsOf(ids, columns, false, Math.max(0, start));
    return rows.map((row, i) => row ?? { position: start + i, id: -1, timestamp: NaN, host: '', dataset: '', summary: '(no longer stored)', unparsed: true });
  }

  async rowsById(ids: readonly number[]): Promise<(TimelineRow | undefined)[]> {
    return this.rowsOf(ids, [], true);
  }

  /** Rows for event ids; positions in the view when `lookUp`, else consecutive from `first`. */
  private async rowsOf(ids: readonly number[], columns: readonly string[], lookUp = false, first = -1): Promise<(TimelineRow | undefined)[]> {
    const blockIds = [...new Set(ids.map((id) => splitEventId(id)[0]))];
    const uncached = blockIds.filter((id) => !this.cache.has(id));
    // A sparse view (a pivot: 346 rows over every block) would read nearly every whole block for
    // one page; read only the columns its rows show instead.
    const sparse = uncached.length > SPARSE_BLOCKS ? await this.rowBlocks(ids, uncached, columns) : undefined;
    if (sparse === undefined) await this.ensureBlocks(blockIds);
    return Promise.all(ids.map(async (id, i) => {
      const [blockId, index] = splitEventId(id);
      const block = this.cache.get(blockId) ?? sparse?.get(blockId);
      // Removed since the order was built (a cancelled file); the next open() drops it.
      if (block === undefined || index >= block.count) return undefined;
      const fields = decodeEvent(block, index).fields;
      const dataset = fieldAsString(fields[Field.dataset]) ?? '';
      return {
        position: lookUp ? await this.positionOf(id) : first + i,
        id,
        timestamp: block.timestamps[index]!,
        host: fieldAsString(fields[Field.host]) ?? '',
        dataset,
        summary: dataset === UNPARSED_DATASET ? clipRow(rawText(block, index)) : summarizeEvent(fields),
        unparsed: dataset === UNPARSED_DATASET,
        ...(columns.length > 0 ? { values: columns.map((c) => fieldAsString(fields[c]) ?? '') } : {}),
      };
    }));
  }

  /**
   * Blocks holding just what rows of these events show (host, dataset, the summary's fields, the
   * extra columns; raw lines only where a row needs them), from the column cache where possible.
   */
  private async rowBlocks(ids: readonly number[], blockIds: readonly number[], columns: readonly string[]): Promise<Map<number, EventBlock>> {
    const ordinals = blockIds.flatMap((id) => { const o = this.ordinalOfBlock.get(id); return o !== undefined ? [o] : []; });
    const base = await this.partialBlocks(ordinals, [Field.dataset, Field.host], false);
    const rowsIn = new Map<number, number[]>();
    for (const id of ids) {
      const [blockId, index] = splitEventId(id);
      rowsIn.set(blockId, [...(rowsIn.get(blockId) ?? []), index]);
    }
    // What each block's rows show; then one read of the columns not cached and one of the cores
    // (a page of a pivot spans dozens of blocks: read group by group, it took ~100 ms).
    const wanted: { ordinal: number; fields: string[]; withRaw: boolean }[] = [];
    base.forEach((block, b) => {
      if (block === undefined) return;
      const fields = new Set<string>([Field.dataset, Field.host, ...columns]);
      let withRaw = false;
      for (const index of rowsIn.get(block.blockId) ?? []) {
        const column = block.columns[Field.dataset];
        const dataset = (column !== undefined ? fieldAsString(columnValue(column, index, () => rawText(block, index))) : undefined) ?? '';
        if (dataset === UNPARSED_DATASET) withRaw = true;
        else for (const f of summaryFields(dataset)) fields.add(f);
      }
      wanted.push({ ordinal: ordinals[b]!, fields: [...fields], withRaw });
    });
    await this.loadColumnsOnce(wanted.flatMap(({ ordinal, fields }) => fields.map((f) => [this.blockIds[ordinal]!, f] as const)));
    const needsCore = ({ ordinal, fields, withRaw }: (typeof wanted)[number]) => withRaw || fields.some((f) => this.columnCache.get(`${this.blockIds[ordinal]!}:${f}`)?.t === 'ref');
    const coreOf = await this.coresOnce(wanted.filter(needsCore).map(({ ordinal }) => this.blockIds[ordinal]!));
    const out = new Map<number, EventBlock>();
    for (const w of wanted) {
      const block = this.assemble(w.ordinal, w.fields, needsCore(w), coreOf);
      if (block !== undefined) out.set(block.blockId, block);
    }
    return out;
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
    const [blockId, index] = splitEventId(id);
    const ordinal = this.ordinalOfBlock.get(blockId);
    if (ordinal === undefined) return -1;
    const global = this.blockStarts[ordinal]! + index;
    // The view is in (timestamp, global index) order (sortByTime is stable and the merge keeps
    // older, lower indexes first on ties): a binary search finds the event without the 4 MB map.
    const view = this.view;
    const timestamps = this.timestamps;
    const t = timestamps[global]!;
    let lo = 0;
    let hi = view.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = view[mid]!;
      const u = timestamps[other]!;
      if (u < t || (u === t && other < global)) lo = mid + 1;
      else hi = mid;
    }
    if (lo < view.length && view[lo] === global) return lo;
    // Not there, or an order this search does not know: the map of every position says for sure.
    if (this.positions === undefined) {
      const positions = new Int32Array(this.timestamps.length).fill(-1);
      this.view.forEach((global, position) => { positions[global] = position; });
      this.positions = positions;
    }
    return this.positions[this.blockStarts[ordinal]! + index] ?? -1;
  }

  async filter(spec: FilterSpec, keep?: number): Promise<FilterOutcome> {
    this.viewRequests++;
    return this.serialized(async () => {
      const started = performance.now();
      let compiled: CompiledQuery | undefined;
      try {
        compiled = spec.query.trim() === '' ? undefined : compileQuery(spec.query);
      } catch (error) {
        if (error instanceof QuerySyntaxError) return { ok: false, error: error.message, start: error.span.start, end: error.span.end };
        throw error;
      }
      const queryChanged = spec.query !== this.spec.query;
      this.spec = spec;
      this.compiled = compiled;
      const counts = await this.applyFilter(queryChanged);
      const position = keep !== undefined ? await this.positionOf(keep) : -1;
      // The table asks for the rows it shows (the first, or those around `keep`) as soon as it has
      // the outcome: start their reads now (a pivot's page spreads over dozens of blocks), so they
      // overlap the reply and the render.
      const first = position >= 0 ? Math.max(0, position - FIRST_PAGE_ROWS / 2) : 0;
      if (this.view.length > 0) this.rows(first, FIRST_PAGE_ROWS, this.lastColumns).catch(() => undefined);
      return { ok: true, matched: this.view.length, total: this.order.length, ...counts, elapsedMs: performance.now() - started, position };
    });
  }

  /** Rebuilds the query mask (when the query or the blocks changed) and the view. */
  private async applyFilter(queryChanged = true): Promise<{ blocksRead: number; blocksSkipped: number }> {
    let blocksRead = 0;
    let blocksSkipped = 0;
    const compiled = this.compiled;
    if (compiled === undefined) this.queryMask = undefined;
    else if (queryChanged || this.queryMask === undefined || this.queryMask.length !== this.timestamps.length) {
      const mask = new Uint8Array(this.timestamps.length);
      const wanted: number[] = [];
      this.summaries.forEach((summary, ordinal) => {
        if (compiled.mayMatch(summary)) wanted.push(ordinal);
        else blocksSkipped++;
      });
      for (let i = 0; i < wanted.length; i += SCAN_BATCH) {
        const ordinals = wanted.slice(i, i + SCAN_BATCH);
        const blocks = await this.partialBlocks(ordinals, compiled.fields, compiled.needsRaw);
        blocks.forEach((block, b) => {
          if (block === undefined) return;
          mask.set(compiled.evaluate(block), this.blockStarts[ordinals[b]!]!);
        });
        blocksRead += ordinals.length;
      }
      this.queryMask = mask;
    }
    const { from, to } = this.spec;
    const mask = this.queryMask;
    const timestamps = this.timestamps;
    if (mask === undefined && from === undefined && to === undefined) this.view = this.order;
    else {
      const lo = from ?? -Infinity;
      const hi = to ?? Infinity;
      const order = this.order;
      const length = order.length;
      const view = new Uint32Array(length);
      let n = 0;
      // Indexed loops, the common case (a query, no range) without the time test: over 1M events
      // the for-of loop with both tests took 12-25 ms, this one 4-5.
      if (mask !== undefined && from === undefined && to === undefined) {
        for (let i = 0; i < length; i++) {
          const global = order[i]!;
          if (mask[global] === 1) view[n++] = global;
        }
      } else {
        for (let i = 0; i < length; i++) {
          const global = order[i]!;
          const t = timestamps[global]!;
          if ((mask === undefined || mask[global] === 1) && t >= lo && t <= hi) view[n++] = global;
        }
      }
      this.view = view.slice(0, n);
    }
    this.positions = undefined;
    return { blocksRead, blocksSkipped };
  }

  /** Blocks holding only `fields` (and the raw lines when asked), from the column cache where possible. */
  private async partialBlocks(ordinals: readonly number[], fields: readonly string[], withRaw: boolean): Promise<(EventBlock | undefined)[]> {
    const ids = ordinals.map((o) => this.blockIds[o]!);
    await this.loadColumnsOnce(ids.flatMap((id) => fields.map((f) => [id, f] as const)));
    // Columns kept as positions in the raw lines need the lines too.
    const needsCore = (id: number) => withRaw || fields.some((f) => this.columnCache.get(`${id}:${f}`)?.t === 'ref');
    const coreOf = await this.coresOnce(ids.filter(needsCore));
    return ordinals.map((ordinal, b) => this.assemble(ordinal, fields, needsCore(ids[b]!), coreOf));
  }

  /** A block of these cached columns over its core, or over the index's timestamps when it needs no core. */
  private assemble(ordinal: number, fields: readonly string[], needsCore: boolean, coreOf: ReadonlyMap<number, EventBlock>): EventBlock | undefined {
    const id = this.blockIds[ordinal]!;
    const summary = this.summaries[ordinal]!;
    const columns: Record<string, Column> = {};
    for (const f of fields) {
      const column = this.columnCache.get(`${id}:${f}`);
      if (column !== undefined && column !== null) columns[f] = column;
    }
    const core = coreOf.get(id);
    if (core !== undefined) return { ...core, columns };
    // Removed since the order was built (a cancelled file).
    if (needsCore) return undefined;
    const start = this.blockStarts[ordinal]!;
    return blockWithoutCore(summary, this.timestamps.subarray(start, start + summary.count), columns);
  }

  /**
   * Reads these (block, field) columns into the column cache, unless cached or already being read:
   * a warm-up (the first page after a filter) and the table's own request then share reads.
   */
  private async loadColumnsOnce(pairs: readonly (readonly [blockId: number, field: string])[]): Promise<void> {
    const waiting = new Set<Promise<void>>();
    const missing: (readonly [number, string])[] = [];
    const seen = new Set<string>();
    for (const pair of pairs) {
      const key = `${pair[0]}:${pair[1]}`;
      if (this.columnCache.has(key) || seen.has(key)) continue;
      seen.add(key);
      const pending = this.columnsInFlight.get(key);
      if (pending !== undefined) waiting.add(pending);
      else missing.push(pair);
    }
    if (missing.length > 0) {
      const epoch = this.cacheEpoch;
      const load = loadFieldColumns(this.db(), this.caseId, missing).then((loaded) => {
        if (epoch !== this.cacheEpoch) return;
        missing.forEach(([id, f], k) => this.columnCache.set(`${id}:${f}`, loaded[k] ?? null));
        while (this.columnCache.size > COLUMN_CACHE_SIZE) this.columnCache.delete(this.columnCache.keys().next().value!);
      }).finally(() => {
        for (const [id, f] of missing) if (this.columnsInFlight.get(`${id}:${f}`) === load) this.columnsInFlight.delete(`${id}:${f}`);
      });
      for (const [id, f] of missing) this.columnsInFlight.set(`${id}:${f}`, load);
      waiting.add(load);
    }
    await Promise.all(waiting);
  }

  /** Block cores (raw lines, evidence positions) of these blocks: cached, being read, or read now. */
  private async coresOnce(ids: readonly number[]): Promise<Map<number, EventBlock>> {
    const out = new Map<number, EventBlock>();
    const waiting: Promise<void>[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const cached = this.cache.get(id) ?? this.coreCache.get(id);
      if (cached !== undefined) out.set(id, cached);
      else {
        const pending = this.coresInFlight.get(id);
        if (pending !== undefined) waiting.push(pending.then((core) => { if (core !== undefined) out.set(id, core); }));
        else missing.push(id);
      }
    }
    if (missing.length > 0) {
      const epoch = this.cacheEpoch;
      const load = loadBlockCores(this.db(), this.caseId, missing);
      missing.forEach((id, k) => {
        const one = load.then((cores) => cores[k]);
        this.coresInFlight.set(id, one);
        waiting.push(one.then((core) => {
          if (core === undefined) return;
          out.set(id, core);
          // Kept: the rows of a sparse view read the same cores again as it scrolls or is pivoted on.
          if (epoch === this.cacheEpoch) this.coreCache.set(id, core);
        }));
      });
      void load.finally(() => { for (const id of missing) this.coresInFlight.delete(id); }).catch(() => undefined);
    }
    await Promise.all(waiting);
    while (this.coreCache.size > CORE_CACHE_SIZE) this.coreCache.delete(this.coreCache.keys().next().value!);
    return out;
  }

  /** The view as one byte per global event index (undefined when it keeps everything). */
  private viewMask(): Uint8Array | undefined {
    if (this.view === this.order) return undefined;
    const mask = new Uint8Array(this.timestamps.length);
    for (const global of this.view) mask[global] = 1;
    return mask;
  }

  async facets(fields: readonly string[], limit: number): Promise<Facet[] | undefined> {
    const asked = this.viewRequests;
    return this.serialized(async () => {
      if (asked !== this.viewRequests) return undefined;
      const keep = this.viewMask();
      const counts = fields.map(() => new Map<string, number>());
      const ordinals = this.summaries.map((_, o) => o).filter((o) => keep === undefined || keep.subarray(this.blockStarts[o]!, this.blockStarts[o]! + this.summaries[o]!.count).includes(1));
      for (let i = 0; i < ordinals.length; i += SCAN_BATCH) {
        const batch = ordinals.slice(i, i + SCAN_BATCH);
        const blocks = await this.partialBlocks(batch, fields, false);
        if (asked !== this.viewRequests) return undefined;
        blocks.forEach((block, b) => {
          if (block === undefined) return;
          const start = this.blockStarts[batch[b]!]!;
          fields.forEach((field, f) => {
            const column = block.columns[field];
            if (column !== undefined) countKept(column, block.count, keep, start, counts[f]!, (k) => rawText(block, k));
          });
        });
      }
      return fields.map((field, f) => ({ field, ...topCounts(counts[f]!, limit) }));
    });
  }

  async histogram(request: HistogramRequest): Promise<Histogram | undefined> {
    const asked = this.viewRequests;
    return this.serialized(async () => {
      if (asked !== this.viewRequests) return undefined;
      const span = Math.max(1, request.to - request.from);
      const binMs = niceBinWidth(span, request.maxBins);
      const from = Math.floor(request.from / binMs) * binMs;
      const bins = Math.max(1, Math.ceil((request.to - from + 1) / binMs));
      const names: string[] = [];
      const codeOf = new Map<string, number>();
      const code = (value: string) => {
        let c = codeOf.get(value);
        if (c === undefined) {
          c = names.length;
          names.push(value);
          codeOf.set(value, c);
        }
        return c;
      };
      const absent = code('(none)');
      const perSeries: Float64Array[] = [];
      const mask = this.queryMask;
      const wanted = this.summaries.map((_, o) => o).filter((o) => this.summaries[o]!.tsMax >= from && this.summaries[o]!.tsMin <= request.to);
      for (let i = 0; i < wanted.length; i += SCAN_BATCH) {
        const batch = wanted.slice(i, i + SCAN_BATCH);
        const blocks = await this.partialBlocks(batch, [request.stackBy], false);
        if (asked !== this.viewRequests) return undefined;
        blocks.forEach((block, b) => {
          if (block === undefined) return;
          const start = this.blockStarts[batch[b]!]!;
          const codes = valueCodes(this.columnCache.get(`${block.blockId}:${request.stackBy}`) ?? undefined, block.count, code, absent);
          for (let k = 0; k < block.count; k++) {
            if (mask !== undefined && mask[start + k] !== 1) continue;
            const t = block.timestamps[k]!;
            if (t < from || t > request.to) continue;
            const series = codes[k]!;
            const counts = (perSeries[series] ??= new Float64Array(bins));
            counts[Math.min(bins - 1, Math.floor((t - from) / binMs))]!++;
          }
        });
      }
      const totals = names.map((name, c) => ({ name, counts: perSeries[c], total: perSeries[c]?.reduce((a, n) => a + n, 0) ?? 0 })).filter((s) => s.total > 0);
      totals.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
      const kept = totals.slice(0, request.maxSeries);
      const rest = totals.slice(request.maxSeries);
      const series = kept.map((s) => ({ name: s.name, counts: [...s.counts!] }));
      if (rest.length > 0) {
        const other = new Array<number>(bins).fill(0);
        for (const s of rest) s.counts!.forEach((n, i) => { other[i]! += n; });
        series.push({ name: `other (${rest.length})`, counts: other });
      }
      return { from, binMs, bins, series };
    });
  }

  async prefetch(fields: readonly string[]): Promise<void> {
    return this.serialized(async () => {
      const ordinals = this.summaries.map((_, o) => o);
      for (let i = 0; i < ordinals.length; i += SCAN_BATCH) await this.partialBlocks(ordinals.slice(i, i + SCAN_BATCH), fields, false);
    });
  }

  async eventReferences(ids: readonly number[]): Promise<(EventReference | undefined)[]> {
    await this.ensureBlocks(ids.map((id) => splitEventId(id)[0]));
    const fileIds = new Set<number>();
    for (const id of ids) {
      const block = this.cache.get(splitEventId(id)[0]);
      if (block !== undefined) fileIds.add(block.fileId);
    }
    const evidence = new Map((await this.db().evidence.bulkGet([...fileIds])).flatMap((e) => (e?.id !== undefined ? [[e.id, e] as const] : [])));
    return ids.map((id) => {
      const [blockId, index] = splitEventId(id);
      const block = this.cache.get(blockId);
      const file = block !== undefined ? evidence.get(block.fileId) : undefined;
      if (block === undefined || file === undefined || index >= block.count) return undefined;
      return { sha256: file.sha256, path: file.path, line: block.lines[index]!, timestamp: block.timestamps[index]! };
    });
  }

  async resolveReferences(refs: readonly EventReference[]): Promise<(number | undefined)[]> {
    const evidence = await this.db().evidence.where('caseId').equals(this.caseId).toArray();
    const out: (number | undefined)[] = [];
    for (const ref of refs) {
      const file = evidence.find((e) => e.sha256 === ref.sha256 && e.path === ref.path) ?? evidence.find((e) => e.sha256 === ref.sha256);
      let found: number | undefined;
      if (file?.id !== undefined) {
        const ordinals = this.summaries.map((_, o) => o).filter((o) => this.summaries[o]!.fileId === file.id && this.summaries[o]!.tsMin <= ref.timestamp && this.summaries[o]!.tsMax >= ref.timestamp);
        await this.ensureBlocks(ordinals.map((o) => this.blockIds[o]!));
        for (const o of ordinals) {
          const block = this.cache.get(this.blockIds[o]!);
          const index = block === undefined ? -1 : block.lines.indexOf(ref.line);
          if (block !== undefined && index >= 0) {
            found = block.blockId * BLOCK_CAPACITY + index;
            break;
          }
        }
      }
      out.push(found);
    }
    return out;
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
    const unique = [...new Set(blockIds)].filter((id) => !this.cache.has(id));
    // Blocks already on their way (a read-ahead, another page) are awaited, not read twice.
    const waiting = unique.flatMap((id) => { const p = this.inFlight.get(id); return p !== undefined ? [p] : []; });
    const missing = unique.filter((id) => !this.inFlight.has(id));
    if (missing.length > 0) {
      const epoch = this.cacheEpoch;
      const load = loadBlocks(this.db(), this.caseId, missing).then((blocks) => {
        // The cache was emptied meanwhile (another case, re-timed blocks): these may be stale.
        if (epoch !== this.cacheEpoch) return;
        blocks.forEach((block, i) => {
          if (block !== undefined) this.cache.set(missing[i]!, block);
        });
        // Least recently loaded first out.
        while (this.cache.size > BLOCK_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      }).finally(() => { for (const id of missing) if (this.inFlight.get(id) === load) this.inFlight.delete(id); });
      for (const id of missing) this.inFlight.set(id, load);
      waiting.push(load);
    }
    await Promise.all(waiting);
  }
}


/**
 * An unparsed line as a row's summary: cut as summarizeEvent cuts (a row shows ~150 characters, and
 * a 40 kB line would be shaped whole each time its row is drawn); the detail pane has it all.
 */
function clipRow(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
