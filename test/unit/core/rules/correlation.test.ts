/**
 * Correlation rules (sigma.md A7, D6): per-group sliding windows with inclusive edges, greedy
 * non-overlapping bursts, value_count, temporal and temporal_ordered, aliases, chaining, generate.
 */
import { describe, expect, it } from 'vitest';
import type { LoupeEvent } from '../../../../src/core/model/event';
import { CorrelationEvaluator, type CorrelationMatch, loadRules } from '../../../../src/core/rules';
import { ev, run } from './helpers';

const MIN = 60_000;

const FAILED = `title: Failed login
name: failed
author: A. Base
logsource: {product: linux, service: auth}
detection:
  sel:
    event.outcome: failure
  condition: sel
level: low
`;
const OK = `title: Successful login
name: ok
logsource: {product: linux, service: auth}
detection:
  sel:
    event.outcome: success
  condition: sel
`;

function auth(outcome: 'failure' | 'success', minute: number, user: string, extra: Record<string, string> = {}, id?: number): LoupeEvent {
  return ev({ 'event.dataset': 'system.auth', 'event.outcome': outcome, 'user.name': user, ...extra }, { ts: minute * MIN, ...(id !== undefined ? { id } : {}) });
}

function counting(condition: string, timespan = '10m', groupBy = '[user.name]', extra = ''): string {
  return `title: Brute force
name: brute
author: C. Orrelation
correlation:
  type: event_count
  rules: [failed]
  group-by: ${groupBy}
  timespan: ${timespan}
  condition: ${condition}
${extra}level: high
---
${FAILED}`;
}

describe('event_count', () => {
  it('counts per group in a window with inclusive edges (exactly timespan apart is inside)', () => {
    const events = [auth('failure', 0, 'bob', {}, 1), auth('failure', 5, 'bob', {}, 2), auth('failure', 10, 'bob', {}, 3)];
    const [m, ...rest] = run(counting('{gte: 3}'), events);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ kind: 'correlation', ruleId: 'brute', title: 'Brute force', level: 'high', count: 3, value: 3, first: 0, last: 10 * MIN, entities: { 'user.name': 'bob' } });
    expect(m?.eventIds).toEqual([1, 2, 3]);
    expect(m?.authors).toEqual(['C. Orrelation', 'A. Base']);
  });
  it('one millisecond over the timespan is outside', () => {
    const events = [auth('failure', 0, 'bob'), auth('failure', 5, 'bob'), ev({ ...auth('failure', 0, 'bob').fields }, { ts: 10 * MIN + 1 })];
    expect(run(counting('{gte: 3}'), events)).toEqual([]);
  });
  it('slides: drops the oldest event until a window satisfies the condition', () => {
    const events = [auth('failure', 0, 'bob', {}, 10), auth('failure', 20, 'bob', {}, 11), auth('failure', 25, 'bob', {}, 12), auth('failure', 29, 'bob', {}, 13)];
    const matches = run(counting('{gte: 3}'), events);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.eventIds).toEqual([11, 12, 13]);
    expect(matches[0]?.first).toBe(20 * MIN);
  });
  it('one match per burst with the full count, then a new window (greedy, non-overlapping)', () => {
    const events = [0, 1, 2, 3, 4, 5, 30, 31, 32].map((m, i) => auth('failure', m, 'bob', {}, 100 + i));
    const matches = run(counting('{gte: 3}'), events);
    expect(matches.map((m) => m.count)).toEqual([6, 3]);
    expect(matches[1]?.eventIds).toEqual([106, 107, 108]);
  });
  it('keeps groups apart when their events interleave', () => {
    const events: LoupeEvent[] = [];
    for (let m = 0; m < 6; m++) events.push(auth('failure', m, m % 2 === 0 ? 'alice' : 'bob'));
    const matches = run(counting('{gte: 3}'), events);
    expect(matches.map((m) => [m.entities['user.name'], m.count])).toEqual([
      ['alice', 3],
      ['bob', 3],
    ]);
    expect(run(counting('{gte: 4}'), events)).toEqual([]);
  });
  it('events lacking a group-by field are dropped from the correlation', () => {
    const events = [auth('failure', 0, 'bob'), ev({ 'event.dataset': 'system.auth', 'event.outcome': 'failure' }, { ts: MIN }), auth('failure', 2, 'bob')];
    expect(run(counting('{gte: 3}'), events)).toEqual([]);
    expect(run(counting('{gte: 2}'), events)).toHaveLength(1);
  });
  it('multi-field group-by and no group-by (one global group)', () => {
    const events = [auth('failure', 0, 'bob', { 'source.ip': '1.1.1.1' }), auth('failure', 1, 'bob', { 'source.ip': '2.2.2.2' }), auth('failure', 2, 'eve', { 'source.ip': '1.1.1.1' })];
    expect(run(counting('{gte: 2}', '10m', '[user.name, source.ip]'), events)).toEqual([]);
    const global = run(counting('{gte: 3}', '10m', '[]'), events);
    expect(global).toMatchObject([{ count: 3, entities: {} }]);
  });
  it('range, lt and eq conditions are judged on complete windows', () => {
    const events = [0, 1, 2, 3].map((m) => auth('failure', m, 'bob'));
    expect(run(counting('{gt: 2, lte: 4}'), events)).toHaveLength(1);
    expect(run(counting('{gt: 4}'), events)).toHaveLength(0);
    expect(run(counting('{eq: 4}'), events)).toHaveLength(1);
    expect(run(counting('{lt: 2}'), [auth('failure', 0, 'solo')])).toHaveLength(1);
  });
  it('timespan units s m h d', () => {
    const events = [auth('failure', 0, 'bob'), auth('failure', 90, 'bob')];
    expect(run(counting('{gte: 2}', '1h'), events)).toHaveLength(0);
    expect(run(counting('{gte: 2}', '2h'), events)).toHaveLength(1);
    expect(run(counting('{gte: 2}', '5400s'), events)).toHaveLength(1);
    expect(run(counting('{gte: 2}', '1d'), events)).toHaveLength(1);
  });
  it('unsorted input arrays are put in time order first', () => {
    const events = [auth('failure', 10, 'bob'), auth('failure', 0, 'bob'), auth('failure', 5, 'bob')];
    expect(run(counting('{gte: 3}'), events)).toMatchObject([{ first: 0, last: 10 * MIN, count: 3 }]);
  });
  it('generate: base rules give no findings of their own unless generate is true', () => {
    const events = [0, 1, 2].map((m) => auth('failure', m, 'bob'));
    expect(run(counting('{gte: 3}'), events).map((m) => m.kind)).toEqual(['correlation']);
    const both = run(counting('{gte: 3}', '10m', '[user.name]', '  generate: true\n'), events);
    expect(both.map((m) => m.kind).sort()).toEqual(['correlation', 'rule']);
    expect(both.find((m) => m.kind === 'rule')).toMatchObject({ title: 'Failed login', author: 'A. Base', count: 3, entities: { 'user.name': 'bob' } });
  });
});

