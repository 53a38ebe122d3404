import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferYear } from '../../../../src/core/time/syslog-time';
import { isValidTimeZone, wallTimeToUtc, zoneOffsetAt } from '../../../../src/core/time/zone';

const iso = (t: number): string => new Date(t).toISOString();

describe('wallTimeToUtc', () => {
  it('reads wall time in winter and summer offsets', () => {
    expect(iso(wallTimeToUtc(2005, 0, 15, 12, 0, 0, 0, 'Europe/Zurich'))).toBe('2005-01-15T11:00:00.000Z');
    expect(iso(wallTimeToUtc(2005, 6, 15, 12, 0, 0, 250, 'Europe/Zurich'))).toBe('2005-07-15T10:00:00.250Z');
    expect(iso(wallTimeToUtc(2026, 2, 12, 8, 3, 11, 0, 'UTC'))).toBe('2026-03-12T08:03:11.000Z');
    expect(iso(wallTimeToUtc(2026, 2, 12, 8, 3, 11, 0, 'America/New_York'))).toBe('2026-03-12T12:03:11.000Z');
    expect(iso(wallTimeToUtc(2026, 2, 12, 8, 3, 11, 0, 'Asia/Kolkata'))).toBe('2026-03-12T02:33:11.000Z');
  });

  it('puts a time in the spring-forward gap after it (02:30 -> 03:30 summer time)', () => {
    // Zurich 2005-03-27: 02:00 CET became 03:00 CEST (01:00 UTC).
    expect(iso(wallTimeToUtc(2005, 2, 27, 2, 30, 0, 0, 'Europe/Zurich'))).toBe('2005-03-27T01:30:00.000Z');
    expect(iso(wallTimeToUtc(2005, 2, 27, 1, 59, 59, 0, 'Europe/Zurich'))).toBe('2005-03-27T00:59:59.000Z');
    expect(iso(wallTimeToUtc(2005, 2, 27, 3, 0, 0, 0, 'Europe/Zurich'))).toBe('2005-03-27T01:00:00.000Z');
  });

  it('takes the earlier instant of a repeated fall-back hour', () => {
    // Zurich 2005-10-30: 03:00 CEST became 02:00 CET (01:00 UTC); 02:30 happened twice.
    expect(iso(wallTimeToUtc(2005, 9, 30, 2, 30, 0, 0, 'Europe/Zurich'))).toBe('2005-10-30T00:30:00.000Z');
    expect(iso(wallTimeToUtc(2005, 9, 30, 3, 0, 0, 0, 'Europe/Zurich'))).toBe('2005-10-30T02:00:00.000Z');
    expect(iso(wallTimeToUtc(2025, 10, 2, 1, 30, 0, 0, 'America/New_York'))).toBe('2025-11-02T05:30:00.000Z');
  });

  it('handles a half-hour shift (Lord Howe) and the date line (Apia skipped 2011-12-30)', () => {
    expect(zoneOffsetAt(Date.UTC(2025, 0, 1), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
    expect(zoneOffsetAt(Date.UTC(2025, 6, 1), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
    expect(iso(wallTimeToUtc(2011, 11, 31, 12, 0, 0, 0, 'Pacific/Apia'))).toBe('2011-12-30T22:00:00.000Z');
  });

  it('knows valid zones and rejects others', () => {
    expect(isValidTimeZone('Europe/Zurich')).toBe(true);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(() => wallTimeToUtc(2005, 0, 1, 0, 0, 0, 0, 'Not/AZone')).toThrow(RangeError);
  });

  it('property: the wall time of the result reads back as the input, except in a gap', () => {
    const zones = ['Europe/Zurich', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'UTC', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, instant) => {
        const t = Math.floor(instant / 1000) * 1000;
        const wall = new Date(t + zoneOffsetAt(t, zone));
        const back = wallTimeToUtc(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), 0, zone);
        // Either the same instant, or (in a repeated hour) the earlier one with the same wall time.
        expect(back <= t).toBe(true);
        expect(back + zoneOffsetAt(back, zone)).toBe(t + zoneOffsetAt(t, zone));
      }),
      { numRuns: 500 },
    );
  });
});

describe('inferYear with a host zone', () => {
  const now = Date.UTC(2005, 7, 14, 10); // fail2ban's tests' "now"
  it('gives fail2ban years and reads the stamp as local time', () => {
    expect(iso(inferYear(5, 21, (16 * 3600 + 47 * 60 + 48) * 1000, now, 'Europe/Zurich'))).toBe('2005-06-21T14:47:48.000Z');
    expect(iso(inferYear(10, 11, (23 * 3600 + 33 * 60 + 27) * 1000, now, 'Europe/Zurich'))).toBe('2004-11-11T22:33:27.000Z');
    // Without a zone the stamp is UTC, as before.
    expect(iso(inferYear(5, 21, 0, now))).toBe('2005-06-21T00:00:00.000Z');
  });
  it('skips a year without Feb 29', () => {
    expect(iso(inferYear(1, 29, 0, Date.UTC(2026, 2, 1), 'UTC'))).toBe('2024-02-29T00:00:00.000Z');
  });
});
