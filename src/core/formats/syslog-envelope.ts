import type { InferredTimePart } from '../model/event';
import { inferYear, monthIndex, readClock, readDigits, readFraction, readIsoTimestamp } from '../time/syslog-time';

/**
 * The envelope of a syslog-family line: rsyslog traditional (RFC 3164, `Jul  4 ...`), journalctl
 * short / short-precise (`Jul 04 ...`), and RFC 3339 stamps (rsyslog high precision, journalctl
 * short-iso with `+00:00` or `+0000`). What follows the stamp is `host tag[pid]: message`.
 */
export interface SyslogEnvelope {
  readonly timestamp: number;
  readonly inferred: readonly InferredTimePart[];
  readonly host: string;
  readonly program: string;
  readonly pid: number | undefined;
  readonly message: string;
  /** Kernel uptime in seconds from `kernel: [ 1234.567890] ` (kern.log), when present. */
  readonly uptime: number | undefined;
}

const YEAR_AND_ZONE: readonly InferredTimePart[] = Object.freeze(['year', 'zone']);
const NOTHING_INFERRED: readonly InferredTimePart[] = Object.freeze([]);

/** Parses the stamp at the start of `line`; returns [time, inferred parts, index after stamp]. */
export function parseSyslogStamp(
  line: string,
  referenceTime: number,
): [number, readonly InferredTimePart[], number] | undefined {
  const first = line.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const iso = readIsoTimestamp(line, 0);
    if (iso === undefined) return undefined;
    return [iso[0], NOTHING_INFERRED, iso[1]];
  }
  // "Mmm dd HH:MM:SS" with dd space- or zero-padded.
  if (line.length < 15 || line[3] !== ' ') return undefined;
  const month = monthIndex(line.slice(0, 3));
  if (month < 0) return undefined;
  const d1 = line.charCodeAt(4);
  const tens = d1 === 32 ? 0 : d1 - 48;
  const ones = readDigits(line, 5, 1);
  if (tens < 0 || tens > 3 || ones < 0 || line[6] !== ' ') return undefined;
  const day = tens * 10 + ones;
  if (day < 1 || day > 31) return undefined;
  const clock = readClock(line, 7);
  if (clock < 0) return undefined;
  const [fraction, fractionLength] = readFraction(line, 15);
  const t = inferYear(month, day, clock + fraction, referenceTime);
  return [t, YEAR_AND_ZONE, 15 + fractionLength];
}

export function parseSyslogEnvelope(line: string, referenceTime: number): SyslogEnvelope | undefined {
  const stamp = parseSyslogStamp(line, referenceTime);
  if (stamp === undefined) return undefined;
  const [timestamp, inferred, stampEnd] = stamp;
  if (line.charCodeAt(stampEnd) !== 32) return undefined;
  const hostStart = stampEnd + 1;
  const hostEnd = line.indexOf(' ', hostStart);
  if (hostEnd <= hostStart) return undefined;
  const host = line.slice(hostStart, hostEnd);

  let program = '';
  let pid: number | undefined;
  let messageStart = hostEnd + 1;
  const tagEnd = line.indexOf(' ', messageStart);
  const tagToken = tagEnd < 0 ? line.slice(messageStart) : line.slice(messageStart, tagEnd);
  if (tagToken.endsWith(':')) {
    const tag = tagToken.slice(0, -1);
    const bracket = tag.indexOf('[');
    if (bracket > 0 && tag.endsWith(']')) {
      program = tag.slice(0, bracket);
      const parsedPid = Number(tag.slice(bracket + 1, -1));
      pid = Number.isInteger(parsedPid) ? parsedPid : undefined;
    } else {
      program = tag;
    }
    messageStart = tagEnd < 0 ? line.length : tagEnd + 1;
  }

  let message = line.slice(messageStart);
  let uptime: number | undefined;
  if (program === 'kernel' && message.charCodeAt(0) === 91 /* [ */) {
    const close = message.indexOf('] ');
    const value = close > 0 ? Number(message.slice(1, close).trim()) : NaN;
    if (Number.isFinite(value)) {
      uptime = value;
      message = message.slice(close + 2);
    }
  }
  return { timestamp, inferred, host, program, pid, message, uptime };
}
