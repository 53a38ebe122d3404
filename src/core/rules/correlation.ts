/**
 * Sigma correlation rules (spec v2.1.0 "Sigma Correlation Rules"; sigma.md A7), evaluated
 * streaming: per group a sliding window over the inputs in time order. A window is judged when it
 * is maximal for its first input (the next input of the group falls outside `timespan`, edges
 * inclusive, or the stream ends); if the condition holds, one match covers the whole window and
 * the next window starts after it (Hayabusa's greedy, non-overlapping bursts); otherwise the first
 * input is dropped and the rest re-judged. Every input enters and leaves a window once, and each
 * judgement is O(1) (O(rules) for temporal_ordered): linear cost.
 */
import type { ConditionOperator, Correlation, CorrelationCondition } from './rule';

/** What a correlation emits. */
export interface CorrelationMatch {
  /** group-by name -> value. */
  readonly groupBy: Readonly<Record<string, string>>;
  /** Time of the first and last contributing input (UTC ms). */
  readonly first: number;
  readonly last: number;
  /** The aggregate compared with the condition: events, distinct values, rules, sum or average. */
  readonly value: number;
  /** Inputs in the window. */
  readonly count: number;
  /** Every contributing event id, in time order. */
  readonly eventIds: readonly number[];
}

/** One input: a match of a referenced rule (or of a chained correlation). */
export interface CorrelationInput {
  /** Index of the referenced rule in `correlation.rules`. */
  readonly rule: number;
  /** Time used for windowing: the event time, or a chained match's last time. */
  readonly time: number;
  /** Earliest time covered (a chained match's first), for reporting. */
  readonly first: number;
  readonly ids: number | readonly number[];
  /** Values of the group-by fields, in order. */
  readonly group: readonly string[];
  /** value_count: the counted value (tuple joined); value_sum/avg: the number. Undefined: ignored. */
  readonly value?: string | number;
}

export function compareHolds(op: ConditionOperator, actual: number, expected: number): boolean {
  switch (op) {
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
  }
}

export function conditionHolds(condition: CorrelationCondition, actual: number): boolean {
  for (const c of condition.comparisons) if (!compareHolds(c.op, actual, c.value)) return false;
  return true;
}

/** Past this many slots, a cleared window gives its arrays back rather than keeping them for reuse. */
const KEEP_SLOTS = 4096;

/**
 * One group's window: entries live in [head, tail) of parallel arrays. Clearing only resets the
 * two indexes (most groups are sparse, so their window empties on nearly every input: truncating
 * five arrays and reallocating a Map each time was a fifth of detection's time), and slots are
 * overwritten in place.
 */
class Group {
  readonly times: number[] = [];
  readonly firsts: number[] = [];
  readonly ids: (number | readonly number[])[] = [];
  readonly rules: number[] = [];
  readonly values: (string | number | undefined)[] = [];
  head = 0;
  tail = 0;
  /** value_count: value -> occurrences in the window. */
  readonly distinct = new Map<string | number, number>();
  sum = 0;
  /** temporal: occurrences per rule in the window; rulesSeen = rules with at least one. */
  readonly perRule: Int32Array;
  rulesSeen = 0;
  /** temporal_ordered: window positions per rule, in order (head index per rule). */
  readonly positions: number[][];
  readonly positionHeads: Int32Array;
  /** Whether `positions` holds anything (temporal_ordered). */
  positioned = false;
  lastTime = -Infinity;

  constructor(
    readonly values0: readonly string[],
    ruleCount: number,
  ) {
    this.perRule = new Int32Array(ruleCount);
    this.positions = Array.from({ length: ruleCount }, () => []);
    this.positionHeads = new Int32Array(ruleCount);
  }

  get size(): number {
    return this.tail - this.head;
  }

  append(time: number, first: number, ids: number | readonly number[], rule: number, value: string | number | undefined): number {
    const at = this.tail++;
    this.times[at] = time;
    this.firsts[at] = first;
    this.ids[at] = ids;
    this.rules[at] = rule;
    this.values[at] = value;
    return at;
  }

  clear(): void {
    this.head = 0;
    this.tail = 0;
    if (this.times.length > KEEP_SLOTS) this.truncate(0);
    if (this.distinct.size > 0) this.distinct.clear();
    this.sum = 0;
    if (this.rulesSeen > 0) {
      this.perRule.fill(0);
      this.rulesSeen = 0;
    }
    if (this.positioned) {
      for (const p of this.positions) p.length = 0;
      this.positionHeads.fill(0);
      this.positioned = false;
    }
  }

  /** Moves the live entries to the front once consumed ones dominate the arrays. */
  compact(): void {
    const h = this.head;
    if (h < 1024 || h * 2 < this.tail) return;
    const n = this.tail - h;
    for (let i = 0; i < n; i++) {
      this.times[i] = this.times[h + i]!;
      this.firsts[i] = this.firsts[h + i]!;
      this.ids[i] = this.ids[h + i]!;
      this.rules[i] = this.rules[h + i]!;
      this.values[i] = this.values[h + i];
    }
    this.truncate(n);
    for (let r = 0; r < this.positions.length; r++) {
      const list = this.positions[r]!;
      const live = list.slice(this.positionHeads[r]!).map((p) => p - h);
      list.length = 0;
      list.push(...live);
      this.positionHeads[r] = 0;
    }
    this.head = 0;
    this.tail = n;
  }

