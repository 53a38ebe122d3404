import { hasAt } from '../text/has-at';
import type { InferredTimePart } from '../model/event';
import { inferYear, monthAt, readClock, readDigits, readFraction, readIsoTimestamp } from '../time/syslog-time';

/**
 * The envelope of a syslog-family line: rsyslog traditional (RFC 3164, `Jul  4 ...`, also with a
 * `<PRI>` and an unpadded `Feb 7`), journalctl short / short-precise (`Jul 04 ...`), RFC 3339 stamps
 * (rsyslog high precision, journalctl short-iso with `+00:00` or `+0000`) and RFC 5424
 * (`<34>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg`). What follows a 3164 stamp is
 * `host tag[pid]: message`; the host may be missing (`Nov 23 21:50:19 sshd[8148]: ...`).
 */
export interface SyslogEnvelope {
  readonly timestamp: number;
  readonly inferred: readonly InferredTimePart[];
  /** '' when the line names no host. */
  readonly host: string;
  readonly program: string;
  readonly pid: number | undefined;
  readonly message: string;
  /** Kernel uptime in seconds from `kernel: [ 1234.567890] ` (kern.log), when present. */
  readonly uptime: number | undefined;
  /** `<PRI>` value (facility * 8 + severity), when the line has one. */
  readonly priority?: number;
  /** RFC 5424 MSGID, when not `-`. */
  readonly msgid?: string;
  /** RFC 5424 STRUCTURED-DATA as written (`[id k="v"][...]`), when not `-`. */
  readonly structuredData?: string;
}

const YEAR_AND_ZONE: readonly InferredTimePart[] = Object.freeze(['year', 'zone']);
const NOTHING_INFERRED: readonly InferredTimePart[] = Object.freeze([]);

/** Where the stamp read by readStamp ended, and what it inferred (module state: no tuple per line). */
let stampEnd = 0;
let stampInferred: readonly InferredTimePart[] = NOTHING_INFERRED;

/**
 * The last RFC 3164 minute (`Mar 12 08:03:` as written, with its padding), for the lines that
 * follow in the same minute: their time is the minute's second 0 plus their seconds. The minute is
 * only trusted once its second 0 and its second 60 lie exactly 60 s apart under the same reference
 * time and zone (no year boundary or zone transition inside it), and only for whole seconds: a
 * fraction is added in floating point and takes the full path.
 */
let minuteText = '';
let minuteReference = NaN;
let minuteZone: string | undefined;
/** 0: seen once (not checked yet), 1: usable, -1: not usable. */
let minuteState = 0;
let minuteTime = 0;
let minuteMonth = 0;
let minuteDay = 0;
let minuteClock = 0;

/** Parses the stamp at `start` of `line`; returns [time, inferred parts, index after stamp]. */
export function parseSyslogStamp(
  line: string,
  referenceTime: number,
  timeZone?: string,
  start = 0,
): [number, readonly InferredTimePart[], number] | undefined {
  const t = readStamp(line, referenceTime, timeZone, start);
  return t === undefined ? undefined : [t, stampInferred, stampEnd];
}

/** The stamp's time (stampEnd and stampInferred set), or undefined. */
function readStamp(line: string, referenceTime: number, timeZone: string | undefined, start: number): number | undefined {
  if (minuteState >= 0 && minuteText !== '' && hasAt(line, minuteText, start) && referenceTime === minuteReference && timeZone === minuteZone) {
    const at = start + minuteText.length;
    const s = readDigits(line, at, 2);
    if (s >= 0 && s <= 60 && line.charCodeAt(at + 2) !== 46 /* . */) {
      if (minuteState === 0) {
        const first = inferYear(minuteMonth, minuteDay, minuteClock, referenceTime, timeZone);
        const last = inferYear(minuteMonth, minuteDay, minuteClock + 60_000, referenceTime, timeZone);
        minuteState = Number.isFinite(first) && last - first === 60_000 ? 1 : -1;
        minuteTime = first;
      }
      if (minuteState === 1) {
        stampEnd = at + 2;
        stampInferred = YEAR_AND_ZONE;
        return minuteTime + s * 1000;
      }
    }
  }
  return readStampFully(line, referenceTime, timeZone, start);
}