describe('value_count', () => {
  const scan = (gte: number) => `title: Port scan
correlation:
  type: value_count
  rules: [denied]
  group-by: [src_ip]
  timespan: 10m
  condition: {field: dst_port, gte: ${gte}}
---
title: Firewall denied
name: denied
logsource: {category: firewall}
detection:
  sel: {action: denied}
  condition: sel
`;
  const packet = (minute: number, port: number | undefined, src = '6.6.6.6') =>
    ev({ 'event.dataset': 'ufw', 'event.action': 'block', 'source.ip': src, ...(port !== undefined ? { 'destination.port': port } : {}) }, { ts: minute * MIN });

  it('counts distinct values; repeats and missing values do not count', () => {
    const events = [packet(0, 22), packet(1, 22), packet(2, 23), packet(3, undefined), packet(4, 80)];
    expect(run(scan(4), events)).toEqual([]);
    const [m] = run(scan(3), events);
    expect(m).toMatchObject({ value: 3, count: 4, entities: { src_ip: '6.6.6.6' } });
  });
  it('the window slides per source', () => {
    const events = [packet(0, 1), packet(0, 2, '7.7.7.7'), packet(11, 3), packet(12, 4), packet(13, 5), packet(14, 6, '7.7.7.7')];
    expect(run(scan(3), events)).toMatchObject([{ value: 3, first: 11 * MIN, last: 13 * MIN }]);
  });
});

