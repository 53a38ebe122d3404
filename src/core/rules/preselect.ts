/**
 * Column-wise pre-selection: which events of a stored block can match at least one detection of a
 * rule set, decided from the block's columns before any event is decoded. Detection decoded and
 * evaluated every event although most match nothing (on an auth log 58 % of the events miss the
 * sshd rule; most firewall and web events miss every rule of the pack).
 *
 * A field test is evaluated once per dictionary entry of a string or list column (once per
 * distinct value of a number column), with the rule's own compiled predicate applied to an event
 * holding only that value, so the semantics (modifiers, case, wildcards, absent values) are the
 * engine's by construction. Per event the verdicts are combined by the detection's condition in a
 * three-valued logic: 0 cannot match, 1 undecided, 2 matches (and = min, or = max, not = 2 - v).
 * What the columns cannot tell (keywords over the raw line, fieldref, derived fields, long-text
 * columns) is undecided, so an event is left out only when it provably cannot match.
 */
import { INT_ABSENT, type Column, type EventBlock } from '../model/block';
import type { FieldValue, LoupeEvent } from '../model/event';
import { resolveCondition, parseCondition, type ResolvedCondition } from './condition';
import { fieldColumns } from './fields';
import { compileItem, type EventPredicate, type MatchOptions } from './match';
import { applyModifiers } from './modifiers';
import type { Detection, DetectionNode } from './rule';
import type { SigmaValue } from './values';

const NO = 0;
const UNDECIDED = 1;
const YES = 2;
/** A column's verdict for an event that lacks the field (replaced by the test's absent verdict). */
const ABSENT = 3;

/** What a rule's detection is made of, for the column evaluation. */
export type SelectNode =
  | { readonly t: 'and' | 'or'; readonly args: readonly SelectNode[] }
  | { readonly t: 'not'; readonly arg: SelectNode }
  /** A test of one field's value: the first of `columns` an event has (fieldAccessor's order). */
  | { readonly t: 'test'; readonly columns: readonly string[]; readonly test: EventPredicate }
  | { readonly t: 'const'; readonly v: number };

/** What the pre-selection reads of a block: its columns and its event count (no raw text). */
export type BlockColumns = Pick<EventBlock, 'count' | 'columns'>;

export const UNKNOWN_NODE: SelectNode = { t: 'const', v: UNDECIDED };
export const TRUE_NODE: SelectNode = { t: 'const', v: YES };

/** The rules an event of each dataset is routed to (engine.ts), each as one node (guard and detection). */
export interface SelectPlan {
  readonly byDataset: ReadonlyMap<string, readonly SelectNode[]>;
  /** Rules with an empty log source: every event. */
  readonly everywhere: readonly SelectNode[];
}

function hasFieldRef(values: readonly SigmaValue[]): boolean {
  return values.some((v) => v.t === 'ref' || (v.t === 'exp' && hasFieldRef(v.values)));
}

function itemNode(node: DetectionNode, options: MatchOptions): SelectNode {
  if (node.kind !== 'item') return { t: node.kind, args: node.nodes.map((n) => itemNode(n, options)) };
  const item = applyModifiers(node.item, options);
  // Keywords read the raw line and every field; a fieldref reads a second field.
  if (item.field === null || hasFieldRef(item.values)) return UNKNOWN_NODE;
  const columns = fieldColumns(item.field, options.table);
  if (columns === undefined) return UNKNOWN_NODE;
  return { t: 'test', columns, test: compileItem(item, options) };
}

function conditionNode(c: ResolvedCondition, identifiers: ReadonlyMap<string, SelectNode>): SelectNode {
  switch (c.t) {
    case 'and':
    case 'or':
      return { t: c.t, args: c.args.map((a) => conditionNode(a, identifiers)) };
    case 'not':
      return { t: 'not', arg: conditionNode(c.arg, identifiers) };
    case 'id':
      return identifiers.get(c.name) ?? { t: 'const', v: NO };
  }
}

