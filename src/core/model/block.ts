import type { EventFields, FieldValue, LoupeEvent, ParsedFields } from './event';

/**
 * Events are stored in columnar blocks, not one row per event: one IndexedDB row per event was
 * measured at ~10,000 events/s here, blocks at 600,000+ (DESIGN.md "Storage"). A block holds the
 * events of one evidence file in file order; strings are dictionary-encoded per column.
 */

/** Events per block at most; event ids are blockId * BLOCK_CAPACITY + index. */
export const BLOCK_CAPACITY = 4096;

export type Column =
  /** Strings; code 0 = absent, else dict[code - 1]. Codes as narrow as the dictionary allows. */
  | { readonly t: 'str'; readonly dict: readonly string[]; readonly codes: Uint8Array | Uint16Array | Uint32Array }
  /** Numbers; NaN = absent. */
  | { readonly t: 'num'; readonly values: Float64Array }
  /** Booleans; 0 absent, 1 false, 2 true. */
  | { readonly t: 'bool'; readonly values: Uint8Array }
  /** String lists (e.g. event.category), dictionary-encoded as JSON arrays; code 0 = absent. */
  | { readonly t: 'list'; readonly dict: readonly string[]; readonly codes: Uint8Array | Uint16Array | Uint32Array }
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
  fields: ParsedFields;
}

type BuilderKind = 'str' | 'text' | 'num' | 'bool' | 'list';

const NO_CODES = new Uint32Array(0);
const NO_NUMBERS = new Float64Array(0);
const NO_BOOLS = new Uint8Array(0);

/**
 * One column being built. Builders write straight into typed arrays of the block's capacity, so
 * an event's fields are encoded as it arrives and its object can die young (holding 4,096 field
 * objects until the block was full cost a fifth of ingest time in garbage collection). One class
 * for every kind keeps the hot code monomorphic. Absent = code 0 / NaN / 0 / null.
 */
class ColumnBuilder {
  readonly dict: string[] = [];
  readonly index = new Map<string, number>();
  /** Lists: frozen (shared constant) lists found by identity, without their JSON. */
  readonly shared = new Map<readonly string[], number>();
  /** Lists of one value, by that value. */
  readonly singles = new Map<string, number>();
  readonly codes: Uint32Array;
  readonly numbers: Float64Array;
  readonly bools: Uint8Array;
  readonly texts: (string | null)[] = [];
  /** The last string and its code: most columns repeat the previous event's value. */
  lastText = '';
  lastCode = 0;
  /** Whether a string column was already checked for being nearly unique (see DICTIONARY_PROBE). */
  probed = false;
  /**
   * The columns that followed this one in recent events (two ways: a file interleaves a few event
   * shapes), so the next field's column is found by comparing its key, mostly without a lookup.
   */
  nextKey = '';
  next: ColumnBuilder | undefined;
  otherNextKey = '';
  otherNext: ColumnBuilder | undefined;

  constructor(readonly t: BuilderKind) {
    this.codes = t === 'str' || t === 'list' ? new Uint32Array(BLOCK_CAPACITY) : NO_CODES;
    this.numbers = t === 'num' ? new Float64Array(BLOCK_CAPACITY).fill(NaN) : NO_NUMBERS;
    this.bools = t === 'bool' ? new Uint8Array(BLOCK_CAPACITY) : NO_BOOLS;
  }
}

function kindOf(value: FieldValue): BuilderKind {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return 'num';
  if (typeof value === 'boolean') return 'bool';
  return 'list';
}

