import { describe, expect, it } from 'vitest';
import { countByField, indexesInTimeRange } from '../../../src/core/model/aggregate';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';

const ev = (t: number, fields: PendingEvent['fields']): PendingEvent => ({ timestamp: t, line: 1, lineCount: 1, offset: 0, raw: '', fields });

describe('block aggregation', () => {
  const block = encodeBlock(0, 1, [
    ev(10, { 'source.ip': 'a', 'destination.port': 22, 'event.category': ['network', 'x'] }),
    ev(20, { 'source.ip': 'b', 'destination.port': 22 }),
    ev(30, { 'source.ip': 'a' }),
    ev(40, { 'destination.port': 80, 'netfilter.forwarded': true }),
  ]);

  it('counts values of string, number, boolean and list columns, skipping absent ones', () => {
    const ips = new Map<string, number>();
    countByField(block, 'source.ip', ips);
    expect([...ips]).toEqual([['a', 2], ['b', 1]]);
    const ports = new Map<string, number>();
    countByField(block, 'destination.port', ports);
    expect(Object.fromEntries(ports)).toEqual({ 22: 2, 80: 1 });
    const lists = new Map<string, number>();
    countByField(block, 'event.category', lists);
    expect(Object.fromEntries(lists)).toEqual({ network: 1, x: 1 });
    const flags = new Map<string, number>();
    countByField(block, 'netfilter.forwarded', flags);
    expect(Object.fromEntries(flags)).toEqual({ true: 1 });
    const none = new Map<string, number>();
    countByField(block, 'no.such.field', none);
    expect(none.size).toBe(0);
  });

  it('selects a time range with inclusive edges', () => {
    expect(indexesInTimeRange(block, 20, 30)).toEqual([1, 2]);
    expect(indexesInTimeRange(block, 41, 50)).toEqual([]);
    expect(indexesInTimeRange(block, 0, 10)).toEqual([0]);
  });
});
