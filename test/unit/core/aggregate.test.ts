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

describe('block encoding', () => {
  it('keeps rarely repeating strings plain and still round-trips and counts them', async () => {
    const { decodeEvent } = await import('../../../src/core/model/block');
    const events = Array.from({ length: 600 }, (_, i) => ev(i, { 'message': `a long message that does not repeat, number ${i}`, 'host.name': 'h', 'source.port': i % 7 === 0 ? 'x' : i }));
    const block = encodeBlock(0, 1, events);
    expect(block.columns['message']!.t).toBe('text');
    expect(block.columns['host.name']!.t).toBe('str');
    // A column that mixes numbers and strings is stored as strings.
    expect(['str', 'text']).toContain(block.columns['source.port']!.t);
    for (const i of [0, 255, 256, 599]) expect(decodeEvent(block, i).fields).toEqual({ message: `a long message that does not repeat, number ${i}`, 'host.name': 'h', 'source.port': i % 7 === 0 ? 'x' : String(i) });
    const counts = new Map<string, number>();
    countByField(block, 'message', counts);
    expect(counts.size).toBe(600);
  });

  it('handles events whose keys come in different orders and sets', async () => {
    const { decodeEvent } = await import('../../../src/core/model/block');
    const events = [ev(1, { a: 'x', b: 1 }), ev(2, { b: 2, a: 'y' }), ev(3, { c: true }), ev(4, { a: 'z', c: false, b: 3 })];
    const block = encodeBlock(0, 1, events);
    expect(events.map((_, i) => decodeEvent(block, i).fields)).toEqual([{ a: 'x', b: 1 }, { a: 'y', b: 2 }, { c: true }, { a: 'z', b: 3, c: false }]);
  });
});

describe('compact columns', () => {
  it('keeps strings cut from the raw line as positions in it, and whole numbers as 32-bit integers', async () => {
    const { decodeEvent } = await import('../../../src/core/model/block');
    const raws = ['Mar 12 host kernel: [UFW BLOCK] IN=eth0 SRC=1.2.3.4', 'Mar 12 host kernel: eth0 up'];
    const events = raws.map((raw, i) => ({ timestamp: i, line: i + 1, lineCount: 1, offset: 0, raw, fields: { message: raw.slice(20), 'url.original': i === 0 ? 'SRC' : 'eth0', 'source.port': i === 0 ? 22 : 70000, 'x.ratio': 0.5 } }));
    // Unique lines, so the message column is not worth a dictionary.
    const many = Array.from({ length: 300 }, (_, k) => {
      const raw = `${events[k % 2]!.raw} n=${k}`;
      return { ...events[k % 2]!, raw, fields: { ...events[k % 2]!.fields, message: raw.slice(20) } };
    });
    const block = encodeBlock(0, 1, many);
    expect(block.columns['message']!.t).toBe('ref');
    expect(block.columns['source.port']!.t).toBe('int');
    expect(block.columns['x.ratio']!.t).toBe('num');
    for (const k of [0, 1, 257, 299]) expect(decodeEvent(block, k).fields).toEqual(many[k]!.fields);
    const counts = new Map<string, number>();
    countByField(block, 'message', counts);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(300);
  });
});

describe('dictionary choice', () => {
  it('keeps short values such as addresses in a dictionary even when they rarely repeat', () => {
    const events = Array.from({ length: 600 }, (_, i) => ev(i, { 'source.ip': `203.0.${i >> 8}.${i & 255}` }));
    expect(encodeBlock(0, 1, events).columns['source.ip']!.t).toBe('str');
  });
});
