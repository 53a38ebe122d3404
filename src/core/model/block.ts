import type { EventFields, FieldValue, LoupeEvent } from './event';

/**
 * Events are stored in columnar blocks, not one row per event: one IndexedDB row per event was
 * measured at ~10,000 events/s here, blocks at 600,000+ (DESIGN.md "Storage"). A block holds the
 * events of one evidence file in file order; strings are dictionary-encoded per column.
 */

/** Events per block at most; event ids are blockId * BLOCK_CAPACITY + index. */
export const BLOCK_CAPACITY = 4096;

export type Column =
  /** Strings; code 0 = absent, else dict[code - 1]. */
  | { readonly t: 'str'; readonly dict: readonly string[]; readonly codes: Uint16Array | Uint32Array }
  /** Numbers; NaN = absent. */
  | { readonly t: 'num'; readonly values: Float64Array }
  /** Booleans; 0 absent, 1 false, 2 true. */
  | { readonly t: 'bool'; readonly values: Uint8Array }
  /** String lists (e.g. event.category), dictionary-encoded as JSON arrays; code 0 = absent. */
  | { readonly t: 'list'; readonly dict: readonly string[]; readonly codes: Uint16Array | Uint32Array }
  /**
   * Strings that rarely repeat (messages, URLs): one joined string and end offsets, since a
   * dictionary would only cost and an array of strings is slow to store and read back.
   */
  | { readonly t: 'text'; readonly text: string; readonly ends: Uint32Array; readonly absent: Uint8Array }
  /** Whole numbers that fit 32 bits; INT_ABSENT = absent. Half the bytes of 'num'. */
  | { readonly t: 'int'; readonly values: Int32Array }
  /**
   * Strings cut from the event's own raw line (a syslog message, a URL): kept as positions in the
   * raw text instead of a second copy. starts[i] = -1 when absent.
   */
  | { readonly t: 'ref'; readonly starts: Int32Array; readonly lengths: Uint32Array };

export const INT_ABSENT = -2147483648;

export interface EventBlock {
  readonly blockId: number;
  readonly fileId: number;
  readonly count: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly timestamps: Float64Array;
  readonly lines: Uint32Array;
  readonly lineCounts: Uint32Array;
  readonly offsets: Float64Array;
  /** Raw texts joined; event i spans rawEnds[i-1] (or 0) .. rawEnds[i]. */
  readonly raw: string;
  readonly rawEnds: Uint32Array;
  readonly columns: Readonly<Record<string, Column>>;
}

/** What a query needs to know about a block without reading it. */
export interface BlockSummary {
  readonly blockId: number;
  readonly fileId: number;
  readonly count: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly hosts: readonly string[];
  readonly datasets: readonly string[];
}

/** An event before it is given an id and stored. */
export interface PendingEvent {
  timestamp: number;
  line: number;
  lineCount: number;
  offset: number;
  raw: string;
  fields: EventFields;
}

type ColumnBuilder =
  | { t: 'str'; dict: string[]; index: Map<string, number>; codes: number[] }
  | { t: 'text'; values: (string | null)[] }
  | { t: 'num'; values: number[] }
  | { t: 'bool'; values: number[] }
  | { t: 'list'; values: (readonly string[] | null)[] };

function kindOf(value: FieldValue): ColumnBuilder['t'] {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return 'num';
  if (typeof value === 'boolean') return 'bool';
  return 'list';
}

/**
 * Accumulates events of one file and encodes them. A field whose values change kind within a
 * block (a number, then a string) is stored as strings for the whole block.
 */
export class BlockBuilder {
  private events: PendingEvent[] = [];

  constructor(private readonly fileId: number) {}

  get size(): number {
    return this.events.length;
  }

  add(event: PendingEvent): void {
    this.events.push(event);
  }

  /** Encodes the accumulated events into a block and starts a new one. */
  build(blockId: number): EventBlock {
    const events = this.events;
    this.events = [];
    return encodeBlock(blockId, this.fileId, events);
  }
}

