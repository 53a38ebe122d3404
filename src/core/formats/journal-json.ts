import type { ParsedFields } from '../model/event';
import { type LineResult, type LogFormat, type ParsedRecord, unparsed } from './format';
import type { SyslogEnvelope } from './syslog-envelope';
import { setSyslogPriority, syslogEventOf } from './syslog';

/**
 * `journalctl -o json`: one object per line, every value a string (or null when too large, or an
 * array of byte values when not valid UTF-8). The entry becomes the same envelope a text line gives
 * (time from `__REALTIME_TIMESTAMP` in µs, `_HOSTNAME`, `SYSLOG_IDENTIFIER` else `_COMM`, `_PID`
 * else `SYSLOG_PID`, `MESSAGE`), so the same message parsers (sshd, UFW, MAAS services...) read it.
 * log-formats.md section 5; sample: lnav test/logfile_journald.json.
 */

/** A journal entry as field name -> text (export and JSON give the same names). */
export type JournalEntry = ReadonlyMap<string, string>;

const UTF8 = new TextDecoder('utf-8');

/** A JSON field value as text: strings as they are, byte arrays decoded, the rest (null, numbers) as JSON. */
function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return UTF8.decode(Uint8Array.from(value as number[]));
    // A field repeated in one entry: journalctl gives an array of its values.
    const first = value.find((v) => typeof v === 'string' || Array.isArray(v));
    return first === undefined ? undefined : valueText(first);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function intOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const EXTRA_FIELDS: readonly [string, string][] = [
  ['_SYSTEMD_UNIT', 'systemd.unit'],
  ['_TRANSPORT', 'systemd.transport'],
  ['_BOOT_ID', 'host.boot.id'],
  ['_MACHINE_ID', 'host.id'],
  ['_CMDLINE', 'process.command_line'],
  ['_EXE', 'process.executable'],
];

/** The event of a journal entry, or undefined when it has no realtime stamp and no message. */
export function journalEntryRecord(entry: JournalEntry): ParsedRecord | undefined {
  const micros = entry.get('__REALTIME_TIMESTAMP');
  const message = entry.get('MESSAGE');
  const usec = micros !== undefined && /^\d{1,19}$/.test(micros) ? Number(micros) : NaN;
  if (Number.isNaN(usec) && message === undefined) return undefined;
  const program = entry.get('SYSLOG_IDENTIFIER') ?? entry.get('_COMM') ?? '';
  const severity = intOf(entry.get('PRIORITY'));
  const facility = intOf(entry.get('SYSLOG_FACILITY'));
  const envelope: SyslogEnvelope = {
    timestamp: Number.isNaN(usec) ? NaN : Math.floor(usec / 1000),
    inferred: [],
    host: entry.get('_HOSTNAME') ?? '',
    program,
    pid: intOf(entry.get('_PID')) ?? intOf(entry.get('SYSLOG_PID')),
    message: message ?? '',
    uptime: undefined,
  };
  const record = syslogEventOf(envelope);
  const fields: ParsedFields = record.fields;
  if (severity !== undefined && severity <= 7) setSyslogPriority(fields, severity, facility !== undefined && facility < 24 ? facility : undefined);
  for (const [key, field] of EXTRA_FIELDS) {
    const value = entry.get(key);
    if (value !== undefined && value !== '' && fields[field] === undefined) fields[field] = value;
  }
  const uid = intOf(entry.get('_UID'));
  if (uid !== undefined) fields['process.user.id'] = String(uid);
  return record;
}

export function parseJournalJsonLine(line: string): LineResult {
  const trimmed = line.trim();
  if (trimmed.charCodeAt(0) !== 123 /* { */) return unparsed('not a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return unparsed('invalid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return unparsed('not a JSON object');
  const entry = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const text = valueText(value);
    if (text !== undefined) entry.set(key, text);
  }
  const record = journalEntryRecord(entry);
  return record ?? unparsed('JSON object without __REALTIME_TIMESTAMP or MESSAGE');
}

export const journalJsonFormat: LogFormat = {
  id: 'journal-json',
  title: 'journalctl JSON output',
  family: 'system',
  description: 'journalctl -o json (one entry per line); messages go through the syslog message parsers.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) {
      if (!line.includes('__REALTIME_TIMESTAMP') && !line.includes('"MESSAGE"')) continue;
      if (parseJournalJsonLine(line).kind === 'event') hits++;
    }
    const ratio = hits / lines.length;
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.95 + (/journal|\.json$/.test(path) ? 0.05 : 0));
  },
  createParser() {
    return { parseLine: parseJournalJsonLine };
  },
  samples: [
    {
      line: '{ "__REALTIME_TIMESTAMP" : "1773302591123456", "_HOSTNAME" : "region", "SYSLOG_IDENTIFIER" : "sshd", "_PID" : "4242", "PRIORITY" : "6", "SYSLOG_FACILITY" : "4", "_SYSTEMD_UNIT" : "ssh.service", "_BOOT_ID" : "0dc874d3fbd44bdbb6fbcfaa27481492", "MESSAGE" : "Failed password for invalid user admin from 203.0.113.66 port 51234 ssh2" }',
      dataset: 'system.auth',
      timestamp: '2026-03-12T08:03:11.123Z',
      fields: {
        'host.name': 'region',
        'process.name': 'sshd',
        'process.pid': 4242,
        'event.outcome': 'failure',
        'source.ip': '203.0.113.66',
        'user.name': 'admin',
        'systemd.unit': 'ssh.service',
        'host.boot.id': '0dc874d3fbd44bdbb6fbcfaa27481492',
        'log.syslog.severity.code': 6,
        'log.syslog.facility.code': 4,
      },
    },
  ],
};