  private truncate(length: number): void {
    this.times.length = length;
    this.firsts.length = length;
    this.ids.length = length;
    this.rules.length = length;
    this.values.length = length;
  }
}

export class CorrelationEvaluator {
  private readonly groups = new Map<string, Group>();
  private readonly condition: CorrelationCondition;
  private readonly ruleCount: number;
  private readonly timespan: number;

  constructor(
    readonly correlation: Correlation,
    private readonly emit: (match: CorrelationMatch) => void,
  ) {
    this.ruleCount = correlation.rules.length;
    this.timespan = correlation.timespanMs;
    this.condition = correlation.condition ?? { comparisons: [{ op: 'gte', value: this.ruleCount }] };
  }

  /** Feeds one input; inputs should come in time order (later ones are treated as arriving now). */
  push(input: CorrelationInput): void {
    const type = this.correlation.type;
    if ((type === 'value_count' || type === 'value_sum' || type === 'value_avg') && input.value === undefined) return;
    const key = input.group.length === 1 ? input.group[0]! : input.group.join('\u001f');
    let group = this.groups.get(key);
    if (group === undefined) {
      group = new Group(input.group, this.ruleCount);
      this.groups.set(key, group);
    }
    const time = input.time < group.lastTime ? group.lastTime : input.time;
    group.lastTime = time;
    while (group.size > 0 && time - group.times[group.head]! > this.timespan) this.judge(group);
    this.add(group, input, time);
  }

  /** Judges every open window (end of the stream). */
  finish(): void {
    for (const group of this.groups.values()) while (group.size > 0) this.judge(group);
    this.groups.clear();
  }

  private add(group: Group, input: CorrelationInput, time: number): void {
    const position = group.append(time, Math.min(input.first, time), input.ids, input.rule, input.value);
    switch (this.correlation.type) {
      case 'value_count': {
        const v = input.value!;
        group.distinct.set(v, (group.distinct.get(v) ?? 0) + 1);
        break;
      }
      case 'value_sum':
      case 'value_avg':
        group.sum += typeof input.value === 'number' ? input.value : Number(input.value);
        break;
      case 'temporal':
        if (group.perRule[input.rule] === 0) group.rulesSeen++;
        group.perRule[input.rule] = (group.perRule[input.rule] ?? 0) + 1;
        break;
      case 'temporal_ordered':
        group.positions[input.rule]!.push(position);
        group.positioned = true;
        break;
      default:
        break;
    }
  }

  private aggregate(group: Group): number {
    switch (this.correlation.type) {
      case 'event_count':
        return group.size;
      case 'value_count':
        return group.distinct.size;
      case 'value_sum':
        return group.sum;
      case 'value_avg':
        return group.size === 0 ? 0 : group.sum / group.size;
      case 'temporal':
        return group.rulesSeen;
      case 'temporal_ordered': {
        // Length of the prefix of `rules` whose first occurrences in the window are in order.
        let previous = -1;
        let n = 0;
        for (let r = 0; r < this.ruleCount; r++) {
          const list = group.positions[r]!;
          const head = group.positionHeads[r]!;
          if (head >= list.length) break;
          const first = list[head]!;
          if (first <= previous) break;
          previous = first;
          n++;
        }
        return n;
      }
      case 'value_percentile':
        return NaN;
    }
  }

  /** Judges the window starting at the group's head; emits and clears, or drops the head. */
  private judge(group: Group): void {
    const value = this.aggregate(group);
    if (conditionHolds(this.condition, value)) {
      const ids: number[] = [];
      let first = Infinity;
      for (let i = group.head; i < group.tail; i++) {
        const x = group.ids[i]!;
        if (typeof x === 'number') ids.push(x);
        else for (const id of x) ids.push(id);
        if (group.firsts[i]! < first) first = group.firsts[i]!;
      }
      const groupBy: Record<string, string> = {};
      this.correlation.groupBy.forEach((name, i) => {
        groupBy[name] = group.values0[i] ?? '';
      });
      this.emit({ groupBy, first, last: group.times[group.tail - 1]!, value, count: group.size, eventIds: ids });
      group.clear();
      return;
    }
    this.dropHead(group);
  }

  private dropHead(group: Group): void {
    const h = group.head;
    switch (this.correlation.type) {
      case 'value_count': {
        const v = group.values[h]!;
        const n = (group.distinct.get(v) ?? 1) - 1;
        if (n === 0) group.distinct.delete(v);
        else group.distinct.set(v, n);
        break;
      }
      case 'value_sum':
      case 'value_avg': {
        const v = group.values[h];
        group.sum -= typeof v === 'number' ? v : Number(v);
        break;
      }
      case 'temporal': {
        const r = group.rules[h]!;
        group.perRule[r] = (group.perRule[r] ?? 1) - 1;
        if (group.perRule[r] === 0) group.rulesSeen--;
        break;
      }
      case 'temporal_ordered': {
        const r = group.rules[h]!;
        group.positionHeads[r] = (group.positionHeads[r] ?? 0) + 1;
        break;
      }
      default:
        break;
    }
    group.ids[h] = 0;
    group.head++;
    if (group.size === 0) group.clear();
    else group.compact();
  }
}