export function encodeBlock(blockId: number, fileId: number, events: readonly PendingEvent[]): EventBlock {
  const count = events.length;
  if (count > BLOCK_CAPACITY) throw new Error(`block of ${count} events exceeds capacity ${BLOCK_CAPACITY}`);
  const timestamps = new Float64Array(count);
  const lines = new Uint32Array(count);
  const lineCounts = new Uint32Array(count);
  const offsets = new Float64Array(count);
  const rawEnds = new Uint32Array(count);
  const rawParts: string[] = new Array<string>(count);
  let rawLength = 0;
  let tsMin = Infinity;
  let tsMax = -Infinity;
  const builders = new Map<string, ColumnBuilder>();
  // Events of one file mostly carry the same keys in the same order: try the builder at the same
  // position as in the previous event before a map lookup (keys are interned, so === is cheap).
  let previousKeys: string[] = [];
  let previousBuilders: ColumnBuilder[] = [];
  let keys: string[] = [];
  let used: ColumnBuilder[] = [];

  for (let i = 0; i < count; i++) {
    const event = events[i]!;
    timestamps[i] = event.timestamp;
    if (event.timestamp < tsMin) tsMin = event.timestamp;
    if (event.timestamp > tsMax) tsMax = event.timestamp;
    lines[i] = event.line;
    lineCounts[i] = event.lineCount;
    offsets[i] = event.offset;
    rawParts[i] = event.raw;
    rawLength += event.raw.length;
    rawEnds[i] = rawLength;
    keys.length = 0;
    used.length = 0;
    let position = 0;
    for (const key in event.fields) {
      const value = event.fields[key]!;
      let builder = previousKeys[position] === key ? previousBuilders[position] : builders.get(key);
      if (builder === undefined) {
        builder = newBuilder(kindOf(value), i);
        builders.set(key, builder);
      } else if (!fits(builder, value)) {
        builder = toStringBuilder(builder as Exclude<ColumnBuilder, { t: 'str' } | { t: 'text' }>);
        builders.set(key, builder);
      }
      pushValue(builder, value, i);
      if (builder.t === 'str' && i === DICTIONARY_PROBE && nearlyUnique(builder)) {
        builder = toTextBuilder(builder);
        builders.set(key, builder);
      }
      keys.push(key);
      used.push(builder);
      position++;
    }
    // Swap instead of allocating two arrays per event.
    [previousKeys, keys] = [keys, previousKeys];
    [previousBuilders, used] = [used, previousBuilders];
  }
  const columns: Record<string, Column> = {};
  for (const [key, builder] of builders) columns[key] = finishColumn(builder, count, rawParts);
  return {
    blockId, fileId, count,
    tsMin: count > 0 ? tsMin : NaN,
    tsMax: count > 0 ? tsMax : NaN,
    timestamps, lines, lineCounts, offsets,
    raw: rawParts.join(''),
    rawEnds,
    columns,
  };
}

/** After this many events a string column whose values barely repeat stops being a dictionary. */
const DICTIONARY_PROBE = 256;

/**
 * Long values that almost never repeat (messages, URLs with ids) gain nothing from a dictionary.
 * Short ones (addresses) stay dictionaries: aggregations read them without the raw lines.
 */
function nearlyUnique(builder: Extract<ColumnBuilder, { t: 'str' }>): boolean {
  let present = 0;
  for (const code of builder.codes) if (code !== 0) present++;
  if (present < 64 || builder.dict.length <= present * 0.9) return false;
  let length = 0;
  for (const value of builder.dict) length += value.length;
  return length / builder.dict.length >= 24;
}

function fits(builder: ColumnBuilder, value: FieldValue): boolean {
  const kind = kindOf(value);
  // String and text columns take any value as its text form.
  return builder.t === kind || builder.t === 'str' || builder.t === 'text';
}

function toTextBuilder(builder: Extract<ColumnBuilder, { t: 'str' }>): ColumnBuilder {
  return { t: 'text', values: builder.codes.map((code) => (code === 0 ? null : builder.dict[code - 1]!)) };
}