/** A detection as compileDetection reads it (its conditions OR-ed), for the column evaluation. */
export function detectionNode(detection: Detection, options: MatchOptions): SelectNode {
  const identifiers = new Map<string, SelectNode>();
  for (const id of detection.identifiers) identifiers.set(id.name, itemNode(id.node, options));
  const names = detection.identifiers.map((i) => i.name);
  const conditions = detection.conditions.map((c) => {
    const source = c.loc !== undefined ? { loc: c.loc } : {};
    return conditionNode(resolveCondition(parseCondition(c.text, source), names, source), identifiers);
  });
  return { t: 'or', args: conditions };
}

/** A per-event verdict, or one for every event of the block. Arrays are owned by the caller. */
type Verdict = number | Uint8Array;

/** An event holding only the given fields (tests are pure: one event is reused for every value of a column). */
function probe(fields: Record<string, FieldValue>): LoupeEvent {
  return { id: 0, timestamp: 0, fileId: 0, line: 0, lineCount: 0, offset: 0, raw: '', fields };
}

/** Per event: the test's verdict on the column's value, ABSENT where the event lacks it. */
function columnVerdicts(column: Column, name: string, test: EventPredicate, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const fields: Record<string, FieldValue> = {};
  const event = probe(fields);
  const verdict = (v: FieldValue): number => {
    fields[name] = v;
    return test(event) ? YES : NO;
  };
  switch (column.t) {
    case 'str':
    case 'list': {
      // The point of it all: one test per dictionary entry, a table lookup per event.
      const table = new Uint8Array(column.dict.length + 1);
      table[0] = ABSENT;
      for (let k = 0; k < column.dict.length; k++) {
        const text = column.dict[k]!;
        table[k + 1] = verdict(column.t === 'str' ? text : (JSON.parse(text) as string[]));
      }
      const codes = column.codes;
      for (let i = 0; i < count; i++) out[i] = table[codes[i]!]!;
      return out;
    }
    case 'bool': {
      const table = [ABSENT, verdict(false), verdict(true)];
      for (let i = 0; i < count; i++) out[i] = table[column.values[i]!]!;
      return out;
    }
    case 'int':
    case 'num': {
      // Few distinct numbers per block (ports, status codes): one test each.
      const seen = new Map<number, number>();
      const values = column.values;
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        if (column.t === 'int' ? v === INT_ABSENT : Number.isNaN(v)) {
          out[i] = ABSENT;
          continue;
        }
        let r = seen.get(v);
        if (r === undefined) seen.set(v, (r = verdict(v)));
        out[i] = r;
      }
      return out;
    }
    case 'text':
      // Rarely repeating values: testing them here would be the engine's work twice.
      for (let i = 0; i < count; i++) out[i] = column.absent[i] === 1 ? ABSENT : UNDECIDED;
      return out;
    case 'ref':
      for (let i = 0; i < count; i++) out[i] = column.starts[i]! < 0 ? ABSENT : UNDECIDED;
      return out;
  }
}

/** `into` combined with a constant, in place; the constant itself when every event ends up `stop`-decided. */
function merge(into: Uint8Array, c: number, and: boolean): Verdict {
  let all = true;
  if (and) {
    if (c === YES) return into;
    for (let i = 0; i < into.length; i++) {
      if (into[i]! > c) into[i] = c;
      if (into[i] !== NO) all = false;
    }
    return all ? NO : into;
  }
  if (c === NO) return into;
  for (let i = 0; i < into.length; i++) {
    if (into[i]! < c) into[i] = c;
    if (into[i] !== YES) all = false;
  }
  return all ? YES : into;
}

function mergeArrays(into: Uint8Array, v: Uint8Array, and: boolean): Verdict {
  let all = true;
  if (and) {
    for (let i = 0; i < into.length; i++) {
      if (v[i]! < into[i]!) into[i] = v[i]!;
      if (into[i] !== NO) all = false;
    }
    return all ? NO : into;
  }
  for (let i = 0; i < into.length; i++) {
    if (v[i]! > into[i]!) into[i] = v[i]!;
    if (into[i] !== YES) all = false;
  }
  return all ? YES : into;
}

class BlockEvaluator {
  private readonly count: number;

  constructor(private readonly block: BlockColumns, private readonly fields: ReadonlySet<string> | null) {
    this.count = block.count;
  }

  /** A column as the decoded events see it: those outside `fields` are not decoded, so absent. */
  column(name: string): Column | undefined {
    return this.fields === null || this.fields.has(name) ? this.block.columns[name] : undefined;
  }

