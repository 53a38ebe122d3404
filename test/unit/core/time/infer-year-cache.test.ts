import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferYear } from '../../../../src/core/time/syslog-time';
import { wallTimeToUtc } from '../../../../src/core/time/zone';

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

describe('year inference cache in a zone', () => {
  // The uncached rule, spelled out: each year from the reference's next down, wall time read in the zone.
  function zonedReference(month: number, day: number, msOfDay: number, referenceTime: number, zone: string): number {
    const refYear = new Date(referenceTime).getUTCFullYear();
    const s = Math.floor(msOfDay / 1000);
    const at = (year: number): number => wallTimeToUtc(year, month, day, Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60, msOfDay - s * 1000, zone);
    for (let year = refYear + 1; year >= refYear - 8; year--) {
      if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) continue;
      const t = at(year);
      if (t <= referenceTime + 86_400_000) return t;
    }
    return at(refYear - 1);
  }
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/St_Johns'];

  it('gives what the uncached rule gives, across DST switches and the reference day', () => {
    // Stamps bunched around DST nights and the reference, as a file's lines are, in any order.
    const stamp = fc.record({
      month: fc.constantFrom(2, 3, 9, 10, 11),
      day: fc.integer({ min: 1, max: 31 }),
      ms: fc.integer({ min: 0, max: 86_400_999 }),
    });
    const referenceTime = fc.integer({ min: Date.UTC(2018, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(fc.property(fc.constantFrom(...zones), referenceTime, fc.array(stamp, { minLength: 1, maxLength: 30 }), (zone, ref, stamps) => {
      for (const s of stamps) expect(inferYear(s.month, s.day, s.ms, ref, zone)).toBe(zonedReference(s.month, s.day, s.ms, ref, zone));
    }), { numRuns: 300 });
  });

  it('reads each second of a spring-forward and a fall-back night in Berlin as the rule does', () => {
    const ref = Date.UTC(2026, 11, 1);
    for (const [month, day] of [[2, 29], [9, 25]] as const) {
      for (let ms = 0; ms < 5 * 3_600_000; ms += 997) expect(inferYear(month, day, ms, ref, 'Europe/Berlin')).toBe(zonedReference(month, day, ms, ref, 'Europe/Berlin'));
    }
  });

  it('switches year inside the hour where the reference plus a day falls, and in Lord Howe\'s half-hour switch', () => {
    // Reference 2026-06-13 08:30 UTC: Berlin stamps of Jun 14 up to 10:30 (summer time) are this year, later ones last year.
    const ref = Date.UTC(2026, 5, 13, 8, 30);
    expect(new Date(inferYear(5, 14, 10 * 3_600_000 + 29 * 60_000, ref, 'Europe/Berlin')).toISOString()).toBe('2026-06-14T08:29:00.000Z');
    expect(new Date(inferYear(5, 14, 10 * 3_600_000 + 31 * 60_000, ref, 'Europe/Berlin')).toISOString()).toBe('2025-06-14T08:31:00.000Z');
    for (let ms = 9 * 3_600_000; ms < 12 * 3_600_000; ms += 10_007) expect(inferYear(5, 14, ms, ref, 'Europe/Berlin')).toBe(zonedReference(5, 14, ms, ref, 'Europe/Berlin'));
    // Lord Howe moves its clocks by 30 minutes at 02:00 (first Sunday of April 2026: 5 Apr; of October: 4 Oct).
    const later = Date.UTC(2026, 11, 1);
    for (const [month, day] of [[3, 5], [9, 4]] as const) {
      for (let ms = 3_600_000; ms < 3 * 3_600_000; ms += 1_009) expect(inferYear(month, day, ms, later, 'Australia/Lord_Howe')).toBe(zonedReference(month, day, ms, later, 'Australia/Lord_Howe'));
    }
  });
});
