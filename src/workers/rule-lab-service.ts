import { DetectionRun, type Finding } from '../core/detect';
import { BLOCK_CAPACITY, columnValue, decodeEvent, rawText, splitEventId, type Column, type EventBlock } from '../core/model/block';
import { Field, fieldAsString, type EventFields, type LoupeEvent } from '../core/model/event';
import { summarizeEvent } from '../core/model/summary';
import { sortByTime } from '../core/model/time-order';
import {
  STATUSES,
  compileRules,
  type BlockColumns,
  type Status,
  draftRule,
  fieldsRead,
  loadRules,
  ruleKey,
  type SigmaDiagnostic,
  type SigmaDocument,
} from '../core/rules';
import { fieldNamesByBlock, findingRecord, loadBlockIndex, loadBlockSummaries, loadBlocks, loadFieldColumns, replaceRuleFindings, type BlockSummaryRecord, type LoupeDB } from '../store';
import type { RuleLabApi, RuleLabDocument, RuleLabEvent, RuleLabGroup, RuleLabRequest, RuleLabRerun, RuleLabResult } from './rule-lab-contract';

const DEFAULT_LIMIT = 50;
/** Events between two yields to the message loop, where a newer test can arrive and cancel this one. */
export const YIELD_EVERY = 32_768;
/** Where the scan first pauses (and sends the first matches it has). */
const FIRST_PAUSE = 4_095;

/** The case's events in time order, with where each lives. */
interface CaseOrder {
  readonly caseId: string;
  /** Block ids and time spans joined: tells whether the case changed since the order was built. */
  readonly signature: string;
  readonly summaries: readonly BlockSummaryRecord[];
  readonly blockStarts: Uint32Array;
  /** Global event indexes (block start + index in block), in time order. */
  readonly order: Uint32Array;
  /** Block ordinal of each global index. */
  readonly ordinalOf: Uint32Array;
}

interface BlockCache {
  core?: EventBlock;
  readonly columns: Map<string, Column | null>;
  /** Every column of the block is in `columns`. */
  complete: boolean;
}

class Cancelled extends Error {}

/** Per block of a scan: which events some detection can match (null: all), and its host column. */
interface BlockSelection {
  readonly selected: Uint8Array | null;
  readonly host: Column | undefined;
}

/** A cached block's selection, from the columns in memory (null ones: the block has none). */
function selectBlock(set: ReturnType<typeof compileRules>, cache: BlockCache, count: number, decoded: ReadonlySet<string> | null): BlockSelection {
  const columns: Record<string, Column> = {};
  for (const [name, column] of cache.columns) if (column !== null) columns[name] = column;
  const block: BlockColumns = { count, columns };
  return { selected: set.candidates(block, decoded), host: decoded === null || decoded.has(Field.host) ? columns[Field.host] : undefined };
}

/**
 * What decides which events match some detection of a rule set: the detection rules it compiled
 * and the meta-filters applied to them, as parsed, without where they sit in the text.
 */
function detectionSignature(set: ReturnType<typeof compileRules>, filters: readonly SigmaDocument[]): string {
  const detections = [...set.rules.filter((r) => r.kind === 'rule').map((r) => r.document), ...filters];
  return JSON.stringify(detections, (key, value: unknown) => (key === 'source' || key === 'loc' || key === 'timeframeLoc' ? undefined : value));
}

