/**
 * The correlation window (indexes into reused arrays, cheap clears, compaction) against the rule
 * written plainly: per group, an array window; a head older than the timespan is judged (the whole
 * window emitted and emptied when the condition holds, else the head dropped), at the end every
 * open window is judged. Random inputs in time order, many sparse and a few busy groups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorrelationEvaluator, type CorrelationInput, type CorrelationMatch } from '../../../../src/core/rules';
import type { Correlation, CorrelationCondition, CorrelationType } from '../../../../src/core/rules/rule';

type Op = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';

function holds(condition: CorrelationCondition, value: number): boolean {
  return condition.comparisons.every((c) => {
    switch (c.op as Op) {
      case 'gt': return value > c.value;
      case 'gte': return value >= c.value;
      case 'lt': return value < c.value;
      case 'lte': return value <= c.value;
      case 'eq': return value === c.value;
    }
  });
}

function aggregate(type: CorrelationType, window: readonly CorrelationInput[], ruleCount: number): number {
  switch (type) {
    case 'event_count': return window.length;
    case 'value_count': return new Set(window.map((w) => w.value)).size;
    case 'temporal': return new Set(window.map((w) => w.rule)).size;
    case 'temporal_ordered': {
      // First occurrences of rules 0, 1, ... in increasing positions: the length of that prefix.
      let previous = -1;
      let n = 0;
      for (let r = 0; r < ruleCount; r++) {
        const first = window.findIndex((w) => w.rule === r);
        if (first < 0 || first <= previous) break;
        previous = first;
        n++;
      }
      return n;
    }
    default: return NaN;
  }
}

function reference(correlation: Correlation, condition: CorrelationCondition, inputs: readonly CorrelationInput[]): CorrelationMatch[] {
  const out: CorrelationMatch[] = [];
  const windows = new Map<string, { group: readonly string[]; items: CorrelationInput[] }>();
  const judge = (w: { group: readonly string[]; items: CorrelationInput[] }): void => {
    const value = aggregate(correlation.type, w.items, correlation.rules.length);
    if (holds(condition, value)) {
      const groupBy: Record<string, string> = {};
      correlation.groupBy.forEach((name, i) => { groupBy[name] = w.group[i] ?? ''; });
      out.push({
        groupBy, value, count: w.items.length,
        first: Math.min(...w.items.map((x) => Math.min(x.first, x.time))),
        last: w.items.at(-1)!.time,
        eventIds: w.items.flatMap((x) => (typeof x.ids === 'number' ? [x.ids] : [...x.ids])),
      });
      w.items = [];
    } else w.items.shift();
  };
  for (const input of inputs) {
    if (correlation.type === 'value_count' && input.value === undefined) continue;
    const key = input.group.join('\u001f');
    let w = windows.get(key);
    if (w === undefined) windows.set(key, (w = { group: input.group, items: [] }));
    while (w.items.length > 0 && input.time - w.items[0]!.time > correlation.timespanMs) judge(w);
    w.items.push(input);
  }
  for (const w of windows.values()) while (w.items.length > 0) judge(w);
  return out;
}

interface RandomInput {
  readonly gap: number;
  readonly group: string;
  readonly rule: number;
  readonly value: string | undefined;
  readonly chained: boolean;
}

interface Scenario {
  readonly type: CorrelationType;
  readonly timespanMs: number;
  readonly op: Op;
  readonly threshold: number;
  readonly inputs: readonly RandomInput[];
}

const byGroupThenTime = (a: CorrelationMatch, b: CorrelationMatch): number =>
  JSON.stringify(a.groupBy).localeCompare(JSON.stringify(b.groupBy)) || a.first - b.first || a.last - b.last;

describe('correlation window', () => {
  it('emits what the plainly written window emits, for every correlation type', () => {
    const input: fc.Arbitrary<RandomInput> = fc.record({
      gap: fc.integer({ min: 0, max: 40 }),
      // A few busy groups and many sparse ones.
      group: fc.oneof(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 300 }).map((n) => `g${n}`)),
      rule: fc.integer({ min: 0, max: 2 }),
      value: fc.option(fc.constantFrom('22', '23', '80', '443', '8080'), { nil: undefined }),
      chained: fc.boolean(),
    });
    const scenario = (inputs: fc.Arbitrary<RandomInput[]>, timespan: fc.Arbitrary<number>): fc.Arbitrary<Scenario> => fc.record({
      type: fc.constantFrom<CorrelationType>('event_count', 'value_count', 'temporal', 'temporal_ordered'),
      timespanMs: timespan,
      op: fc.constantFrom<Op>('gt', 'gte', 'lt', 'lte', 'eq'),
      threshold: fc.integer({ min: 1, max: 6 }),
      inputs,
    });
    const check = (s: Scenario): void => {
      const ruleCount = s.type === 'temporal' || s.type === 'temporal_ordered' ? 3 : 1;
      const condition: CorrelationCondition = { comparisons: [{ op: s.op, value: s.type.startsWith('temporal') ? Math.min(s.threshold, 3) : s.threshold }] };
      const correlation: Correlation = {
        type: s.type, rules: ['r0', 'r1', 'r2'].slice(0, ruleCount), groupBy: ['source.ip'], timespanMs: s.timespanMs, timespan: `${s.timespanMs}ms`,
        condition, aliases: {}, generate: false,
      };
      let time = 0;
      const inputs: CorrelationInput[] = s.inputs.map((x, i) => {
        time += x.gap;
        return { rule: x.rule % ruleCount, time, first: time - (x.chained ? 3 : 0), ids: x.chained ? [i, i + 0.5] : i, group: [x.group], ...(x.value !== undefined ? { value: x.value } : {}) };
      });
      const got: CorrelationMatch[] = [];
      const evaluator = new CorrelationEvaluator(correlation, (m) => got.push(m));
      for (const x of inputs) evaluator.push(x);
      evaluator.finish();
      expect([...got].sort(byGroupThenTime)).toEqual(reference(correlation, condition, inputs).sort(byGroupThenTime));
    };
    fc.assert(fc.property(scenario(fc.array(input, { maxLength: 400 }), fc.integer({ min: 0, max: 200 })), check), { numRuns: 600 });
    // Long windows (thousands of entries in one group): the compaction of consumed entries.
    const busy = input.map((x) => ({ ...x, group: x.group.length > 1 ? 'a' : x.group }));
    fc.assert(fc.property(scenario(fc.array(busy, { minLength: 2500, maxLength: 3000 }), fc.constantFrom(5_000, 1_000_000)), check), { numRuns: 20, endOnFailure: true });
  });
});
