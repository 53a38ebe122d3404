/**
 * Compiles a detection into a predicate over events (sigma.md A3): maps are AND of their items,
 * lists of maps OR, a list of values OR (AND with `all`); plain strings match whole values,
 * case-insensitively, with `*`/`?` wildcards; numbers match equal numbers or their decimal text;
 * `null` and `[]` match an absent field; keywords search the raw line and the string fields.
 * Everything is compiled once: per event the work is field lookups and RegExp tests.
 */
import type { FieldValue, RuleEvent } from '../model/event';
import { SigmaError, type SigmaLocation } from './errors';
import { fieldAccessor, type FieldAccessor, type FieldTable } from './fields';
import { applyModifiers, asKeyword, cidrContains, translateRegex, type ModifierContext, type ModifiedItem, type TimePart } from './modifiers';
import { resolveCondition, parseCondition, type ResolvedCondition } from './condition';
import type { Detection, DetectionNode } from './rule';
import { ONE, STAR, type SigmaStr, type SigmaValue } from './values';

export type EventPredicate = (event: RuleEvent) => boolean;
type Scalar = string | number | boolean;
type ScalarTest = (value: Scalar, event: RuleEvent) => boolean;

export interface MatchOptions extends ModifierContext {
  /** The taxonomy table for the rule's log source (undefined: field names are ECS names). */
  readonly table?: FieldTable;
  /**
   * Where keywords (value-only searches) look: the raw line only, or the raw line and every
   * string field (sigma.md A3's proposal: decoded URL parts, messages). Default 'raw+fields'.
   */
  readonly keywordScope?: 'raw' | 'raw+fields';
  /** Shared by the rules of a set so an event's keyword texts are gathered once. */
  readonly keywordTexts?: KeywordTexts;
}

/**
 * The texts keywords search besides the raw line: string fields whose value does not occur in
 * the raw line (decoded URL parts, joined messages). A keyword is `*text*`, so a field that is a
 * slice of the raw line cannot match when the raw line did not. Gathered once per event.
 */
export class KeywordTexts {
  private last: RuleEvent | undefined;
  private readonly texts: string[] = [];

  get(e: RuleEvent): readonly string[] {
    if (e === this.last) return this.texts;
    this.last = e;
    const texts = this.texts;
    texts.length = 0;
    const raw = e.raw;
    const fields = e.fields;
    for (const name in fields) {
      const v = fields[name]!;
      if (typeof v === 'string') {
        if (v.length > 0 && !isEvidenceField(name) && raw.indexOf(v) < 0) texts.push(v);
      } else if (typeof v === 'object' && !isEvidenceField(name)) {
        for (let i = 0; i < v.length; i++) if (raw.indexOf(v[i]!) < 0) texts.push(v[i]!);
      }
    }
    return texts;
  }
}

/** Relative cost of a predicate, so AND/OR try cheap tests first (predicates are pure). */
const costs = new WeakMap<EventPredicate, number>();
function withCost(p: EventPredicate, cost: number): EventPredicate {
  costs.set(p, cost);
  return p;
}
function costOf(p: EventPredicate): number {
  return costs.get(p) ?? 1;
}
function byCost(predicates: readonly EventPredicate[]): EventPredicate[] {
  return [...predicates].sort((a, b) => costOf(a) - costOf(b));
}

const ALWAYS: EventPredicate = () => true;
const NEVER: EventPredicate = () => false;

// ---------------------------------------------------------------------------------------------
// Strings

const REGEX_META = /[\\^$.*+?()[\]{}|/]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_META, '\\$&');
}

/** The RegExp source of a wildcard string, unanchored at a leading/trailing `*`. */
export function sigmaStringSource(s: SigmaStr): string {
  const parts = s.parts;
  let start = 0;
  let end = parts.length;
  const anchoredStart = parts[0] !== STAR;
  const anchoredEnd = parts[parts.length - 1] !== STAR || parts.length === 0;
  if (!anchoredStart) start = 1;
  if (!anchoredEnd && end > start) end--;
  let src = anchoredStart ? '^' : '';
  for (let i = start; i < end; i++) {
    const p = parts[i]!;
    if (p === STAR) src += '[\\s\\S]*';
    else if (p === ONE) src += '[\\s\\S]';
    else if (typeof p === 'string') src += escapeRegex(p);
    else throw new SigmaError('placeholder', `placeholder %${p.placeholder}% needs the 'expand' modifier and a value list`);
  }
  if (anchoredEnd) src += '$';
  return src;
}

/** One RegExp for an OR of wildcard strings of the same case-sensitivity. */
export function stringsRegex(values: readonly SigmaStr[], cased: boolean): RegExp {
  const sources = values.map(sigmaStringSource);
  const source = sources.length === 1 ? sources[0]! : sources.map((s) => `(?:${s})`).join('|');
  return new RegExp(source, cased ? '' : 'i');
}

function textOf(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}

// ---------------------------------------------------------------------------------------------
// Values

function numericValue(value: Scalar): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function flatten(values: readonly SigmaValue[]): SigmaValue[] {
  const out: SigmaValue[] = [];
  for (const v of values) {
    if (v.t === 'exp') out.push(...flatten(v.values));
    else out.push(v);
  }
  return out;
}