function readStampFully(line: string, referenceTime: number, timeZone: string | undefined, start: number): number | undefined {
  const first = line.charCodeAt(start);
  if (first >= 48 && first <= 57) {
    const iso = readIsoTimestamp(line, start);
    if (iso === undefined) return undefined;
    stampEnd = start + iso[1];
    stampInferred = NOTHING_INFERRED;
    return iso[0];
  }
  // "Mmm dd HH:MM:SS" with dd space- or zero-padded, or not padded at all ("Feb 7 16:01:07").
  if (line.length < start + 14 || line.charCodeAt(start + 3) !== 32) return undefined;
  const month = monthAt(line, start);
  if (month < 0) return undefined;
  let pos = start + 4;
  if (line.charCodeAt(pos) === 32) pos++;
  const d1 = readDigits(line, pos, 1);
  if (d1 < 0) return undefined;
  let day = d1;
  pos++;
  const d2 = readDigits(line, pos, 1);
  if (d2 >= 0) {
    day = d1 * 10 + d2;
    pos++;
  }
  if (day < 1 || day > 31 || line.charCodeAt(pos) !== 32) return undefined;
  const clock = readClock(line, pos + 1);
  if (clock < 0) return undefined;
  const [fraction, fractionLength] = readFraction(line, pos + 9);
  const t = inferYear(month, day, clock + fraction, referenceTime, timeZone);
  if (!Number.isFinite(t)) return undefined;
  if (fractionLength === 0 && line.charCodeAt(pos + 9) !== 46) {
    // A new minute: remembered, checked when a second line shares it.
    const text = line.slice(start, pos + 7);
    if (text !== minuteText || referenceTime !== minuteReference || timeZone !== minuteZone) {
      minuteText = text;
      minuteReference = referenceTime;
      minuteZone = timeZone;
      minuteState = 0;
      minuteMonth = month;
      minuteDay = day;
      minuteClock = clock - readDigits(line, pos + 7, 2) * 1000;
    }
  }
  stampEnd = pos + 9 + fractionLength;
  stampInferred = YEAR_AND_ZONE;
  return t;
}

let lastHost = '';

/**
 * Number(text.slice(from, to).trim()) for the kernel's `[   43.132314]`, by char codes: spaces,
 * digits, a dot, digits. The digits as one integer over a power of ten is one correctly rounded
 * division, so it is the same double Number() reads. Anything else goes to Number().
 */
export function readUptime(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) === 32) i++;
  let n = 0;
  let digits = 0;
  let scale = 1;
  let dot = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
      if (dot) scale *= 10;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i === to && digits > 0 && digits <= 15 && !(dot && scale === 1)) return n / scale;
  return Number(text.slice(from, to).trim());
}

/** `<PRI>` at the start: [priority, index after]. */
function readPri(line: string): [number, number] | undefined {
  if (line.charCodeAt(0) !== 60 /* < */) return undefined;
  const close = line.indexOf('>');
  if (close < 2 || close > 4) return undefined;
  const digits = line.slice(1, close);
  if (!/^\d+$/.test(digits)) return undefined;
  const pri = Number(digits);
  return pri > 191 ? undefined : [pri, close + 1];
}

/** End (exclusive) of RFC 5424 STRUCTURED-DATA starting at `pos` with `[`, or -1. */
function structuredDataEnd(line: string, pos: number): number {
  let i = pos;
  while (line.charCodeAt(i) === 91 /* [ */) {
    i++;
    let inQuote = false;
    for (;;) {
      if (i >= line.length) return -1;
      const c = line.charCodeAt(i);
      if (inQuote && c === 92 /* \ */) { i += 2; continue; }
      if (c === 34) inQuote = !inQuote;
      else if (c === 93 /* ] */ && !inQuote) break;
      i++;
    }
    i++;
  }
  return i;
}

function parseRfc5424(line: string, priority: number, pos: number): SyslogEnvelope | undefined {
  // VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
  const fields: string[] = [];
  let i = pos;
  for (let n = 0; n < 5; n++) {
    const sp = line.indexOf(' ', i);
    if (sp <= i) return undefined;
    fields.push(line.slice(i, sp));
    i = sp + 1;
  }
  const [stamp, hostName, app, procid, msgid] = fields as [string, string, string, string, string];
  let timestamp = NaN;
  if (stamp !== '-') {
    const iso = readIsoTimestamp(stamp, 0);
    if (iso === undefined || iso[1] !== stamp.length) return undefined;
    timestamp = iso[0];
  }
  let structuredData: string | undefined;
  if (line.charCodeAt(i) === 45 /* - */ && (i + 1 === line.length || line.charCodeAt(i + 1) === 32)) {
    i += 1;
  } else if (line.charCodeAt(i) === 91) {
    const end = structuredDataEnd(line, i);
    if (end < 0) return undefined;
    structuredData = line.slice(i, end);
    i = end;
  } else {
    return undefined;
  }
  if (i < line.length && line.charCodeAt(i) !== 32) return undefined;
  let message = line.slice(i + 1);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const pidNumber = Number(procid);
  return {
    timestamp,
    inferred: NOTHING_INFERRED,
    host: hostName === '-' ? '' : hostName,
    program: app === '-' ? '' : app,
    pid: procid !== '-' && Number.isInteger(pidNumber) ? pidNumber : undefined,
    message,
    uptime: undefined,
    priority,
    ...(msgid !== '-' ? { msgid } : {}),
    ...(structuredData !== undefined ? { structuredData } : {}),
  };
}

