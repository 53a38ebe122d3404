import { INT_ABSENT, type BlockSummary, type Column, type EventBlock } from '../model/block';
import { Field } from '../model/event';
import { cidrContains, parseCidr } from '../rules/modifiers';
import type { SigmaCidr } from '../rules/values';
import { hasFreeText, queryFields, QuerySyntaxError, type QueryNode, type QueryValue } from './ast';
import { parseQuery } from './parse';

/**
 * Evaluates a parsed query over columnar blocks. String columns are tested once per dictionary
 * entry, not once per event, so a field clause over a million events costs a pass over the codes.
 *
 * Semantics (what the filter bar's help says): field values compare case-insensitively and whole
 * (`*` and `?` are wildcards); `message` and `event.original` match when they contain the value;
 * bare words and phrases match when the raw line or the message contains them; `[a TO b]`, `>=`
 * compare numbers when the bounds are numbers, dates on `@timestamp`, text otherwise.
 */
export interface CompiledQuery {
  readonly node: QueryNode;
  /** Field columns the evaluation reads (never `@timestamp`: that is the block's own array). */
  readonly fields: readonly string[];
  /** True when free text needs the raw lines of the blocks. */
  readonly needsRaw: boolean;
  /** False when the block summary proves that no event of the block matches. */
  mayMatch(summary: BlockSummary): boolean;
  /** One byte per event of the block: 1 when it matches. */
  evaluate(block: EventBlock): Uint8Array;
}

/** Fields whose values are prose: a clause matches when they contain the value. */
const PROSE_FIELDS = new Set<string>([Field.message, Field.original]);

export function compileQuery(query: string | QueryNode): CompiledQuery {
  const node = typeof query === 'string' ? parseQuery(query) : query;
  const fields = [...queryFields(node)].filter((f) => f !== Field.timestamp);
  const needsRaw = hasFreeText(node);
  if (needsRaw && !fields.includes(Field.message)) fields.push(Field.message);
  const compiled = compileNode(node);
  return {
    node,
    fields,
    needsRaw,
    mayMatch: (summary) => mayMatch(node, summary),
    evaluate: (block) => compiled(block),
  };
}

type Evaluator = (block: EventBlock) => Uint8Array;

function compileNode(node: QueryNode): Evaluator {
  switch (node.kind) {
    case 'all':
      return (block) => new Uint8Array(block.count).fill(1);
    case 'and': {
      const children = node.children.map(compileNode);
      return (block) => {
        const out = children[0]!(block);
        for (let c = 1; c < children.length; c++) {
          if (!out.includes(1)) break;
          const next = children[c]!(block);
          for (let i = 0; i < out.length; i++) out[i]! &= next[i]!;
        }
        return out;
      };
    }
    case 'or': {
      const children = node.children.map(compileNode);
      return (block) => {
        const out = children[0]!(block);
        for (let c = 1; c < children.length; c++) {
          const next = children[c]!(block);
          for (let i = 0; i < out.length; i++) out[i]! |= next[i]!;
        }
        return out;
      };
    }
    case 'not': {
      const child = compileNode(node.child);
      return (block) => {
        const out = child(block);
        for (let i = 0; i < out.length; i++) out[i] = out[i]! ^ 1;
        return out;
      };
    }
    case 'exists':
      if (node.field === Field.timestamp) return (block) => new Uint8Array(block.count).fill(1);
      return fieldEvaluator(node.field, { text: () => true, number: () => true });
    case 'cidr': {
      const network = parseCidr(node.network) as SigmaCidr;
      return fieldEvaluator(node.field, { text: (v) => cidrContains(network, v), number: () => false });
    }
    case 'compare':
    case 'range':
      return rangeEvaluator(node);
    case 'term':
      if (node.field === undefined) return freeTextEvaluator(node.value);
      if (node.field === Field.timestamp) {
        const test = textTest(node.value, false);
        return (block) => Uint8Array.from(block.timestamps, (t) => (test(new Date(t).toISOString()) ? 1 : 0));
      }
      return fieldEvaluator(node.field, { text: textTest(node.value, PROSE_FIELDS.has(node.field)), number: undefined });
  }
}