function orTests(tests: readonly ScalarTest[]): ScalarTest | undefined {
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests as [ScalarTest, ScalarTest];
    return (v, e) => a(v, e) || b(v, e);
  }
  return (v, e) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(v, e)) return true;
    return false;
  };
}

function refTest(ref: Extract<SigmaValue, { t: 'ref' }>, options: MatchOptions): ScalarTest {
  const other = fieldAccessor(ref.field, options.table);
  const norm = ref.cased ? (s: string) => s : (s: string) => s.toLowerCase();
  const compare = (a: string, b: string): boolean => {
    const x = norm(a);
    const y = norm(b);
    switch (ref.mode) {
      case 'eq':
        return x === y;
      case 'contains':
        return x.includes(y);
      case 'startswith':
        return x.startsWith(y);
      case 'endswith':
        return x.endsWith(y);
    }
  };
  return (value, event) => {
    const o = other(event);
    if (o === undefined) return false;
    const a = textOf(value);
    if (typeof o === 'object') {
      for (const item of o) if (compare(a, item)) return true;
      return false;
    }
    return compare(a, textOf(o));
  };
}

/**
 * Compiles an OR of values into one scalar test plus whether an absent field matches (null) and
 * whether the list is an `exists` test.
 */
function compileOr(
  values: readonly SigmaValue[],
  options: MatchOptions,
  loc?: SigmaLocation,
): { test?: ScalarTest; absent: boolean; exists?: boolean; cost: number } {
  const flat = flatten(values);
  const tests: ScalarTest[] = [];
  const insensitive: SigmaStr[] = [];
  const sensitive: SigmaStr[] = [];
  let absent = false;
  let exists: boolean | undefined;
  for (const v of flat) {
    switch (v.t) {
      case 'str':
        (v.cased ? sensitive : insensitive).push(v);
        break;
      case 're': {
        const { source, flags } = translateRegex(v.source, v.flags, loc);
        const re = new RegExp(source, flags);
        tests.push((x) => re.test(textOf(x)));
        break;
      }
      case 'num': {
        const n = v.v;
        const text = String(n);
        tests.push((x) => (typeof x === 'number' ? x === n : typeof x === 'string' && x === text));
        break;
      }
      case 'bool': {
        const b = v.v;
        const text = String(b);
        tests.push((x) => (typeof x === 'boolean' ? x === b : typeof x === 'string' && x.toLowerCase() === text));
        break;
      }
      case 'null':
        absent = true;
        break;
      case 'cidr':
        tests.push((x) => typeof x === 'string' && cidrContains(v, x));
        break;
      case 'cmp': {
        const n = v.v;
        const cmp =
          v.op === 'lt' ? (a: number) => a < n : v.op === 'lte' ? (a: number) => a <= n : v.op === 'gt' ? (a: number) => a > n : (a: number) => a >= n;
        tests.push((x) => {
          const a = numericValue(x);
          return a !== undefined && cmp(a);
        });
        break;
      }
      case 'exists':
        exists = v.v;
        break;
      case 'ref':
        tests.push(refTest(v, options));
        break;
    }
  }
  for (const [group, cased] of [
    [insensitive, false],
    [sensitive, true],
  ] as const) {
    if (group.length === 0) continue;
    const re = stringsRegex(group, cased);
    tests.push((x) => re.test(typeof x === 'string' ? x : String(x)));
  }
  const test = orTests(tests);
  // Unanchored (contains-like) string patterns and regexes scan the text; the rest fail fast.
  const scans = [...insensitive, ...sensitive].some((v) => v.parts[0] === STAR) || flat.some((v) => v.t === 're' || v.t === 'ref');
  const cost = (scans ? 10 : 1) + flat.length / 100;
  return { ...(test !== undefined ? { test } : {}), absent, ...(exists !== undefined ? { exists } : {}), cost };
}

function isAbsent(v: FieldValue | undefined): boolean {
  return v === undefined || (typeof v === 'object' && v.length === 0);
}

function fieldPredicate(access: FieldAccessor, values: readonly SigmaValue[], options: MatchOptions, loc?: SigmaLocation): EventPredicate {
  const { test, absent, exists, cost } = compileOr(values, options, loc);
  if (exists !== undefined) {
    return exists ? (e) => access(e) !== undefined : (e) => access(e) === undefined;
  }
  if (test === undefined) return absent ? (e) => isAbsent(access(e)) : NEVER;
  return withCost((e) => {
    const v = access(e);
    if (v === undefined) return absent;
    if (typeof v === 'object') {
      if (v.length === 0) return absent;
      for (let i = 0; i < v.length; i++) if (test(v[i]!, e)) return true;
      return false;
    }
    return test(v, e);
  }, cost);
}

// ---------------------------------------------------------------------------------------------
// Time parts

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