function textOf(value: FieldValue): string {
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Accumulates events of one file and encodes them as they come. A field whose values change kind
 * within a block (a number, then a string) is stored as strings for the whole block.
 */
export class BlockBuilder {
  private count = 0;
  private timestamps = new Float64Array(BLOCK_CAPACITY);
  private lines = new Uint32Array(BLOCK_CAPACITY);
  private lineCounts = new Uint32Array(BLOCK_CAPACITY);
  private offsets = new Float64Array(BLOCK_CAPACITY);
  private rawEnds = new Uint32Array(BLOCK_CAPACITY);
  private rawParts: string[] = [];
  private rawLength = 0;
  private tsMin = Infinity;
  private tsMax = -Infinity;
  private builders = new Map<string, ColumnBuilder>();
  // Events of one file carry a few key sequences: each column links to the columns that followed
  // it (ColumnBuilder.next), tried before a map lookup (keys are interned, so === is cheap). The
  // first key's column is kept here.
  private firstKey = '';
  private first: ColumnBuilder | undefined;

  constructor(private readonly fileId: number) {}

  get size(): number {
    return this.count;
  }

  add(event: PendingEvent): void {
    const i = this.count;
    if (i >= BLOCK_CAPACITY) throw new Error(`block of ${i + 1} events exceeds capacity ${BLOCK_CAPACITY}`);
    this.count = i + 1;
    const timestamp = event.timestamp;
    this.timestamps[i] = timestamp;
    if (timestamp < this.tsMin) this.tsMin = timestamp;
    if (timestamp > this.tsMax) this.tsMax = timestamp;
    this.lines[i] = event.line;
    this.lineCounts[i] = event.lineCount;
    this.offsets[i] = event.offset;
    this.rawParts.push(event.raw);
    this.rawLength += event.raw.length;
    this.rawEnds[i] = this.rawLength;
    const builders = this.builders;
    let previous: ColumnBuilder | undefined;
    const fields = event.fields;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      let builder: ColumnBuilder | undefined;
      if (previous === undefined) builder = key === this.firstKey ? this.first : builders.get(key);
      else if (previous.nextKey === key) builder = previous.next;
      else if (previous.otherNextKey === key) builder = previous.otherNext;
      else builder = builders.get(key);
      if (builder === undefined) {
        builder = new ColumnBuilder(kindOf(value));
        builders.set(key, builder);
      } else if (!fits(builder, value)) {
        builder = this.replace(key, builder, toStringBuilder(builder, i));
      }
      pushValue(builder, value, i);
      if (builder.t === 'str' && i >= DICTIONARY_PROBE && !builder.probed) {
        builder.probed = true;
        if (nearlyUnique(builder, i + 1)) builder = this.replace(key, builder, toTextBuilder(builder, i + 1));
      }
      if (previous === undefined) {
        this.firstKey = key;
        this.first = builder;
      } else if (previous.nextKey !== key) {
        // The other way gets the old link (a swap when this key was there).
        previous.otherNextKey = previous.nextKey;
        previous.otherNext = previous.next;
        previous.nextKey = key;
        previous.next = builder;
      }
      previous = builder;
    }
  }

  /** Puts `replacement` in the place of column `key`'s builder, links included. */
  private replace(key: string, old: ColumnBuilder, replacement: ColumnBuilder): ColumnBuilder {
    this.builders.set(key, replacement);
    if (this.first === old) this.first = replacement;
    for (const builder of this.builders.values()) {
      if (builder.next === old) builder.next = replacement;
      if (builder.otherNext === old) builder.otherNext = replacement;
    }
    return replacement;
  }

  /** Encodes the accumulated events into a block and starts a new one. */
  build(blockId: number): EventBlock {
    const count = this.count;
    const columns: Record<string, Column> = {};
    // Joined once, flat: the raw-reference search below runs on it, not on each line (a line built
    // by concatenation would be flattened again by every search).
    const raw = this.rawParts.join('');
    for (const [key, builder] of this.builders) columns[key] = finishColumn(builder, count, raw, this.rawEnds);
    const full = count === BLOCK_CAPACITY;
    // A full block hands its arrays over (fresh ones for the next); a partial one copies its part.
    const take = <T extends Float64Array | Uint32Array>(array: T): T => (full ? array : (array.slice(0, count) as T));
    const block: EventBlock = {
      blockId, fileId: this.fileId, count,
      tsMin: count > 0 ? this.tsMin : NaN,
      tsMax: count > 0 ? this.tsMax : NaN,
      timestamps: take(this.timestamps), lines: take(this.lines), lineCounts: take(this.lineCounts), offsets: take(this.offsets),
      raw,
      rawEnds: take(this.rawEnds),
      columns,
    };
    if (full) {
      this.timestamps = new Float64Array(BLOCK_CAPACITY);
      this.lines = new Uint32Array(BLOCK_CAPACITY);
      this.lineCounts = new Uint32Array(BLOCK_CAPACITY);
      this.offsets = new Float64Array(BLOCK_CAPACITY);
      this.rawEnds = new Uint32Array(BLOCK_CAPACITY);
    }
    this.count = 0;
    this.rawParts = [];
    this.rawLength = 0;
    this.tsMin = Infinity;
    this.tsMax = -Infinity;
    this.builders = new Map();
    this.firstKey = '';
    this.first = undefined;
    return block;
  }
}

/**
 * A block read without its core row (no raw lines, no evidence positions): its summary, its
 * timestamps and some field columns, for scans that need neither the lines nor where they came from.
 */
