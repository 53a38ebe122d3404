/**
 * Local wall time -> UTC for an IANA zone, with nothing but Intl.DateTimeFormat (no tz database of
 * our own). Used for year-less syslog stamps written in the host's zone (etc/timezone of a bundle).
 */

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone name this runtime knows (`Europe/Zurich`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at instant `utc`, in ms (Zurich in summer: +7_200_000). */
export function zoneOffsetAt(utc: number, zone: string): number {
  const seconds = Math.floor(utc / 1000) * 1000;
  const parts = formatterFor(zone).formatToParts(new Date(seconds));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
      default: break;
    }
  }
  if (bc) year = 1 - year;
  const wall = utcOf(year, month - 1, day, hour, minute, second, 0);
  return wall - seconds;
}

/** Date.UTC without its two-digit-year quirk. */
function utcOf(y: number, m: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** Cache: wall-clock hour (as UTC ms) of a zone -> its UTC offset. Transitions fall on whole hours almost everywhere. */
const offsetCache = new Map<string, number>();
const MAX_CACHE = 8192;

/**
 * The UTC instant of a wall time in `zone`. `month` is 0-based as in Date.UTC. A wall time that
 * occurs twice (the hour repeated when DST ends) takes the earlier instant; one that does not
 * exist (skipped when DST starts) is read with the offset in force before the gap, so 02:30 on a
 * spring-forward night becomes 03:30 summer time, as Temporal's "compatible" rule and `date -d` do.
 * Throws RangeError for an unknown zone.
 */
export function wallTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  zone: string,
): number {
  const wall = utcOf(year, month, day, hour, minute, second, ms);
  if (!Number.isFinite(wall)) return NaN;
  const hourKey = `${zone}\u0000${Math.floor(wall / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return wall - cached;
  const before = zoneOffsetAt(wall - DAY, zone);
  const after = zoneOffsetAt(wall + DAY, zone);
  let offset: number;
  if (before === after) {
    offset = before;
  } else {
    const early = wall - before;
    const late = wall - after;
    const earlyValid = zoneOffsetAt(early, zone) === before;
    const lateValid = zoneOffsetAt(late, zone) === after;
    if (earlyValid && lateValid) offset = early <= late ? before : after;
    else if (earlyValid) offset = before;
    else if (lateValid) offset = after;
    else offset = before; // in the gap: the pre-transition offset moves the time forward
  }
  // A transition inside this hour (a zone switching at :30) makes the hour uncacheable.
  const hourStart = Math.floor(wall / 3_600_000) * 3_600_000;
  if (zoneOffsetAt(hourStart - offset, zone) === offset && zoneOffsetAt(hourStart + 3_599_999 - offset, zone) === offset) {
    if (offsetCache.size >= MAX_CACHE) offsetCache.clear();
    offsetCache.set(hourKey, offset);
  }
  return wall - offset;
}