/** A part of a time (UTC): minute, hour, day of month, ISO week, month 1-12, year. */
export function timePart(ms: number, part: TimePart): number {
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

function timeAccessor(access: FieldAccessor, part: TimePart): FieldAccessor {
  return (e) => {
    const v = access(e);
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    return Number.isFinite(ms) ? timePart(ms, part) : undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Keywords

/** Evidence fields written by Loupe, not by the log: keywords never search them. */
function isEvidenceField(name: string): boolean {
  return name.startsWith('log.') || name.startsWith('loupe.') || name === 'event.dataset' || name === 'host.name';
}

function keywordPredicate(values: readonly SigmaValue[], options: MatchOptions, loc?: SigmaLocation): EventPredicate {
  const { test } = compileOr(values.map(asKeyword), options, loc);
  if (test === undefined) return NEVER;
  if (options.keywordScope === 'raw') return withCost((e) => test(e.raw, e), 50);
  const extra = options.keywordTexts ?? new KeywordTexts();
  return withCost((e) => {
    if (test(e.raw, e)) return true;
    const texts = extra.get(e);
    for (let i = 0; i < texts.length; i++) if (test(texts[i]!, e)) return true;
    return false;
  }, 60);
}

// ---------------------------------------------------------------------------------------------
// Items, identifiers, conditions

export function compileItem(item: ModifiedItem, options: MatchOptions): EventPredicate {
  const make = (values: readonly SigmaValue[]): EventPredicate => {
    if (item.field === null) return keywordPredicate(values, options, item.loc);
    let access = fieldAccessor(item.field, options.table);
    if (item.timePart !== undefined) access = timeAccessor(access, item.timePart);
    return fieldPredicate(access, values, options, item.loc);
  };
  let predicate: EventPredicate;
  if (item.all && item.values.length > 1) {
    predicate = andAll(byCost(item.values.map((v) => make([v]))));
  } else {
    predicate = make(item.values);
  }
  if (item.negate) {
    const inner = predicate;
    predicate = withCost((e) => !inner(e), costOf(inner));
  }
  return predicate;
}

export function andAll(predicates: readonly EventPredicate[]): EventPredicate {
  if (predicates.length === 0) return ALWAYS;
  if (predicates.length === 1) return predicates[0]!;
  return withCost(andAllRaw(predicates), predicates.reduce((n, p) => n + costOf(p), 0));
}

function andAllRaw(predicates: readonly EventPredicate[]): EventPredicate {
  if (predicates.length === 2) {
    const [a, b] = predicates as [EventPredicate, EventPredicate];
    return (e) => a(e) && b(e);
  }
  return (e) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(e)) return false;
    return true;
  };
}

export function orAll(predicates: readonly EventPredicate[]): EventPredicate {
  if (predicates.length === 0) return NEVER;
  if (predicates.length === 1) return predicates[0]!;
  return withCost(orAllRaw(predicates), predicates.reduce((n, p) => n + costOf(p), 0));
}

function orAllRaw(predicates: readonly EventPredicate[]): EventPredicate {
  if (predicates.length === 2) {
    const [a, b] = predicates as [EventPredicate, EventPredicate];
    return (e) => a(e) || b(e);
  }
  return (e) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(e)) return true;
    return false;
  };
}

/** Compiles a search identifier's structure (maps AND, lists OR) with its modifiers applied. */
export function compileNode(node: DetectionNode, options: MatchOptions): EventPredicate {
  switch (node.kind) {
    case 'and':
      return andAll(byCost(node.nodes.map((n) => compileNode(n, options))));
    case 'or':
      return orAll(byCost(node.nodes.map((n) => compileNode(n, options))));
    case 'item':
      return compileItem(applyModifiers(node.item, options), options);
  }
}

export function compileCondition(condition: ResolvedCondition, identifiers: ReadonlyMap<string, EventPredicate>): EventPredicate {
  switch (condition.t) {
    case 'and':
      return andAll(byCost(condition.args.map((c) => compileCondition(c, identifiers))));
    case 'or':
      return orAll(byCost(condition.args.map((c) => compileCondition(c, identifiers))));
    case 'not': {
      const inner = compileCondition(condition.arg, identifiers);
      return withCost((e) => !inner(e), costOf(inner));
    }
    case 'id':
      return identifiers.get(condition.name) ?? NEVER;
  }
}

/** A detection (identifiers + one or more conditions, OR-ed) compiled to one predicate. */
export function compileDetection(detection: Detection, options: MatchOptions = {}): EventPredicate {
  if (detection.timeframe !== undefined) {
    throw new SigmaError('legacy', "'timeframe' is the pre-v2 aggregation window; rewrite the rule as a correlation rule with 'timespan'", detection.timeframeLoc ?? {});
  }
  const identifiers = new Map<string, EventPredicate>();
  for (const id of detection.identifiers) identifiers.set(id.name, compileNode(id.node, options));
  const names = detection.identifiers.map((i) => i.name);
  const conditions = detection.conditions.map((c) => {
    const source = c.loc !== undefined ? { loc: c.loc } : {};
    return compileCondition(resolveCondition(parseCondition(c.text, source), names, source), identifiers);
  });
  if (conditions.length === 0) throw new SigmaError('structure', "the detection has no 'condition'");
  return orAll(conditions);
}