function newBuilder(kind: ColumnBuilder['t'], padTo: number): ColumnBuilder {
  switch (kind) {
    case 'str': return { t: 'str', dict: [], index: new Map(), codes: new Array<number>(padTo).fill(0) };
    case 'num': return { t: 'num', values: new Array<number>(padTo).fill(NaN) };
    case 'bool': return { t: 'bool', values: new Array<number>(padTo).fill(0) };
    case 'list': return { t: 'list', values: new Array<readonly string[] | null>(padTo).fill(null) };
    case 'text': return { t: 'text', values: new Array<string | null>(padTo).fill(null) };
  }
}

function toStringBuilder(builder: Exclude<ColumnBuilder, { t: 'str' } | { t: 'text' }>): ColumnBuilder {
  const str: ColumnBuilder = { t: 'str', dict: [], index: new Map(), codes: [] };
  for (let i = 0; i < builder.values.length; i++) {
    const v = builder.values[i];
    if (builder.t === 'num') pushValue(str, Number.isNaN(v as number) ? undefined : String(v), i);
    else if (builder.t === 'bool') pushValue(str, v === 0 ? undefined : String(v === 2), i);
    else pushValue(str, v === null ? undefined : (v as readonly string[]).join(', '), i);
  }
  return str;
}

function pushValue(builder: ColumnBuilder, value: FieldValue | undefined, index: number): void {
  switch (builder.t) {
    case 'text':
      while (builder.values.length < index) builder.values.push(null);
      builder.values.push(value === undefined ? null : typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : String(value));
      return;
    case 'str': {
      while (builder.codes.length < index) builder.codes.push(0);
      if (value === undefined) { builder.codes.push(0); return; }
      const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : String(value);
      let code = builder.index.get(text);
      if (code === undefined) {
        builder.dict.push(text);
        code = builder.dict.length;
        builder.index.set(text, code);
      }
      builder.codes.push(code);
      return;
    }
    case 'num':
      while (builder.values.length < index) builder.values.push(NaN);
      builder.values.push(typeof value === 'number' ? value : NaN);
      return;
    case 'bool':
      while (builder.values.length < index) builder.values.push(0);
      builder.values.push(value === undefined ? 0 : value === true ? 2 : 1);
      return;
    case 'list':
      while (builder.values.length < index) builder.values.push(null);
      builder.values.push(Array.isArray(value) ? (value as readonly string[]) : null);
      return;
  }
}

function finishColumn(builder: ColumnBuilder, count: number, raws: readonly string[]): Column {
  switch (builder.t) {
    case 'text': {
      const ref = asRawReferences(builder.values, count, raws);
      if (ref !== undefined) return ref;
      const ends = new Uint32Array(count);
      const absent = new Uint8Array(count);
      const parts: string[] = [];
      let length = 0;
      for (let i = 0; i < count; i++) {
        const value = builder.values[i] ?? null;
        if (value === null) absent[i] = 1;
        else {
          parts.push(value);
          length += value.length;
        }
        ends[i] = length;
      }
      return { t: 'text', text: parts.join(''), ends, absent };
    }
    case 'str': {
      const codes = builder.dict.length < 0xffff ? new Uint16Array(count) : new Uint32Array(count);
      codes.set(builder.codes.slice(0, count));
      return { t: 'str', dict: builder.dict, codes };
    }
    case 'num': {
      const values = builder.values.slice(0, count);
      while (values.length < count) values.push(NaN);
      if (values.every((v) => Number.isNaN(v) || (Number.isInteger(v) && v > INT_ABSENT && v <= 2147483647))) {
        return { t: 'int', values: Int32Array.from(values, (v) => (Number.isNaN(v) ? INT_ABSENT : v)) };
      }
      return { t: 'num', values: Float64Array.from(values) };
    }
    case 'bool': {
      const values = new Uint8Array(count);
      values.set(builder.values.slice(0, count));
      return { t: 'bool', values };
    }
    case 'list': {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const codes = new Uint32Array(count);
      for (let i = 0; i < count; i++) {
        const value = builder.values[i] ?? null;
        if (value === null) continue;
        const key = JSON.stringify(value);
        let code = index.get(key);
        if (code === undefined) {
          dict.push(key);
          code = dict.length;
          index.set(key, code);
        }
        codes[i] = code;
      }
      return { t: 'list', dict, codes: dict.length < 0xffff ? Uint16Array.from(codes) : codes };
    }
  }
}