  evaluate(node: SelectNode): Verdict {
    switch (node.t) {
      case 'const':
        return node.v;
      case 'not': {
        const v = this.evaluate(node.arg);
        if (typeof v === 'number') return YES - v;
        for (let i = 0; i < v.length; i++) v[i] = YES - v[i]!;
        return v;
      }
      case 'and':
      case 'or':
        return this.combine(node.t === 'and', node.args);
      case 'test':
        return this.test(node);
    }
  }

  /**
   * and: min, or: max. Stops as soon as every event is decided the stopping way (NO for and, YES
   * for or): the remaining arguments' columns are then never read.
   */
  private combine(and: boolean, args: readonly SelectNode[]): Verdict {
    const stop = and ? NO : YES;
    let acc: Verdict = and ? YES : NO;
    for (const arg of args) {
      const v = this.evaluate(arg);
      if (v === stop) return stop;
      if (typeof v === 'number') {
        if (typeof acc === 'number') acc = and ? Math.min(acc, v) : Math.max(acc, v);
        else acc = merge(acc, v, and);
      } else {
        acc = typeof acc === 'number' ? merge(v, acc, and) : mergeArrays(acc, v, and);
      }
      if (acc === stop) return stop;
    }
    return acc;
  }

  private test(node: Extract<SelectNode, { t: 'test' }>): Verdict {
    const whenAbsent = node.test(probe({})) ? YES : NO;
    let out: Uint8Array | undefined;
    // Later columns first, so the first column an event has decides (fieldAccessor's firstOf).
    for (let c = node.columns.length - 1; c >= 0; c--) {
      const name = node.columns[c]!;
      const column = this.column(name);
      if (column === undefined) continue;
      const verdicts = columnVerdicts(column, name, node.test, this.count);
      if (out === undefined) out = verdicts;
      else for (let i = 0; i < verdicts.length; i++) if (verdicts[i] !== ABSENT) out[i] = verdicts[i]!;
    }
    if (out === undefined) return whenAbsent;
    for (let i = 0; i < out.length; i++) if (out[i] === ABSENT) out[i] = whenAbsent;
    return out;
  }
}

/**
 * Per event of `block`: 1 when some rule of the plan can match it, 0 when none can; null when
 * every event can (or the block's datasets cannot be read from a dictionary). `fields`:
 * the fields the events are decoded with (null: all), so the columns seen are the events' fields.
 */
export function selectEvents(plan: SelectPlan, block: BlockColumns, fields: ReadonlySet<string> | null): Uint8Array | null {
  const evaluator = new BlockEvaluator(block, fields);
  const count = block.count;
  const out = new Uint8Array(count);
  let selected = 0;
  const mark = (v: Verdict, codes?: ArrayLike<number>, code?: number): void => {
    for (let i = 0; i < count; i++) {
      if (out[i] === 0 && (typeof v === 'number' ? v : v[i]!) !== NO && (codes === undefined || codes[i] === code)) {
        out[i] = 1;
        selected++;
      }
    }
  };
  // Once every event is in, the other rules need not be looked at.
  for (const node of plan.everywhere) {
    mark(evaluator.evaluate(node));
    if (selected === count) return null;
  }
  const datasets = evaluator.column('event.dataset');
  if (datasets === undefined) return out;
  // An event's routing reads event.dataset as a string: other kinds route nowhere.
  if (datasets.t === 'text' || datasets.t === 'ref') return null;
  if (datasets.t !== 'str') return out;
  const present = new Uint8Array(datasets.dict.length + 1);
  for (let i = 0; i < count; i++) present[datasets.codes[i]!] = 1;
  for (let code = 1; code < present.length; code++) {
    if (present[code] === 0) continue;
    const nodes = plan.byDataset.get(datasets.dict[code - 1]!);
    if (nodes === undefined) continue;
    // A block of one dataset (the usual: one file, one format) needs no per-event routing.
    const single = present[0] === 0 && present.indexOf(1, 1) === code && present.indexOf(1, code + 1) < 0;
    for (const node of nodes) {
      mark(evaluator.evaluate(node), single ? undefined : datasets.codes, code);
      if (selected === count) return null;
    }
  }
  return out;
}
