import { hasAt } from '../text/has-at';
import type { ParsedFields } from '../model/event';
import { readIsoTimestamp } from '../time/syslog-time';
import { isValidTimeZone, wallTimeToUtc } from '../time/zone';
import { AUTH_DATASET } from './auth-common';
import { CONTINUATION, type LineResult, type LogFormat, type ParseContext, type ParsedRecord, unparsed } from './format';
import { SYSLOG_MESSAGE_PARSERS, type SyslogMessageParser } from './syslog-messages';
import { parseSyslogEnvelope, type SyslogEnvelope } from './syslog-envelope';
import { roomyFieldsMaker } from './roomy-fields';
import { SshdSessions } from './sshd-sessions';
import { isSshd } from './sshd';

/**
 * Syslog-family files: /var/log/syslog, kern.log, ufw.log, auth.log and journalctl text output as
 * sos saves it. The envelope is parsed here; messages that carry structure of their own are
 * parsed by their message parser (syslog-messages.ts) and take that parser's dataset.
 */

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/** ECS `log.syslog.*` from a `<PRI>` value or a journal PRIORITY (severity only, facility undefined). */
export function setSyslogPriority(fields: ParsedFields, severity: number, facility?: number): void {
  if (facility !== undefined) {
    fields['log.syslog.priority'] = facility * 8 + severity;
    fields['log.syslog.facility.code'] = facility;
    const name = FACILITIES[facility];
    if (name !== undefined) fields['log.syslog.facility.name'] = name;
  }
  fields['log.syslog.severity.code'] = severity;
  const name = SEVERITIES[severity];
  if (name !== undefined) fields['log.syslog.severity.name'] = name;
}

/** The message parsers that accept a program, in order of trial: accepts() asked once per program name, not per line. */
const parsersByProgram = new Map<string, readonly SyslogMessageParser[]>();
const MAX_PROGRAMS = 512;

/** The program of the line before and its parsers: most lines repeat it (no Map lookup then). */
let lastProgram = '';
let lastParsers: readonly SyslogMessageParser[] | undefined;

function parsersFor(program: string): readonly SyslogMessageParser[] {
  if (program === lastProgram && lastParsers !== undefined) return lastParsers;
  let parsers = parsersByProgram.get(program);
  if (parsers === undefined) {
    parsers = SYSLOG_MESSAGE_PARSERS.filter((parser) => parser.accepts(program));
    // Program names come from the file: a hostile one cannot grow the map without bound.
    if (parsersByProgram.size >= MAX_PROGRAMS) parsersByProgram.clear();
    parsersByProgram.set(program, parsers);
  }
  lastProgram = program;
  lastParsers = parsers;
  return parsers;
}

const NO_ENVELOPE = 'no syslog timestamp and host at the start of the line';

/** Room in the object for the envelope's fields of a message no parser reads. */
const newEnvelopeFields = roomyFieldsMaker();

/** Runs the message parsers on an envelope; the event with host, process and message fields. */
export function syslogEventOf(envelope: SyslogEnvelope): ParsedRecord {
  let dataset = envelope.program === 'kernel' ? 'kernel' : 'syslog';
  let fields: ParsedFields | undefined;
  for (const parser of parsersFor(envelope.program)) {
    const parsed = parser.parse(envelope);
    if (parsed !== undefined) {
      dataset = parsed.dataset;
      fields = parsed.fields;
      break;
    }
  }
  fields ??= newEnvelopeFields();
  if (envelope.host !== '') fields['host.name'] = envelope.host;
  if (envelope.program !== '') fields['process.name'] = envelope.program;
  if (envelope.pid !== undefined && fields['process.pid'] === undefined) fields['process.pid'] = envelope.pid;
  if (envelope.uptime !== undefined) fields['host.uptime'] = envelope.uptime;
  if (envelope.priority !== undefined) setSyslogPriority(fields, envelope.priority % 8, Math.floor(envelope.priority / 8));
  if (envelope.msgid !== undefined) fields['log.syslog.msgid'] = envelope.msgid;
  if (envelope.structuredData !== undefined) fields['syslog.structured_data'] = envelope.structuredData;
  // A message parser may have cut the message to its own text (after `[level]`); keep that.
  if (fields['message'] === undefined) fields['message'] = envelope.message;
  return { kind: 'event', timestamp: envelope.timestamp, dataset, fields, inferred: envelope.inferred };
}