/**
 * A value test on text; with `contains`, the value may be anywhere in the text. Numbers are
 * tested on their decimal text unless a numeric test is given.
 */
interface ValueTests {
  readonly text: (value: string) => boolean;
  readonly number: ((value: number) => boolean) | undefined;
}

function fieldEvaluator(field: string, tests: ValueTests): Evaluator {
  const numberTest = tests.number ?? ((v: number) => tests.text(String(v)));
  return (block) => {
    const out = new Uint8Array(block.count);
    const column = block.columns[field];
    if (column !== undefined) testColumn(block, column, tests.text, numberTest, out);
    return out;
  };
}

function testColumn(block: EventBlock, column: Column, text: (v: string) => boolean, number: (v: number) => boolean, out: Uint8Array): void {
  const count = block.count;
  switch (column.t) {
    case 'str': {
      const table = new Uint8Array(column.dict.length + 1);
      for (let code = 1; code <= column.dict.length; code++) table[code] = text(column.dict[code - 1]!) ? 1 : 0;
      for (let i = 0; i < count; i++) out[i] = table[column.codes[i]!]!;
      return;
    }
    case 'list': {
      const table = new Uint8Array(column.dict.length + 1);
      for (let code = 1; code <= column.dict.length; code++) table[code] = (JSON.parse(column.dict[code - 1]!) as string[]).some(text) ? 1 : 0;
      for (let i = 0; i < count; i++) out[i] = table[column.codes[i]!]!;
      return;
    }
    case 'int':
      for (let i = 0; i < count; i++) {
        const v = column.values[i]!;
        out[i] = v !== INT_ABSENT && number(v) ? 1 : 0;
      }
      return;
    case 'num':
      for (let i = 0; i < count; i++) {
        const v = column.values[i]!;
        out[i] = !Number.isNaN(v) && number(v) ? 1 : 0;
      }
      return;
    case 'bool':
      for (let i = 0; i < count; i++) {
        const v = column.values[i]!;
        out[i] = v !== 0 && text(v === 2 ? 'true' : 'false') ? 1 : 0;
      }
      return;
    case 'text':
      for (let i = 0; i < count; i++) {
        out[i] = column.absent[i] !== 1 && text(column.text.slice(i === 0 ? 0 : column.ends[i - 1], column.ends[i])) ? 1 : 0;
      }
      return;
    case 'ref':
      for (let i = 0; i < count; i++) {
        const start = column.starts[i]!;
        if (start < 0) continue;
        const rawStart = i === 0 ? 0 : block.rawEnds[i - 1]!;
        out[i] = text(block.raw.slice(rawStart + start, rawStart + start + column.lengths[i]!)) ? 1 : 0;
      }
      return;
  }
}

/** A regular expression source for a glob written with `*`, `?` and backslash escapes. */
export function globSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function textTest(value: QueryValue, contains: boolean): (text: string) => boolean {
  if (value.wildcard && value.pattern !== undefined) {
    const source = globSource(value.pattern);
    const re = new RegExp(contains ? source : `^${source}$`, 'i');
    return (text) => re.test(text);
  }
  const wanted = value.text.toLowerCase();
  if (contains) {
    const re = new RegExp(escapeRegex(value.text), 'i');
    return (text) => re.test(text);
  }
  return (text) => text.length === wanted.length && text.toLowerCase() === wanted;
}

/**
 * Free text: the raw lines of a block are one joined string, so one case-insensitive regular
 * expression walks them all; each hit is mapped to its event (a hit across two lines is retried).
 */
function freeTextEvaluator(value: QueryValue): Evaluator {
  const source = value.wildcard && value.pattern !== undefined ? globSource(value.pattern) : escapeRegex(value.text);
  const messageTest = textTest(value, true);
  return (block) => {
    const out = new Uint8Array(block.count);
    if (source === '') return out.fill(1);
    const re = new RegExp(source, 'gi');
    const ends = block.rawEnds;
    let event = 0;
    re.lastIndex = 0;
    for (;;) {
      const hit = re.exec(block.raw);
      if (hit === null) break;
      while (event < block.count && ends[event]! <= hit.index) event++;
      if (event >= block.count) break;
      if (hit.index + hit[0].length <= ends[event]!) {
        out[event] = 1;
        re.lastIndex = ends[event]!;
      } else re.lastIndex = hit.index + 1;
    }
    // Messages not cut from the raw line (journal JSON unescaped them) are searched too.
    const message = block.columns[Field.message];
    if (message !== undefined && message.t !== 'ref') {
      const extra = new Uint8Array(block.count);
      testColumn(block, message, messageTest, (v) => messageTest(String(v)), extra);
      for (let i = 0; i < out.length; i++) out[i]! |= extra[i]!;
    }
    return out;
  };
}

