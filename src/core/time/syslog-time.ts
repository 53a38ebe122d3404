/**
 * Timestamp helpers for the stamps of syslog-family lines, written with indexOf and char codes
 * because they run once per line on the hot path.
 */

import { wallTimeToUtc } from './zone';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const DAY_MS = 86_400_000;

export function monthIndex(abbrev: string): number {
  return MONTHS[abbrev] ?? -1;
}

/** The three char codes of each abbreviation packed into one number, for monthAt. */
const MONTH_CODES = new Map<number, number>(Object.entries(MONTHS).map(([name, index]) => [
  (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), index,
]));

/** monthIndex(text.slice(pos, pos + 3)) without cutting the slice: it runs once per line. */
export function monthAt(text: string, pos: number): number {
  if (pos + 3 > text.length) return -1;
  const a = text.charCodeAt(pos);
  const b = text.charCodeAt(pos + 1);
  const c = text.charCodeAt(pos + 2);
  if ((a | b | c) > 0xff) return -1;
  return MONTH_CODES.get((a << 16) | (b << 8) | c) ?? -1;
}

/** Reads `n` ASCII digits at `pos`; -1 when any is not a digit. */
export function readDigits(text: string, pos: number, n: number): number {
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(pos + i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * The UTC time of a year-less stamp (`Jul 31 20:23:19`): the latest year that does not put the
 * stamp more than a day after `referenceTime` (a day of slack absorbs zone differences). This is
 * also how a file crossing New Year gets December in the earlier year. With `timeZone` (IANA, the
 * host's zone) the stamp is read as wall time in that zone; without, as UTC.
 */
export function inferYear(month: number, day: number, msOfDay: number, referenceTime: number, timeZone?: string): number {
  if (timeZone !== undefined) return inferZonedYear(month, day, msOfDay, referenceTime, timeZone);
  // Lines of a file share a few days: remember the day's UTC start in the year its first and its
  // last time would get (they differ only on the reference day itself).
  const key = month * 32 + day;
  if (key !== cachedDay || referenceTime !== cachedReference) {
    const first = inferYearUncached(month, day, 0, referenceTime);
    const last = inferYearUncached(month, day, LAST_MS_OF_DAY, referenceTime) - LAST_MS_OF_DAY;
    // The year chosen only falls as the time of day grows: from `first`'s day to `last`'s.
    // Between adjacent years there is no third to choose, so the two day starts decide every time.
    const years = new Date(first).getUTCFullYear() - new Date(last).getUTCFullYear();
    if (years > 1) return inferYearUncached(month, day, msOfDay, referenceTime);
    cachedDay = key;
    cachedReference = referenceTime;
    cachedDayStart = first;
    cachedEarlierDayStart = last;
  }
  const t = cachedDayStart + msOfDay;
  return t <= referenceTime + DAY_MS ? t : cachedEarlierDayStart + msOfDay;
}

/** Past a leap second and its fraction: no stamp names a later ms of its day. */
const LAST_MS_OF_DAY = 86_401_000;
let cachedDay = -1;
let cachedReference = NaN;
let cachedDayStart = 0;
/** The same day a year earlier, for the times of the reference day that would fall after it. */
let cachedEarlierDayStart = 0;

/** Ms of an hour including a leap second and its fraction (:59:60.999): the latest a stamp in the hour can name. */
const LAST_MS_OF_HOUR = 3_600_999;
let zonedHour = -1;
let zonedReference = NaN;
let zonedZone = '';
/** UTC of the cached wall hour's start, or NaN when that hour cannot be cached. */
let zonedHourStart = NaN;

/**
 * inferYear in a zone, cached per wall hour: a file's lines share a few hours, and the uncached
 * form costs a zone lookup and several Date objects per line. An hour is cached only when its
 * first and last stamp are exactly the hour's length apart, so no year change (the reference
 * day's edge) and no offset change (a DST switch) falls inside it; then every stamp of the hour is
 * its start plus the time into it, as the uncached form would give.
 */
function inferZonedYear(month: number, day: number, msOfDay: number, referenceTime: number, timeZone: string): number {
  const hour = Math.floor(msOfDay / 3_600_000);
  const key = (month * 32 + day) * 25 + hour;
  if (key !== zonedHour || referenceTime !== zonedReference || timeZone !== zonedZone) {
    const start = inferYearUncached(month, day, hour * 3_600_000, referenceTime, timeZone);
    const last = inferYearUncached(month, day, hour * 3_600_000 + LAST_MS_OF_HOUR, referenceTime, timeZone);
    zonedHour = key;
    zonedReference = referenceTime;
    zonedZone = timeZone;
    zonedHourStart = last - start === LAST_MS_OF_HOUR ? start : NaN;
  }
  if (Number.isNaN(zonedHourStart)) return inferYearUncached(month, day, msOfDay, referenceTime, timeZone);
  return zonedHourStart + (msOfDay - hour * 3_600_000);
}

function inferYearUncached(month: number, day: number, msOfDay: number, referenceTime: number, timeZone?: string): number {
  const refYear = new Date(referenceTime).getUTCFullYear();
  const at = (year: number): number => {
    if (timeZone === undefined) return Date.UTC(year, month, day) + msOfDay;
    const s = Math.floor(msOfDay / 1000);
    return wallTimeToUtc(year, month, day, Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60, msOfDay - s * 1000, timeZone);
  };
  // Feb 29 may need to go back up to 8 years (1896-1904 style gaps) to find a leap year.
  for (let year = refYear + 1; year >= refYear - 8; year--) {
    if (!isValidDay(year, month, day)) continue;
    const t = at(year);
    if (t <= referenceTime + DAY_MS) return t;
  }
  return at(refYear - 1);
}

function isValidDay(year: number, month: number, day: number): boolean {
  return new Date(Date.UTC(year, month, day)).getUTCDate() === day;
}

/** Parses `HH:MM:SS` at `pos`; returns ms of day or -1. */
export function readClock(text: string, pos: number): number {
  const h = readDigits(text, pos, 2);
  const m = readDigits(text, pos + 3, 2);
  const s = readDigits(text, pos + 6, 2);
  if (h < 0 || m < 0 || s < 0 || text.charCodeAt(pos + 2) !== 58 /* : */ || text.charCodeAt(pos + 5) !== 58) return -1;
  if (h > 23 || m > 59 || s > 60) return -1;
  return ((h * 60 + m) * 60 + s) * 1000;
}

/** Reads `.ffffff` fraction digits at `pos` (the dot included); returns [ms, length consumed]. */
export function readFraction(text: string, pos: number): [number, number] {
  if (text.charCodeAt(pos) !== 46 /* . */) return [0, 0];
  let end = pos + 1;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c < 48 || c > 57) break;
    end++;
  }
  const digits = text.slice(pos + 1, end);
  if (digits.length === 0) return [0, 0];
  return [Number(`0.${digits}`) * 1000, end - pos];
}

/**
 * Parses an RFC 3339 / ISO 8601 stamp at `pos` (`2025-09-17T15:41:59.724147+03:00`, also `+0300`,
 * `Z`, and a space instead of `T`). Returns [epoch ms, length] or undefined.
 */
export function readIsoTimestamp(text: string, pos: number): [number, number] | undefined {
  const year = readDigits(text, pos, 4);
  const month = readDigits(text, pos + 5, 2);
  const day = readDigits(text, pos + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (text[pos + 4] !== '-' || text[pos + 7] !== '-') return undefined;
  const sep = text[pos + 10];
  if (sep !== 'T' && sep !== ' ') return undefined;
  const clock = readClock(text, pos + 11);
  if (clock < 0) return undefined;
  let end = pos + 19;
  const [fraction, fractionLength] = readFraction(text, end);
  end += fractionLength;
  let offsetMinutes = 0;
  const z = text[end];
  if (z === 'Z') {
    end += 1;
  } else if (z === '+' || z === '-') {
    const oh = readDigits(text, end + 1, 2);
    if (oh < 0) return undefined;
    let om: number;
    if (text[end + 3] === ':') {
      om = readDigits(text, end + 4, 2);
      if (om < 0) return undefined;
      end += 6;
    } else {
      om = readDigits(text, end + 3, 2);
      if (om < 0) return undefined;
      end += 5;
    }
    offsetMinutes = (z === '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  const t = Date.UTC(year, month - 1, day) + clock + fraction - offsetMinutes * 60_000;
  return [t, end - pos];
}