export function parseSyslogLine(line: string, referenceTime: number, timeZone?: string): LineResult {
  const envelope = parseSyslogEnvelope(line, referenceTime, timeZone);
  if (envelope === undefined) return unparsed(NO_ENVELOPE);
  return syslogEventOf(envelope);
}

/** `Fri 2022-02-04 09:41:48 UTC` in a journal header: UTC ms (the zone from the abbreviation when it is UTC/GMT, else `timeZone`). */
function readHeaderTime(text: string, timeZone: string | undefined): number {
  const m = /^(?:[A-Z][a-z]{2} )?(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?: ([A-Za-z0-9+:-]+))?/.exec(text.trim());
  if (m === null) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const zone = m[7];
  if (zone !== undefined && /^[+-]\d\d:?\d\d$/.test(zone)) {
    const iso = readIsoTimestamp(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`, 0);
    return iso === undefined ? NaN : iso[0];
  }
  if (zone === undefined || zone === 'UTC' || zone === 'GMT' || zone === 'Z' || timeZone === undefined) return Date.UTC(y, mo - 1, d, h, mi, s);
  return wallTimeToUtc(y, mo - 1, d, h, mi, s, 0, timeZone);
}

export interface JournalMarker {
  readonly record: ParsedRecord;
  /** From a `-- Logs begin at ..., end at ... --` header: the end time, which anchors year-less stamps. */
  readonly end?: number;
}

const BOOT = /^-- Boot ([0-9a-f]{32}) --$/;
const HEADER = /^-- (Logs begin at|Journal begins at) (.+?), (?:end at|ends at) (.+?)\.? --$/;

/**
 * journalctl's own lines (logs-show.c, journalctl.c): the header, boot separators, `-- No entries --`.
 * They become `journal.marker` events (timestamp NaN: they borrow a neighbour's), not unparsed lines.
 */
export function parseJournalMarker(line: string, timeZone?: string): JournalMarker | undefined {
  if (!line.startsWith('-- ')) return undefined;
  const trimmed = line.trimEnd();
  const marker = (action: string, extra: ParsedFields = {}, timestamp = NaN): ParsedRecord => ({
    kind: 'event',
    timestamp,
    dataset: 'journal.marker',
    fields: { 'event.action': action, 'event.kind': 'event', message: trimmed, ...extra },
  });
  if (trimmed === '-- Reboot --') return { record: marker('reboot') };
  if (trimmed === '-- No entries --') return { record: marker('no-entries') };
  const boot = BOOT.exec(trimmed);
  if (boot !== null) return { record: marker('boot', { 'host.boot.id': boot[1]! }) };
  const header = HEADER.exec(trimmed);
  if (header !== null) {
    const begin = readHeaderTime(header[2]!, timeZone);
    const end = readHeaderTime(header[3]!, timeZone);
    const extra: ParsedFields = {};
    if (Number.isFinite(begin)) extra['journal.begin'] = new Date(begin).toISOString();
    if (Number.isFinite(end)) extra['journal.end'] = new Date(end).toISOString();
    const record = marker('journal-header', extra, Number.isFinite(begin) ? begin : NaN);
    return Number.isFinite(end) ? { record, end } : { record };
  }
  return undefined;
}

/** Lines journalctl indents (a multi-line MESSAGE: the prefix width in spaces; tabs shown as 8 spaces). */
function isIndented(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 9 || (c === 32 && hasAt(line, '        ', 0));
}

const SYSLOG_PATH = /(^|\/)(syslog|kern\.log|ufw\.log|auth\.log|messages|daemon\.log|secure|journalctl_[^/]*)(\.\d+)?(\.gz)?$/;

export const syslogFormat: LogFormat = {
  id: 'syslog',
  title: 'Syslog and journal text',
  family: 'system',
  description:
    'rsyslog traditional (RFC 3164), RFC 3339 and RFC 5424 lines, journalctl short/short-precise/short-iso with its ' +
    'header, boot markers, --catalog text and indented continuation lines; kernel netfilter LOG lines (UFW, iptables) ' +
    'become firewall events, sshd/PAM/sudo/su lines authentication events.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    const reference = Date.UTC(2100, 0, 1);
    let hits = 0;
    let markers = 0;
    for (const line of lines) {
      if (parseSyslogEnvelope(line, reference) !== undefined) hits++;
      else if (line.startsWith('-- ')) markers++;
    }
    if (hits === 0) return 0;
    const ratio = (hits + markers) / lines.length;
    return Math.min(1, ratio * 0.9 + (SYSLOG_PATH.test(path) ? 0.1 : 0));
  },
  createParser(context: ParseContext) {
    const timeZone = context.timeZone !== undefined && isValidTimeZone(context.timeZone) ? context.timeZone : undefined;
    let referenceTime = context.referenceTime;
    let previousWasEvent = false;
    const sshd = new SshdSessions();
    return {
      parseLine(line) {
        if (line.charCodeAt(0) === 45 && (hasAt(line, '-- ', 0) || line === '--')) {
          const marker = parseJournalMarker(line, timeZone);
          if (marker !== undefined) {
            if (marker.end !== undefined) referenceTime = marker.end;
            previousWasEvent = true;
            return marker.record;
          }
          // --catalog explanation text belongs to the entry above it.
          if (previousWasEvent) return CONTINUATION;
        }
        if (previousWasEvent && isIndented(line)) return CONTINUATION;
        const envelope = parseSyslogEnvelope(line, referenceTime, timeZone);
        if (envelope === undefined) {
          previousWasEvent = false;
          return unparsed(NO_ENVELOPE);
        }
        const result = syslogEventOf(envelope);
        previousWasEvent = true;
        // Only the auth parsers give AUTH_DATASET, and none of them sets host.name or process.*:
        // the event's are the envelope's, handed over rather than read back from the event.
        if (result.dataset === AUTH_DATASET && isSshd(envelope.program) && envelope.pid !== undefined) sshd.apply(result.fields, envelope.host, envelope.pid);
        return result;
      },
    };
  },
  samples: [
    {
      line: 'Jul 31 20:23:19 Team-Harmony kernel: [   43.132314] [UFW BLOCK] IN=eth0 OUT= MAC=b2:09:12:69:72:6f:84:b5:9c:f9:18:30:08:00 SRC=37.139.50.4 DST=104.131.169.143 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=54321 PROTO=TCP SPT=53172 DPT=8545 WINDOW=65535 RES=0x00 SYN URGP=0 ',
      dataset: 'ufw',
      fields: {
        'host.name': 'Team-Harmony',
        'event.action': 'block',
        'source.ip': '37.139.50.4',
        'destination.ip': '104.131.169.143',
        'source.port': 53172,
        'destination.port': 8545,
        'network.transport': 'tcp',
        'network.direction': 'inbound',
        'netfilter.tcp_flags': ['SYN'],
      },
    },
    {
      line: 'Mar 12 08:03:11 region sshd[4242]: Failed password for invalid user admin from 203.0.113.66 port 51234 ssh2',
      dataset: 'system.auth',
      fields: {
        'event.category': ['authentication'],
        'event.outcome': 'failure',
        'event.action': 'ssh-login',
        'user.name': 'admin',
        'source.ip': '203.0.113.66',
        'source.port': 51234,
        'process.name': 'sshd',
        'process.pid': 4242,
      },
    },
    {
      line: '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF\'su root\' failed for lonvick on /dev/pts/8',
      dataset: 'system.auth',
      timestamp: '2003-10-11T22:14:15.003Z',
      fields: { 'event.action': 'su', 'event.outcome': 'failure', 'user.name': 'lonvick', 'user.target.name': 'root', 'host.name': 'mymachine.example.com', 'process.name': 'su', 'log.syslog.priority': 34, 'log.syslog.facility.code': 4, 'log.syslog.severity.code': 2, 'log.syslog.msgid': 'ID47' },
    },
  ],
};
