import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasAt } from '../../../src/core/text/has-at';

describe('hasAt', () => {
  it('answers as startsWith(part, at) does, on sliced strings too', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'H', 'T', 'P', '/', ' ', 'é', '\u{1F600}'), maxLength: 12 });
    fc.assert(fc.property(text, text, fc.integer({ min: -2, max: 14 }), fc.nat(3), (whole, part, at, cut) => {
      // Lines are slices of a decoded region: the same answer on a slice.
      const sliced = `${'x'.repeat(cut + 13)}${whole}`.slice(cut + 13);
      for (const t of [whole, sliced]) {
        // Inside the text or at its end (startsWith clamps a position past the end; callers never pass one).
        const from = Math.min(Math.max(0, at), t.length);
        expect(hasAt(t, part, from)).toBe(t.startsWith(part, from));
      }
    }), { numRuns: 3000 });
    expect(hasAt('GET / HTTP/1.1', 'HTTP/', 6)).toBe(true);
    expect(hasAt('GET / HTTP/1.1', 'HTTP/', 5)).toBe(false);
    expect(hasAt('ab', '', 2)).toBe(true);
    expect(hasAt('ab', '', 3)).toBe(false);
  });
});
