import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferYear } from '../../../../src/core/time/syslog-time';

/** The rule, written plainly: the latest year whose stamp is at most a day after the reference. */
function reference(month: number, day: number, msOfDay: number, referenceTime: number): number {
  const refYear = new Date(referenceTime).getUTCFullYear();
  for (let year = refYear + 1; year >= refYear - 8; year--) {
    if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) continue;
    const t = Date.UTC(year, month, day) + msOfDay;
    if (t <= referenceTime + 86_400_000) return t;
  }
  return Date.UTC(refYear - 1, month, day) + msOfDay;
}

describe('year inference cache', () => {
  it('gives what the rule gives, also on the reference day and on Feb 29, in any order of calls', () => {
    const stamp = fc.record({
      month: fc.integer({ min: 0, max: 11 }),
      day: fc.integer({ min: 1, max: 31 }),
      ms: fc.integer({ min: 0, max: 86_400_999 }),
    });
    const referenceTime = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(fc.property(referenceTime, fc.array(stamp, { minLength: 1, maxLength: 40 }), (ref, stamps) => {
      for (const s of stamps) expect(inferYear(s.month, s.day, s.ms, ref)).toBe(reference(s.month, s.day, s.ms, ref));
    }), { numRuns: 300 });
  });

  it('switches year within the reference day at the reference time plus a day', () => {
    const ref = Date.UTC(2026, 2, 13, 10);
    // Mar 14 up to 10:00 is within a day of the reference: this year; later that day: last year.
    expect(new Date(inferYear(2, 14, 10 * 3_600_000, ref)).toISOString()).toBe('2026-03-14T10:00:00.000Z');
    expect(new Date(inferYear(2, 14, 10 * 3_600_000 + 1, ref)).toISOString()).toBe('2025-03-14T10:00:00.001Z');
    expect(new Date(inferYear(2, 14, 0, ref)).toISOString()).toBe('2026-03-14T00:00:00.000Z');
    expect(new Date(inferYear(1, 29, 0, Date.UTC(2026, 5, 1))).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});