export function blockWithoutCore(summary: Pick<BlockSummary, 'blockId' | 'fileId' | 'count' | 'tsMin' | 'tsMax'>, timestamps: Float64Array, columns: Readonly<Record<string, Column>>): EventBlock {
  const empty = new Uint32Array(summary.count);
  return {
    blockId: summary.blockId, fileId: summary.fileId, count: summary.count, tsMin: summary.tsMin, tsMax: summary.tsMax,
    timestamps, lines: empty, lineCounts: empty, offsets: new Float64Array(summary.count), raw: '', rawEnds: empty, columns,
  };
}

export function encodeBlock(blockId: number, fileId: number, events: readonly PendingEvent[]): EventBlock {
  const count = events.length;
  if (count > BLOCK_CAPACITY) throw new Error(`block of ${count} events exceeds capacity ${BLOCK_CAPACITY}`);
  const builder = new BlockBuilder(fileId);
  for (const event of events) builder.add(event);
  return builder.build(blockId);
}

/**
 * From this many events on, a string column whose values barely repeat stops being a dictionary
 * (checked once, at the first event past this point that has the field).
 */
const DICTIONARY_PROBE = 256;

/**
 * Long values that almost never repeat (messages, URLs with ids) gain nothing from a dictionary.
 * Short ones (addresses) stay dictionaries: aggregations read them without the raw lines.
 */
function nearlyUnique(builder: ColumnBuilder, seen: number): boolean {
  let present = 0;
  for (let i = 0; i < seen; i++) if (builder.codes[i] !== 0) present++;
  if (present < 64 || builder.dict.length <= present * 0.9) return false;
  let length = 0;
  for (const value of builder.dict) length += value.length;
  return length / builder.dict.length >= 24;
}

function fits(builder: ColumnBuilder, value: FieldValue): boolean {
  // String and text columns take any value as its text form.
  return builder.t === 'str' || builder.t === 'text' || builder.t === kindOf(value);
}

function toTextBuilder(builder: ColumnBuilder, seen: number): ColumnBuilder {
  const text = new ColumnBuilder('text');
  for (let i = 0; i < seen; i++) {
    const code = builder.codes[i]!;
    text.texts.push(code === 0 ? null : builder.dict[code - 1]!);
  }
  return text;
}

/** The values of events 0..upTo-1 of a number, boolean or list column, as strings. */
function toStringBuilder(builder: ColumnBuilder, upTo: number): ColumnBuilder {
  const str = new ColumnBuilder('str');
  for (let i = 0; i < upTo; i++) {
    if (builder.t === 'num') {
      const v = builder.numbers[i]!;
      if (!Number.isNaN(v)) pushValue(str, String(v), i);
    } else if (builder.t === 'bool') {
      const v = builder.bools[i]!;
      if (v !== 0) pushValue(str, String(v === 2), i);
    } else {
      const code = builder.codes[i]!;
      if (code !== 0) pushValue(str, (JSON.parse(builder.dict[code - 1]!) as string[]).join(', '), i);
    }
  }
  return str;
}

function pushValue(builder: ColumnBuilder, value: FieldValue, index: number): void {
  switch (builder.t) {
    case 'str': {
      const text = typeof value === 'string' ? value : textOf(value);
      if (text === builder.lastText && builder.lastCode !== 0) {
        builder.codes[index] = builder.lastCode;
        return;
      }
      let code = builder.index.get(text);
      if (code === undefined) {
        builder.dict.push(text);
        code = builder.dict.length;
        builder.index.set(text, code);
      }
      builder.codes[index] = code;
      builder.lastText = text;
      builder.lastCode = code;
      return;
    }
    case 'num':
      builder.numbers[index] = value as number;
      return;
    case 'bool':
      builder.bools[index] = value === true ? 2 : 1;
      return;
    case 'text':
      while (builder.texts.length < index) builder.texts.push(null);
      builder.texts.push(textOf(value));
      return;
    case 'list': {
      const list = value as readonly string[];
      let code = builder.shared.get(list);
      if (code === undefined && list.length === 1) {
        // One-value lists (['network'], ['zone']) are found by their value, without JSON.
        code = builder.singles.get(list[0]!);
        if (code === undefined) {
          code = listCode(builder, JSON.stringify(list));
          builder.singles.set(list[0]!, code);
        }
      } else if (code === undefined) {
        code = listCode(builder, JSON.stringify(list));
        if (Object.isFrozen(list)) builder.shared.set(list, code);
      }
      builder.codes[index] = code;
      return;
    }
  }
}

