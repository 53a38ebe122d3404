import { CONTINUATION, type DocumentEvent, type DocumentResult, type LineResult, type LogFormat, unparsed } from './format';
import { journalEntryRecord } from './journal-json';

/**
 * `journalctl -o export` (the Journal Export Format): an entry is `KEY=value` lines, one per field,
 * ended by a blank line. A field whose value is binary or holds a newline is written as `KEY`
 * alone on its line, then a 64-bit little-endian length and the raw bytes: in text those bytes
 * may span lines, so such a value is skipped up to the next line that reads as `KEY=value` or is
 * blank. sos collects this only on some hosts (log-formats.md section 5).
 *
 * The whole file is read as a document (each entry one event spanning its lines). When it is too
 * large for that, the line parser makes the entry's first line an event (the fields after it are
 * not known yet, so it borrows its time) and the entry's other lines continuations.
 */

const KEY = /^[A-Z0-9_]+$/;

function keyValue(line: string): [string, string] | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const key = line.slice(0, eq);
  return KEY.test(key) ? [key, line.slice(eq + 1)] : undefined;
}

export function parseJournalExport(text: string): DocumentResult {
  const lines = text.split('\n');
  const events: DocumentEvent[] = [];
  let entry = new Map<string, string>();
  let start = -1;
  let inBinary = false;
  let sawAny = false;
  const finish = (end: number): void => {
    if (start < 0) return;
    const record = journalEntryRecord(entry);
    if (record !== undefined) events.push({ line: start + 1, lineCount: end - start, record });
    entry = new Map();
    start = -1;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line === '') {
      inBinary = false;
      finish(i);
      continue;
    }
    const kv = keyValue(line);
    if (kv !== undefined) {
      inBinary = false;
      if (start < 0) start = i;
      if (!entry.has(kv[0])) entry.set(kv[0], kv[1]);
      sawAny = true;
      continue;
    }
    if (KEY.test(line)) {
      // Binary field: its length and bytes follow.
      if (start < 0) start = i;
      inBinary = true;
      continue;
    }
    if (inBinary || start >= 0) continue;
    return { error: `line ${i + 1} is neither KEY=value nor blank` };
  }
  finish(lines.length);
  if (!sawAny) return { error: 'no KEY=value lines' };
  return { events };
}

export const journalExportFormat: LogFormat = {
  id: 'journal-export',
  title: 'journalctl export format',
  family: 'system',
  description: 'journalctl -o export: KEY=value lines per entry, a blank line between entries.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    let stamps = 0;
    for (const line of lines) {
      if (keyValue(line) !== undefined) hits++;
      if (line.startsWith('__REALTIME_TIMESTAMP=') || line.startsWith('__CURSOR=')) stamps++;
    }
    if (stamps === 0) return 0;
    return Math.min(1, (hits / lines.length) * 0.95 + (/export|journal/.test(path) ? 0.05 : 0));
  },
  parseDocument(text) {
    return parseJournalExport(text);
  },
  createParser() {
    let inEntry = false;
    return {
      parseLine(line): LineResult {
        if (line === '') {
          if (!inEntry) return unparsed('blank line outside an entry');
          inEntry = false;
          return CONTINUATION;
        }
        if (inEntry) return CONTINUATION;
        const kv = keyValue(line);
        if (kv === undefined) return unparsed('not KEY=value');
        inEntry = true;
        const record = journalEntryRecord(new Map([kv]));
        return record ?? { kind: 'event', timestamp: NaN, dataset: 'syslog', fields: { message: '' } };
      },
    };
  },
  samples: [
    {
      line: '__REALTIME_TIMESTAMP=1773302591123456',
      dataset: 'syslog',
      timestamp: '2026-03-12T08:03:11.123Z',
      fields: {},
    },
  ],
};