const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The statuses detection runs (engine.ts's default policy): a re-run stores what detection would. */
const DETECTION_STATUSES: readonly Status[] = ['stable', 'test', 'experimental'];

/**
 * Runs the rule being edited against the stored case. The case's time order is built once (from
 * the block index); each test then reads only the blocks whose datasets the rules read and, of
 * those, only the field columns the rules read (fieldsRead), kept in memory between keystrokes.
 */
export class RuleLabService implements RuleLabApi {
  private generation = 0;
  private caseOrder: CaseOrder | undefined;
  private blocks = new Map<number, BlockCache>();
  private readonly parsed = new Map<string, SigmaDocument[]>();
  /** Timestamp of each global event index of the current case order. */
  private timestamps = new Float64Array(0);
  /** The last full scan: its detections (detectionSignature), the order positions they matched, the events it read. */
  private matchedLast: { readonly order: CaseOrder; readonly detection: string; readonly positions: Uint32Array; readonly scanned: number } | undefined;

  constructor(
    private readonly db: () => LoupeDB,
    private readonly yieldEvery = YIELD_EVERY,
    /** The pack's data tables (expand placeholders), as detection compiles with them. */
    private readonly placeholders: Readonly<Record<string, readonly string[]>> = {},
  ) {}

  cancel(): void {
    this.generation++;
  }

  async test(request: RuleLabRequest, onFirst?: (partial: RuleLabResult) => void): Promise<RuleLabResult> {
    const generation = ++this.generation;
    const started = performance.now();
    const limit = request.limit ?? DEFAULT_LIMIT;
    const empty = { documents: [], hits: 0, findings: 0, events: [], groups: [], scanned: 0, total: 0 };
    // The analyst is testing this rule: run it whatever its status says (a warning says when detection will not).
    const compiled = this.compile(request, STATUSES);
    if (compiled.status === 'invalid') return { status: 'invalid', errors: compiled.errors, ...empty, elapsedMs: performance.now() - started };
    try {
      // First matches while the scan goes on: sent once, at the first pause with a match.
      const early = onFirst === undefined ? undefined : {
        limit,
        send: async (ids: ReadonlyMap<number, string>, scanned: number, total: number) => {
          const events = await this.describe(request.caseId, ids, limit);
          if (generation !== this.generation) return;
          onFirst({ status: 'partial', errors: compiled.errors, documents: compiled.documents, hits: ids.size, findings: 0, events, groups: [], scanned, total, elapsedMs: performance.now() - started });
        },
      };
      const run = await this.evaluate(request.caseId, compiled, () => generation !== this.generation, early);
      const ids = new Map<number, string>();
      for (const f of run.findings) for (const id of f.eventIds) if (!ids.has(id)) ids.set(id, f.ruleId);
      const groups: RuleLabGroup[] = run.findings
        .filter((f) => f.kind === 'correlation')
        .sort((x, y) => x.first - y.first || x.ruleId.localeCompare(y.ruleId))
        .slice(0, limit)
        .map((f) => ({ rule: f.ruleId, title: f.title, entities: f.entities, ...(f.value !== undefined ? { value: f.value } : {}), count: f.count, first: f.first, last: f.last, hosts: f.hosts, authors: f.authors, eventIds: f.eventIds.slice(0, limit) }));
      const events = await this.describe(request.caseId, ids, limit);
      if (generation !== this.generation) throw new Cancelled();
      return {
        status: 'done', errors: compiled.errors, documents: compiled.documents,
        hits: ids.size, findings: run.findings.length, events, groups,
        scanned: run.scanned, total: run.total, elapsedMs: performance.now() - started,
      };
    } catch (e) {
      if (e instanceof Cancelled) return { status: 'cancelled', errors: [], ...empty, elapsedMs: performance.now() - started };
      throw e;
    }
  }

  async rerun(request: RuleLabRequest & { readonly replaceIds: readonly string[]; readonly enabled: boolean }): Promise<RuleLabRerun> {
    // Stored findings are detection's: same status policy, same finding construction (core/detect).
    const compiled = this.compile(request, DETECTION_STATUSES);
    if (compiled.status === 'invalid') return { status: 'invalid', errors: compiled.errors, ruleIds: [], findings: 0, hits: 0 };
    const ruleIds = [...new Set([...request.replaceIds, ...compiled.keys])];
    // Not cancelled by newer tests: a save must finish.
    const run = request.enabled ? await this.evaluate(request.caseId, compiled, () => false) : { findings: [] };
    const findings = run.findings.map((f) => findingRecord(request.caseId, f));
    await replaceRuleFindings(this.db(), request.caseId, ruleIds, findings);
    const hits = new Set(findings.flatMap((f) => f.eventIds)).size;
    return { status: 'done', errors: compiled.errors, ruleIds, findings: findings.length, hits };
  }

  async draft(caseId: string, eventIds: readonly number[], id: string, date: string): Promise<string> {
    const events = await this.fullEvents(caseId, eventIds);
    return draftRule(events, { id, date });
  }

  async fieldsByDataset(caseId: string): Promise<Record<string, string[]>> {
    const summaries = await loadBlockSummaries(this.db(), caseId);
    const datasetsOf = new Map(summaries.map((s) => [s.blockId, s.datasets]));
    const byDataset = new Map<string, Set<string>>();
    // Field names only (keys and packed rows). A block of several datasets lends its fields to each.
    for (const [blockId, fields] of await fieldNamesByBlock(this.db(), caseId)) {
      for (const d of datasetsOf.get(blockId) ?? []) {
        let set = byDataset.get(d);
        if (set === undefined) byDataset.set(d, (set = new Set()));
        for (const field of fields) set.add(field);
      }
    }
    return Object.fromEntries([...byDataset].sort(([a], [b]) => a.localeCompare(b)).map(([d, set]) => [d, [...set].sort()]));
  }

  // -------------------------------------------------------------------------------------------

  private libraryDocuments(text: string): SigmaDocument[] {
    let docs = this.parsed.get(text);
    if (docs === undefined) {
      docs = loadRules(text, { collectErrors: true, placeholders: this.placeholders }).documents;
      this.parsed.set(text, docs);
      if (this.parsed.size > 2000) this.parsed.delete(this.parsed.keys().next().value!);
    }
    return docs;
  }

  /** The edited documents plus the library rules their correlations reference (transitively). */
  private compile(request: RuleLabRequest, statuses: readonly Status[]):
    | { status: 'invalid'; errors: SigmaDiagnostic[] }
    | { status: 'ok'; errors: SigmaDiagnostic[]; set: ReturnType<typeof compileRules>; keys: string[]; documents: RuleLabDocument[]; filters: SigmaDocument[] } {
    const loaded = loadRules(request.yaml, { collectErrors: true, placeholders: this.placeholders });
    const errors = [...loaded.errors];
    if (errors.some((e) => e.severity === 'error') || loaded.documents.length === 0) {
      if (loaded.documents.length === 0 && errors.length === 0) errors.push({ code: 'structure', message: 'the text holds no Sigma rule', severity: 'error', line: 1, column: 1 });
      return { status: 'invalid', errors };
    }
    const edited = loaded.documents;
    const keys = edited.map(ruleKey);
    const own = new Set(keys);
    const byRef = new Map<string, SigmaDocument>();
    for (const text of request.library) {
      for (const doc of this.libraryDocuments(text)) {
        if (own.has(ruleKey(doc))) continue;
        for (const k of [doc.id, doc.name, doc.title]) if (k !== undefined && !byRef.has(k)) byRef.set(k, doc);
      }
    }
    const docs = [...edited];
    const seen = new Set(docs);
    const known = (ref: string) => edited.some((d) => d.id === ref || d.name === ref || (d.id === undefined && d.name === undefined && d.title === ref));
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      if (doc.kind !== 'correlation') continue;
      for (const ref of doc.correlation.rules) {
        if (known(ref)) continue;
        const target = byRef.get(ref);
        if (target !== undefined && !seen.has(target)) {
          seen.add(target);
          docs.push(target);
        }
      }
    }
    // A filter of the library that names an edited rule applies as it will in detection.
    for (const text of request.library) {
      for (const doc of this.libraryDocuments(text)) {
        if (doc.kind === 'filter' && !seen.has(doc) && doc.filter.rules.some((r) => own.has(r))) {
          seen.add(doc);
          docs.push(doc);
        }
      }
    }
    const set = compileRules(docs, { statuses, placeholders: this.placeholders });
    const compileErrors = set.errors.filter((e) => keys.includes(e.rule ?? '') || edited.some((d) => d.title === e.rule));
    errors.push(...compileErrors);
    for (const d of edited) {
      if (d.kind !== 'filter' && d.status !== undefined && !DETECTION_STATUSES.includes(d.status)) {
        errors.push({ code: 'unsupported', message: `status '${d.status}': detection does not run this rule, so it raises no findings (tested here all the same)`, severity: 'warning', rule: d.title, ...(d.source.line !== undefined ? { line: d.source.line, column: d.source.column ?? 1 } : {}) });
      }
    }
    if (compileErrors.some((e) => e.severity === 'error') && !set.rules.some((r) => own.has(r.key))) return { status: 'invalid', errors };
    const documents: RuleLabDocument[] = edited.map((d) => {
      const info = set.rules.find((r) => r.key === ruleKey(d));
      return { key: ruleKey(d), title: d.title, kind: d.kind, ...(d.author !== undefined ? { author: d.author } : {}), generates: info?.generates ?? false, datasets: info?.datasets ?? [] };
    });
    return { status: 'ok', errors, set, keys, documents, filters: docs.filter((d) => d.kind === 'filter') };
  }

  private async evaluate(
    caseId: string,
    compiled: { set: ReturnType<typeof compileRules>; keys: string[]; filters: readonly SigmaDocument[] },
    cancelled: () => boolean,
    early?: { readonly limit: number; send(ids: ReadonlyMap<number, string>, scanned: number, total: number): Promise<void> },
  ): Promise<{ findings: Finding[]; scanned: number; total: number }> {
    const { set, keys } = compiled;
    const order = await this.orderOf(caseId);
    if (cancelled()) throw new Cancelled();
    // Which blocks to read: those holding a dataset a detection rule reads (all for an empty log source).
    const detections = set.rules.filter((r) => r.kind === 'rule');
    const everywhere = detections.some((r) => {
      const ls = r.document.kind === 'rule' ? r.document.logsource : {};
      return ls.category === undefined && ls.product === undefined && ls.service === undefined;
    });
    const datasets = new Set(detections.flatMap((r) => r.datasets));
    const relevant = new Uint8Array(order.summaries.length);
    const wanted: number[] = [];
    order.summaries.forEach((s, ordinal) => {
      if (everywhere || s.datasets.some((d) => datasets.has(d))) {
        relevant[ordinal] = 1;
        wanted.push(ordinal);
      }
    });
    const needs = fieldsRead(set.rules.map((r) => r.document));
    const caches = await this.ensureColumns(caseId, wanted.map((o) => order.summaries[o]!.blockId), needs.all ? null : needs.fields, needs.raw);
    if (cancelled()) throw new Cancelled();
    const cacheOf: (BlockCache | undefined)[] = [];
    wanted.forEach((ordinal, i) => { cacheOf[ordinal] = caches[i]; });
    const timestamps = this.timestamps;

    // Findings built as detection builds them (hosts, ECS entities, subnets, authors).
    const own = new Set(keys);
    const firstIds = new Map<number, string>();
    let sent = early === undefined;
    const run = new DetectionRun(set, sent ? undefined : (key, ids) => {
      if (firstIds.size >= early!.limit || !own.has(key)) return;
      for (const id of typeof ids === 'number' ? [ids] : ids) if (firstIds.size < early!.limit && !firstIds.has(id)) firstIds.set(id, key);
    });
    const fieldNames = needs.fields;
    const decodedSet = needs.all ? null : new Set(fieldNames);
    // Per block, from its columns: which events some detection can match (the others are passed
    // over undecoded, as detection does), computed when the scan first reaches the block.
    const selections: (BlockSelection | undefined)[] = [];
    let scanned = 0;
    const { order: globalOrder, ordinalOf, blockStarts, summaries } = order;
    // One closure for the scan, not one per event: the raw line of the event being read, cut on first use.
    let current: EventBlock | undefined;
    let currentIndex = 0;
    let rawLine: string | undefined;
    const raw = (): string => (current === undefined ? '' : (rawLine ??= rawText(current, currentIndex)));
    // Only the correlations changed since the last full scan (a threshold, a window): the events
    // no detection matched then change nothing now, so only the matched ones are read again.
    const detection = detectionSignature(set, compiled.filters);
    const last = this.matchedLast;
    // Positions are of this case order: a rebuilt order (other blocks, another case) scans in full.
    const replay = last !== undefined && last.order === order && last.detection === detection ? last : undefined;
    const matched: number[] = [];
    const steps = replay?.positions.length ?? globalOrder.length;
    for (let step = 0; step < steps; step++) {
      const p = replay === undefined ? step : replay.positions[step]!;
      // The first pause comes early, so first matches show before the scan is far along.
      if (step % this.yieldEvery === this.yieldEvery - 1 || step === FIRST_PAUSE) {
        if (!sent && firstIds.size > 0) {
          sent = true;
          await early!.send(firstIds, scanned, globalOrder.length);
        }
        await yieldToMessages();
        if (cancelled()) throw new Cancelled();
      }
      const global = globalOrder[p]!;
      const ordinal = ordinalOf[global]!;
      if (relevant[ordinal] === 0) continue;
      const index = global - blockStarts[ordinal]!;
      const summary = summaries[ordinal]!;
      const cache = cacheOf[ordinal]!;
      const core = cache.core;
      current = core;
      currentIndex = index;
      rawLine = undefined;
      const { selected, host: hostColumn } = (selections[ordinal] ??= selectBlock(set, cache, summary.count, decodedSet));
      if (selected !== null && selected[index] === 0) {
        const host = hostColumn !== undefined ? columnValue(hostColumn, index, raw) : undefined;
        run.passOver(summary.blockId * BLOCK_CAPACITY + index, timestamps[global]!, typeof host === 'string' ? host : undefined);
        scanned++;
        continue;
      }
      const fields: EventFields = {};
      if (needs.all) {
        for (const [name, column] of cache.columns) {
          if (column === null) continue;
          const v = columnValue(column, index, raw);
          if (v !== undefined) fields[name] = v;
        }
      } else {
        for (let f = 0; f < fieldNames.length; f++) {
          const column = cache.columns.get(fieldNames[f]!);
          if (column === undefined || column === null) continue;
          const v = columnValue(column, index, raw);
          if (v !== undefined) fields[fieldNames[f]!] = v;
        }
      }
      const event: LoupeEvent = {
        id: summary.blockId * BLOCK_CAPACITY + index,
        timestamp: timestamps[global]!,
        fileId: summary.fileId,
        line: core?.lines[index] ?? 0,
        lineCount: core?.lineCounts[index] ?? 1,
        offset: core?.offsets[index] ?? 0,
        raw: needs.raw ? raw() : '',
        fields,
      };
      if (run.push(event) && replay === undefined) matched.push(p);
      scanned++;
    }
    if (replay === undefined) this.matchedLast = { order, detection, positions: Uint32Array.from(matched), scanned };
    else scanned = replay.scanned;
    const findings = run.finish().filter((f) => own.has(f.ruleId));
    return { findings, scanned, total: globalOrder.length };
  }

  /** The case's time order, rebuilt only when its blocks changed. */
  private async orderOf(caseId: string): Promise<CaseOrder> {
    const summaries = await loadBlockSummaries(this.db(), caseId);
    // Block ids and time spans: a re-timed file (a host's zone overridden) orders anew too.
    const signature = summaries.map((s) => `${s.blockId}:${s.tsMin}:${s.tsMax}`).join(',');
    const current = this.caseOrder;
    if (current !== undefined && current.caseId === caseId && current.signature === signature) return current;
    if (current?.caseId !== caseId) this.blocks = new Map();
    const index = await loadBlockIndex(this.db(), caseId);
    let total = 0;
    for (const row of index) total += row.count;
    const timestamps = new Float64Array(total);
    const blockStarts = new Uint32Array(index.length);
    const ordinalOf = new Uint32Array(total);
    let at = 0;
    index.forEach((row, ordinal) => {
      blockStarts[ordinal] = at;
      timestamps.set(row.timestamps.subarray(0, row.count), at);
      ordinalOf.fill(ordinal, at, at + row.count);
      at += row.count;
    });
    const order = sortByTime(timestamps, 0, total);
    this.timestamps = timestamps;
    // Blocks no longer in the case (a cancelled file) leave the cache.
    const live = new Set(index.map((r) => r.blockId));
    for (const id of [...this.blocks.keys()]) if (!live.has(id)) this.blocks.delete(id);
    this.caseOrder = { caseId, signature, summaries: index, blockStarts, order, ordinalOf };
    return this.caseOrder;
  }

  /**
   * Makes sure these blocks have these columns in memory (all of them when `fields` is null) and,
   * when the raw line is needed or a column points into it, their core rows.
   */
  private async ensureColumns(caseId: string, blockIds: readonly number[], fields: readonly string[] | null, needRaw: boolean): Promise<BlockCache[]> {
    const db = this.db();
    const caches = blockIds.map((id) => {
      let cache = this.blocks.get(id);
      if (cache === undefined) this.blocks.set(id, (cache = { columns: new Map(), complete: false }));
      return cache;
    });
    if (fields === null) {
      const missing = blockIds.filter((_, i) => !caches[i]!.complete);
      for (let i = 0; i < missing.length; i += 16) {
        const batch = missing.slice(i, i + 16);
        const full = await loadBlocks(db, caseId, batch);
        full.forEach((block, j) => {
          if (block === undefined) return;
          const cache = this.blocks.get(batch[j]!)!;
          for (const [name, column] of Object.entries(block.columns)) cache.columns.set(name, column);
          cache.core = { ...block, columns: {} };
          cache.complete = true;
        });
      }
    } else {
      const keys: [string, number, string][] = [];
      blockIds.forEach((id, i) => {
        const cache = caches[i]!;
        if (cache.complete) return;
        for (const f of fields) if (!cache.columns.has(f)) keys.push([caseId, id, f]);
      });
      for (let i = 0; i < keys.length; i += 4096) {
        const batch = keys.slice(i, i + 4096);
        const columns = await loadFieldColumns(db, caseId, batch.map(([, blockId, field]) => [blockId, field] as const));
        columns.forEach((column, j) => this.blocks.get(batch[j]![1])!.columns.set(batch[j]![2], column ?? null));
      }
    }
    const needCore = blockIds.filter((id, i) => {
      const cache = caches[i]!;
      if (cache.core !== undefined) return false;
      if (needRaw) return true;
      for (const c of cache.columns.values()) if (c?.t === 'ref') return true;
      return false;
    });
    for (let i = 0; i < needCore.length; i += 64) {
      const batch = needCore.slice(i, i + 64);
      const rows = await db.blocks.bulkGet(batch.map((id) => [caseId, id] as [string, number]));
      rows.forEach((row, j) => {
        if (row !== undefined) this.blocks.get(batch[j]!)!.core = row.block;
      });
    }
    return caches;
  }

  /** The first `limit` events by time, described for the list (decoded whole: only these few). */
  private async describe(caseId: string, ids: ReadonlyMap<number, string>, limit: number): Promise<RuleLabEvent[]> {
    const order = this.caseOrder;
    if (order === undefined || ids.size === 0) return [];
    const startOf = new Map(order.summaries.map((s, ordinal) => [s.blockId, order.blockStarts[ordinal]!]));
    const timed = [...ids.keys()].map((id) => {
      const [blockId, index] = splitEventId(id);
      return { id, t: this.timestamps[(startOf.get(blockId) ?? 0) + index] ?? 0 };
    });
    timed.sort((a, b) => a.t - b.t || a.id - b.id);
    const first = timed.slice(0, limit).map((x) => x.id);
    const events = await this.fullEvents(caseId, first);
    return events.map((e) => ({
      id: e.id,
      timestamp: e.timestamp,
      host: fieldAsString(e.fields[Field.host]) ?? '',
      dataset: fieldAsString(e.fields[Field.dataset]) ?? '',
      summary: summarizeEvent(e.fields),
      rule: ids.get(e.id) ?? '',
    }));
  }

  private async fullEvents(caseId: string, eventIds: readonly number[]): Promise<LoupeEvent[]> {
    const blockIds = [...new Set(eventIds.map((id) => splitEventId(id)[0]))];
    const blocks = await loadBlocks(this.db(), caseId, blockIds);
    const byId = new Map(blockIds.map((id, i) => [id, blocks[i]]));
    const out: LoupeEvent[] = [];
    for (const id of eventIds) {
      const [blockId, index] = splitEventId(id);
      const block = byId.get(blockId);
      if (block !== undefined && index < block.count) out.push(decodeEvent(block, index));
    }
    return out;
  }
}