type Bound = { readonly value: number | string; readonly inclusive: boolean } | undefined;

function rangeEvaluator(node: Extract<QueryNode, { kind: 'range' | 'compare' }>): Evaluator {
  const [lowerText, upperText, lowerInclusive, upperInclusive] =
    node.kind === 'range'
      ? [node.lower, node.upper, node.lowerInclusive, node.upperInclusive]
      : node.op.startsWith('>')
        ? [node.value, undefined, node.op === '>=', false]
        : [undefined, node.value, false, node.op === '<='];
  const isTime = node.field === Field.timestamp;
  const toBound = (text: string | undefined, inclusive: boolean): Bound => {
    if (text === undefined) return undefined;
    if (isTime) {
      const ms = parseTime(text);
      if (Number.isNaN(ms)) throw new QuerySyntaxError(`"${text}" is not a time (write 2026-03-12T08:00:00 in UTC, or epoch milliseconds)`, node.span);
      return { value: ms, inclusive };
    }
    const n = Number(text);
    return { value: text.trim() !== '' && Number.isFinite(n) ? n : text, inclusive };
  };
  const lower = toBound(lowerText, lowerInclusive);
  const upper = toBound(upperText, upperInclusive);
  const numeric = (lower === undefined || typeof lower.value === 'number') && (upper === undefined || typeof upper.value === 'number');
  const within = <T extends number | string>(v: T): boolean =>
    (lower === undefined || (lower.inclusive ? v >= (lower.value as T) : v > (lower.value as T))) &&
    (upper === undefined || (upper.inclusive ? v <= (upper.value as T) : v < (upper.value as T)));
  if (isTime) return (block) => Uint8Array.from(block.timestamps, (t) => (within(t) ? 1 : 0));
  if (numeric) {
    return fieldEvaluator(node.field, {
      text: (v) => {
        const n = Number(v);
        return v.trim() !== '' && Number.isFinite(n) && within(n);
      },
      number: within,
    });
  }
  return fieldEvaluator(node.field, { text: within, number: (v) => within(String(v)) });
}

/** An instant written in a query: epoch milliseconds, or an ISO date (UTC unless it says otherwise). */
export function parseTime(text: string): number {
  if (/^\d{10,}$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text) ? `${text.replace(' ', 'T')}${text.length > 10 ? 'Z' : 'T00:00:00Z'}` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? NaN : ms;
}

function mayMatch(node: QueryNode, summary: BlockSummary): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => mayMatch(c, summary));
    case 'or':
      return node.children.some((c) => mayMatch(c, summary));
    case 'term': {
      const known = node.field === Field.host ? summary.hosts : node.field === Field.dataset ? summary.datasets : undefined;
      // An empty list means the summary does not know (the column was not dictionary-encoded).
      if (known === undefined || known.length === 0) return true;
      const test = textTest(node.value, false);
      return known.some(test);
    }
    case 'compare':
    case 'range': {
      if (node.field !== Field.timestamp) return true;
      const [lo, hi] = timeBounds(node);
      return !(hi < summary.tsMin || lo > summary.tsMax);
    }
    default:
      return true;
  }
}

/** The instants a time clause can match, edges widened to inclusive (enough to skip blocks). */
function timeBounds(node: Extract<QueryNode, { kind: 'range' | 'compare' }>): [number, number] {
  const or = (text: string | undefined, fallback: number) => {
    const t = text === undefined ? fallback : parseTime(text);
    return Number.isNaN(t) ? fallback : t;
  };
  if (node.kind === 'range') return [or(node.lower, -Infinity), or(node.upper, Infinity)];
  return node.op.startsWith('>') ? [or(node.value, -Infinity), Infinity] : [-Infinity, or(node.value, Infinity)];
}