describe('temporal and temporal_ordered', () => {
  const temporal = (type: string, timespan = '10m') => `title: Failed then success
correlation:
  type: ${type}
  rules: [failed, ok]
  group-by: [user.name]
  timespan: ${timespan}
---
${FAILED}---
${OK}`;

  it('temporal: all rules within the window, any order', () => {
    expect(run(temporal('temporal'), [auth('success', 0, 'bob'), auth('failure', 3, 'bob')])).toHaveLength(1);
    expect(run(temporal('temporal'), [auth('success', 0, 'bob'), auth('failure', 3, 'eve')])).toHaveLength(0);
    expect(run(temporal('temporal'), [auth('success', 0, 'bob'), auth('failure', 11, 'bob')])).toHaveLength(0);
    expect(run(temporal('temporal'), [auth('failure', 0, 'bob'), auth('failure', 1, 'bob')])).toHaveLength(0);
  });
  it('temporal_ordered: B before A does not count, A then B does', () => {
    expect(run(temporal('temporal_ordered'), [auth('success', 0, 'bob'), auth('failure', 3, 'bob')])).toHaveLength(0);
    const ordered = run(temporal('temporal_ordered'), [auth('failure', 0, 'bob', {}, 1), auth('success', 3, 'bob', {}, 2)]);
    expect(ordered).toMatchObject([{ eventIds: [1, 2], value: 2 }]);
    // B A B: the leading B is dropped, A then B remains.
    const bab = run(temporal('temporal_ordered'), [auth('success', 0, 'bob', {}, 3), auth('failure', 1, 'bob', {}, 4), auth('success', 2, 'bob', {}, 5)]);
    expect(bab).toMatchObject([{ eventIds: [4, 5] }]);
  });
  it('aliases: one group-by name read from a different field per rule (spec internal_ip example)', () => {
    const yaml = `title: Same host errors
correlation:
  type: temporal
  rules: [internal_error, remote_error]
  group-by: [ip]
  timespan: 10m
  aliases:
    ip:
      internal_error: destination.ip
      remote_error: source.ip
---
title: internal
name: internal_error
logsource: {product: linux, service: syslog}
detection: {sel: {message: internal}, condition: sel}
---
title: remote
name: remote_error
logsource: {product: linux, service: syslog}
detection: {sel: {message: remote}, condition: sel}
`;
    const a = ev({ 'event.dataset': 'syslog', message: 'internal', 'destination.ip': '10.0.0.5' }, { ts: 0 });
    const b = ev({ 'event.dataset': 'syslog', message: 'remote', 'source.ip': '10.0.0.5' }, { ts: MIN });
    const c = ev({ 'event.dataset': 'syslog', message: 'remote', 'source.ip': '10.0.0.6' }, { ts: MIN });
    expect(run(yaml, [a, b])).toMatchObject([{ entities: { ip: '10.0.0.5' } }]);
    expect(run(yaml, [a, c])).toEqual([]);
  });
  it('chaining: many failed logins (event_count) then a success (spec example)', () => {
    const yaml = `title: Brute force success
correlation:
  type: temporal_ordered
  rules: [many_failed, ok]
  group-by: [user.name]
  timespan: 1h
level: critical
---
title: Many failed
name: many_failed
correlation:
  type: event_count
  rules: [failed]
  group-by: [user.name]
  timespan: 10m
  condition: {gte: 3}
---
${FAILED}---
${OK}`;
    const events = [auth('failure', 0, 'bob', {}, 1), auth('failure', 1, 'bob', {}, 2), auth('failure', 2, 'bob', {}, 3), auth('success', 5, 'bob', {}, 4), auth('success', 6, 'eve', {}, 5)];
    const matches = run(yaml, events);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ title: 'Brute force success', level: 'critical', first: 0, last: 5 * MIN, entities: { 'user.name': 'bob' } });
    expect(matches[0]?.eventIds).toEqual([1, 2, 3, 4]);
    // Without the burst first, nothing.
    expect(run(yaml, [auth('success', 0, 'bob'), auth('failure', 1, 'bob'), auth('failure', 2, 'bob'), auth('failure', 3, 'bob')])).toEqual([]);
  });
  it('a correlation referencing an unknown rule is a compile error', () => {
    const docs = loadRules(counting('{gte: 3}').replace('rules: [failed]', 'rules: [nope]')).documents;
    expect(() => run(counting('{gte: 3}').replace('rules: [failed]', 'rules: [nope]'), [])).toThrow(/'nope'/);
    expect(docs).toHaveLength(2);
  });
});

describe('CorrelationEvaluator directly', () => {
  it('is linear: 200,000 inputs in 2,000 groups', () => {
    const [doc] = loadRules(counting('{gte: 50}')).documents;
    if (doc?.kind !== 'correlation') throw new Error('expected a correlation');
    const out: CorrelationMatch[] = [];
    const evaluator = new CorrelationEvaluator(doc.correlation, (m) => out.push(m));
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i++) evaluator.push({ rule: 0, time: i * 1000, first: i * 1000, ids: i, group: [`u${i % 2000}`] });
    evaluator.finish();
    const ms = performance.now() - t0;
    // Each group sees one input per 2,000 s: 100 inputs in 55 h, never 50 within 10 minutes.
    expect(out).toEqual([]);
    expect(ms).toBeLessThan(2000);
  });
});