/** Positions of each value inside its event's raw line, when every value is found there. */
function asRawReferences(values: readonly (string | null)[], count: number, raws: readonly string[]): Column | undefined {
  const starts = new Int32Array(count).fill(-1);
  const lengths = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const value = values[i] ?? null;
    if (value === null) continue;
    const raw = raws[i]!;
    // Messages are usually the tail of the line; look there first.
    let at = raw.endsWith(value) ? raw.length - value.length : raw.indexOf(value);
    if (at < 0) return undefined;
    if (value.length === 0) at = 0;
    starts[i] = at;
    lengths[i] = value.length;
  }
  return { t: 'ref', starts, lengths };
}

/**
 * The value of one field of event `index`, or undefined. `raw` is the event's raw line, needed
 * for 'ref' columns (see rawText).
 */
export function columnValue(column: Column, index: number, raw?: () => string): FieldValue | undefined {
  switch (column.t) {
    case 'int': {
      const v = column.values[index]!;
      return v === INT_ABSENT ? undefined : v;
    }
    case 'ref': {
      const start = column.starts[index]!;
      if (start < 0) return undefined;
      if (raw === undefined) throw new Error('a raw-reference column needs the raw text of its block');
      return raw().slice(start, start + column.lengths[index]!);
    }
    case 'str': {
      const code = column.codes[index]!;
      return code === 0 ? undefined : column.dict[code - 1];
    }
    case 'num': {
      const v = column.values[index]!;
      return Number.isNaN(v) ? undefined : v;
    }
    case 'bool': {
      const v = column.values[index]!;
      return v === 0 ? undefined : v === 2;
    }
    case 'list': {
      const code = column.codes[index]!;
      return code === 0 ? undefined : (JSON.parse(column.dict[code - 1]!) as string[]);
    }
    case 'text':
      return column.absent[index] === 1 ? undefined : column.text.slice(index === 0 ? 0 : column.ends[index - 1], column.ends[index]);
  }
}

export function eventId(blockId: number, index: number): number {
  return blockId * BLOCK_CAPACITY + index;
}

export function splitEventId(id: number): [blockId: number, index: number] {
  return [Math.floor(id / BLOCK_CAPACITY), id % BLOCK_CAPACITY];
}

export function rawText(block: EventBlock, index: number): string {
  const start = index === 0 ? 0 : block.rawEnds[index - 1]!;
  return block.raw.slice(start, block.rawEnds[index]);
}

/** Decodes event `index` of a block into a plain event. */
export function decodeEvent(block: EventBlock, index: number): LoupeEvent {
  const fields: EventFields = {};
  let rawLine: string | undefined;
  const raw = () => (rawLine ??= rawText(block, index));
  for (const key in block.columns) {
    const value = columnValue(block.columns[key]!, index, raw);
    if (value !== undefined) fields[key] = value;
  }
  return {
    id: eventId(block.blockId, index),
    timestamp: block.timestamps[index]!,
    fileId: block.fileId,
    line: block.lines[index]!,
    lineCount: block.lineCounts[index]!,
    offset: block.offsets[index]!,
    raw: rawText(block, index),
    fields,
  };
}

/** Distinct values of a string column (for block summaries). */
export function distinctStrings(block: EventBlock, field: string): string[] {
  const column = block.columns[field];
  if (column === undefined || column.t !== 'str') return [];
  const used = new Set<number>();
  for (const code of column.codes) if (code !== 0) used.add(code);
  return [...used].map((code) => column.dict[code - 1]!).sort();
}

export function summarizeBlock(block: EventBlock): BlockSummary {
  return {
    blockId: block.blockId,
    fileId: block.fileId,
    count: block.count,
    tsMin: block.tsMin,
    tsMax: block.tsMax,
    hosts: distinctStrings(block, 'host.name'),
    datasets: distinctStrings(block, 'event.dataset'),
  };
}
