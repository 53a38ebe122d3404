import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashedDuplicateIndex, duplicateHash, duplicateKey, hash53 } from '../../../src/core/ingest/duplicates';
import type { PendingEvent } from '../../../src/core/model/block';

const kernel = (message: string, host: string | undefined, timestamp: number): PendingEvent => ({
  timestamp, line: 1, lineCount: 1, offset: 0, raw: message,
  fields: { 'event.dataset': 'ufw', message, ...(host !== undefined ? { 'host.name': host } : {}) },
});

describe('duplicate index', () => {
  it('hashes the parts of the key exactly as the key text', () => {
    for (const event of [kernel('[UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 ', 'region', 1_773_273_601_999), kernel('', undefined, 0), kernel('ünïcode \u0000 x', 'h', -1500)]) {
      expect(duplicateHash(event)).toBe(hash53(duplicateKey(event)!));
    }
    expect(hash53('')).toBe(hash53(''));
    expect(hash53('a')).not.toBe(hash53('b'));
    expect(duplicateHash({ ...kernel('x', 'h', 0), fields: { 'event.dataset': 'syslog', message: 'x' } })).toBeUndefined();
  });

  it('hashes any time and message as the key text: negative, fractional, huge and non-finite stamps, odd and even lengths', () => {
    fc.assert(fc.property(
      fc.oneof(fc.integer({ min: -1e13, max: 1e16 }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, 999, 1000, 9_007_199_254_740_991_000)),
      fc.string(), fc.option(fc.string(), { nil: undefined }),
      (timestamp, message, host) => {
        const event = kernel(message, host, timestamp);
        expect(duplicateHash(event)).toBe(hash53(duplicateKey(event)!));
      },
    ), { numRuns: 2000 });
  });

  it('keeps the first id per hash, reports it only to other files, and survives growing', () => {
    const index = new HashedDuplicateIndex();
    const n = 20_000;
    for (let i = 0; i < n; i++) expect(index.seen(hash53(`line ${i}`), i, 1)).toBeUndefined();
    // Same file again: not a duplicate, and the kept id does not change.
    expect(index.seen(hash53('line 7'), 99_999, 1)).toBeUndefined();
    for (let i = 0; i < n; i += 997) expect(index.seen(hash53(`line ${i}`), 50_000 + i, 2)).toBe(i);
    expect(index.seen(hash53('line 7'), 1, 3)).toBe(7);
    expect(index.seen(hash53('new line'), 123, 2)).toBeUndefined();
    expect(index.seen(hash53('new line'), 5, 1)).toBe(123);
  });
});

describe('hash53 over words', () => {
  it('hashes parts as their concatenation, whatever the parity of each part', () => {
    const texts = ['', 'a', 'ab', 'abc', 'abcd', '\u0000', 'a\u0000', 'ü\uFFFF', 'x'.repeat(257)];
    for (const a of texts) for (const b of texts) {
      const event = kernel(b, a, 1000 * (a.length + b.length));
      expect(duplicateHash(event)).toBe(hash53(duplicateKey(event)!));
    }
  });

  it('gives distinct values to near texts (lengths, a trailing zero unit, swapped halves)', () => {
    const seen = new Set<number>();
    const texts = ['a', 'a\u0000', 'a\u0000\u0000', '\u0000a', 'ab', 'ba', 'a\u8000', '\u8000a', 'abc', 'abc\u0000'];
    for (let i = 0; i < 2000; i++) texts.push(`[UFW BLOCK] IN=eth0 OUT= SRC=10.0.${i >> 8}.${i & 255} `, `line ${i}`);
    for (const t of texts) seen.add(hash53(t));
    expect(seen.size).toBe(texts.length);
  });
});