function listCode(builder: ColumnBuilder, key: string): number {
  let code = builder.index.get(key);
  if (code === undefined) {
    builder.dict.push(key);
    code = builder.dict.length;
    builder.index.set(key, code);
  }
  return code;
}

function finishColumn(builder: ColumnBuilder, count: number, raw: string, rawEnds: Uint32Array): Column {
  switch (builder.t) {
    case 'text': {
      const values = builder.texts;
      const ref = asRawReferences(values, count, raw, rawEnds);
      if (ref !== undefined) return ref;
      const ends = new Uint32Array(count);
      const absent = new Uint8Array(count);
      const parts: string[] = [];
      let length = 0;
      for (let i = 0; i < count; i++) {
        const value = values[i] ?? null;
        if (value === null) absent[i] = 1;
        else {
          parts.push(value);
          length += value.length;
        }
        ends[i] = length;
      }
      return { t: 'text', text: parts.join(''), ends, absent };
    }
    case 'str':
    case 'list': {
      // The narrowest codes that hold the dictionary: most columns have a handful of values.
      const used = builder.codes.subarray(0, count);
      const size = builder.dict.length;
      const codes = size < 0xff ? new Uint8Array(count) : size < 0xffff ? new Uint16Array(count) : new Uint32Array(count);
      codes.set(used);
      return { t: builder.t, dict: builder.dict, codes };
    }
    case 'num': {
      const values = builder.numbers.subarray(0, count);
      let integers = true;
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        // NaN (absent) or a whole number that fits 32 bits and is not the absent marker.
        if (!(v !== v || ((v | 0) === v && v !== INT_ABSENT))) {
          integers = false;
          break;
        }
      }
      if (integers) {
        const ints = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          const v = values[i]!;
          ints[i] = v !== v ? INT_ABSENT : v;
        }
        return { t: 'int', values: ints };
      }
      return { t: 'num', values: values.slice() };
    }
    case 'bool':
      return { t: 'bool', values: builder.bools.slice(0, count) };
  }
}

/** Positions of each value inside its event's raw line, when every value is found there. */
function asRawReferences(values: readonly (string | null)[], count: number, raw: string, rawEnds: Uint32Array): Column | undefined {
  const starts = new Int32Array(count).fill(-1);
  const lengths = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const value = values[i] ?? null;
    if (value === null) continue;
    const start = i === 0 ? 0 : rawEnds[i - 1]!;
    const end = rawEnds[i]!;
    const length = value.length;
    let at = 0;
    if (length > 0) {
      // Messages are usually the tail of the line; look there first.
      // (A slice compared with === is a memory compare; startsWith with a position is not as quick.)
      at = end - length >= start && raw.slice(end - length, end) === value ? end - length : raw.indexOf(value, start);
      if (at < 0 || at + length > end) return undefined;
      at -= start;
    }
    starts[i] = at;
    lengths[i] = length;
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
  return decodeEventFields(block, index, null, true);
}

/**
 * An event with only these fields decoded (all when `fields` is null) and its raw line only when
 * `withRaw`: detection reads just the columns its rules read (rules/fields-read.ts), which at a
 * million events is most of the cost of decoding.
 */
export function decodeEventFields(block: EventBlock, index: number, fields: readonly string[] | null, withRaw: boolean): LoupeEvent {
  const out: EventFields = {};
  let rawLine: string | undefined;
  const raw = () => (rawLine ??= rawText(block, index));
  if (fields === null) {
    for (const key in block.columns) {
      const value = columnValue(block.columns[key]!, index, raw);
      if (value !== undefined) out[key] = value;
    }
  } else {
    for (let f = 0; f < fields.length; f++) {
      const column = block.columns[fields[f]!];
      if (column === undefined) continue;
      const value = columnValue(column, index, raw);
      if (value !== undefined) out[fields[f]!] = value;
    }
  }
  return blockEvent(block, index, withRaw ? raw() : '', out);
}

/** Event `index` of a block with its id and evidence position, and the given raw text and fields. */
export function blockEvent(block: EventBlock, index: number, raw: string, fields: EventFields): LoupeEvent {
  return {
    id: eventId(block.blockId, index),
    timestamp: block.timestamps[index]!,
    fileId: block.fileId,
    line: block.lines[index]!,
    lineCount: block.lineCounts[index]!,
    offset: block.offsets[index]!,
    raw,
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