/** A `tag[pid]:` / `tag:` / `[tag]:` / `[tag]` token: [program, pid] or undefined. */
function readTag(token: string, requireColon: boolean): [string, number | undefined] | undefined {
  let tag = token;
  if (hasAt(tag, ':', tag.length - 1)) tag = tag.slice(0, -1);
  else if (requireColon && !(hasAt(tag, '[', 0) && hasAt(tag, ']', tag.length - 1))) return undefined;
  if (tag === '') return undefined;
  if (hasAt(tag, '[', 0) && hasAt(tag, ']', tag.length - 1) && tag.length > 2) return [tag.slice(1, -1), undefined];
  const bracket = tag.indexOf('[');
  if (bracket > 0 && hasAt(tag, ']', tag.length - 1)) {
    const parsedPid = Number(tag.slice(bracket + 1, -1));
    return [tag.slice(0, bracket), Number.isInteger(parsedPid) ? parsedPid : undefined];
  }
  if (bracket >= 0 || tag.includes(']')) return undefined;
  return [tag, undefined];
}

/** What readTagAt read. */
let tagProgram = '';
/** The program of the last `tag[pid]` readTagAt read. */
let lastTagProgram = '';
/** The last tag readTagAt read that had no `[` or `]` at all (`kernel`), whole. */
let lastPlainProgram = '';

/** ` host tag: ` of the last line whose tag was bare (lastPlainProgram), and its host and program; '' when the line after differed. */
let headText = '';
let headHost = '';
let headProgram = '';
let tagPid: number | undefined;

/** Recent program names, reused rather than sliced again (a file names a few programs over and over). */
const PROGRAMS: string[] = ['sshd', 'CRON', 'sudo', 'kernel', 'systemd', 'su', 'sshd-session', 'systemd-logind'];
let programNext = 0;

function programAt(line: string, from: number, to: number): string {
  const n = to - from;
  const first = line.charCodeAt(from);
  for (const name of PROGRAMS) if (name.length === n && name.charCodeAt(0) === first && hasAt(line, name, from)) return name;
  const name = line.slice(from, to);
  PROGRAMS[programNext] = name;
  programNext = (programNext + 1) % PROGRAMS.length;
  return name;
}

/**
 * readTag(line.slice(from, to) + ':', true) without the slices: true with tagProgram and tagPid
 * set, false where readTag gives undefined.
 */
function readTagAt(line: string, from: number, to: number): boolean {
  if (to === from) return false;
  const last = line.charCodeAt(to - 1);
  if (line.charCodeAt(from) === 91 /* [ */ && last === 93 /* ] */ && to - from > 2) {
    tagProgram = line.slice(from + 1, to - 1);
    tagPid = undefined;
    return true;
  }
  // The same bare tag as the last bare one (`kernel`): it holds no `[` or `]`, so it reads the same.
  const plain = lastPlainProgram.length;
  if (plain === to - from && plain > 0 && hasAt(line, lastPlainProgram, from)) {
    tagProgram = lastPlainProgram;
    tagPid = undefined;
    return true;
  }
  // The program of the tag before (no `[` in it) followed by `[`: that is the first `[`, found
  // and named without a search.
  const known = lastTagProgram.length;
  let bracket: number;
  let program: string | undefined;
  if (known > 0 && from + known < to && line.charCodeAt(from + known) === 91 && hasAt(line, lastTagProgram, from)) {
    bracket = from + known;
    program = lastTagProgram;
  } else {
    bracket = line.indexOf('[', from);
    if (bracket >= to) bracket = -1;
  }
  if (bracket > from && last === 93) {
    tagProgram = lastTagProgram = program ?? programAt(line, from, bracket);
    tagPid = readPid(line, bracket + 1, to - 1);
    return true;
  }
  if (bracket >= 0) return false;
  const close = line.indexOf(']', from);
  if (close >= 0 && close < to) return false;
  tagProgram = lastPlainProgram = programAt(line, from, to);
  tagPid = undefined;
  return true;
}

/** Number(line.slice(from, to)) when an integer, else undefined; plain digits read by char codes. */
function readPid(line: string, from: number, to: number): number | undefined {
  let n = 0;
  if (to > from && to - from <= 15) {
    let i = from;
    for (; i < to; i++) {
      const c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    if (i === to) return n;
  }
  const parsed = Number(line.slice(from, to));
  return Number.isInteger(parsed) ? parsed : undefined;
}

export function parseSyslogEnvelope(line: string, referenceTime: number, timeZone?: string): SyslogEnvelope | undefined {
  let start = 0;
  let priority: number | undefined;
  const pri = readPri(line);
  if (pri !== undefined) {
    priority = pri[0];
    start = pri[1];
    if (hasAt(line, '1 ', start)) return parseRfc5424(line, priority, start + 2);
  }
  const timestamp = readStamp(line, referenceTime, timeZone, start);
  if (timestamp === undefined) return undefined;
  const inferred = stampInferred;
  if (line.charCodeAt(stampEnd) !== 32) return undefined;
  let host: string;
  let program = '';
  let pid: number | undefined;
  let messageStart: number;
  // The text between the stamp and the message of the line before, when its tag was a bare one
  // (` maas-region-01 kernel: `): where this line has it too, it reads the same.
  if (headText !== '' && hasAt(line, headText, stampEnd)) {
    host = headHost;
    program = headProgram;
    messageStart = stampEnd + headText.length;
  } else {
    headText = '';
    const hostStart = stampEnd + 1;
    // The host repeats on every line: the previous line's string is kept rather than a new slice.
    // It holds no space (it ended at the first), so where the line has it and then a space, that
    // space is the first one: no search for it.
    const known = lastHost.length;
    let hostEnd: number;
    if (known > 0 && line.charCodeAt(hostStart + known) === 32 && hasAt(line, lastHost, hostStart)) {
      hostEnd = hostStart + known;
      host = lastHost;
    } else {
      hostEnd = line.indexOf(' ', hostStart);
      if (hostEnd <= hostStart) return undefined;
      host = known === hostEnd - hostStart && hasAt(line, lastHost, hostStart) ? lastHost : (lastHost = line.slice(hostStart, hostEnd));
    }
    messageStart = hostEnd + 1;
    // No host: the token after the stamp is already the tag (`sshd[8148]:`, `[sshd]:`, `[sshd]`).
    // (host is line[hostStart, hostEnd): its first and last chars read off the line.)
    const hostLast = line.charCodeAt(hostEnd - 1);
    const hostAsTag = hostLast === 58 /* : */ || (hostLast === 93 /* ] */ && line.charCodeAt(hostStart) === 91 /* [ */) ? readTag(host, true) : undefined;
    if (hostAsTag !== undefined) {
      [program, pid] = hostAsTag;
      host = '';
    } else {
      const tagEnd = line.indexOf(' ', messageStart);
      const tokenEnd = tagEnd < 0 ? line.length : tagEnd;
      if (tokenEnd > messageStart && line.charCodeAt(tokenEnd - 1) === 58 /* : */) {
        if (readTagAt(line, messageStart, tokenEnd - 1)) {
          program = tagProgram;
          pid = tagPid;
        } else {
          program = line.slice(messageStart, tokenEnd - 1);
        }
        if (tagEnd >= 0 && pid === undefined && program === lastPlainProgram && program !== '') {
          headText = line.slice(stampEnd, tagEnd + 1);
          headHost = host;
          headProgram = program;
        }
        messageStart = tagEnd < 0 ? line.length : tagEnd + 1;
      }
    }
  }

  let uptime: number | undefined;
  if (program === 'kernel' && line.charCodeAt(messageStart) === 91 /* [ */) {
    // `[ uptime] ` read off the line, so that the message is cut once, after it.
    const close = line.indexOf('] ', messageStart);
    const value = close > messageStart ? readUptime(line, messageStart + 1, close) : NaN;
    if (Number.isFinite(value)) {
      uptime = value;
      messageStart = close + 2;
    }
  }
  const message = line.slice(messageStart);
  const envelope: { -readonly [K in keyof SyslogEnvelope]: SyslogEnvelope[K] } = { timestamp, inferred, host, program, pid, message, uptime };
  if (priority !== undefined) envelope.priority = priority;
  return envelope;
}
