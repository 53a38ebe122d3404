import type { ParsedFields } from '../model/event';
import { type DocumentEvent, type DocumentResult, type LineResult, type LogFormat, type ParsedRecord, unparsed } from './format';
import { AUDIT_TYPE_CATEGORIES, matchAuditDescription } from './maas-audit-templates';

/**
 * The output of `maas $PROFILE events query [level=AUDIT]`: optional `Success.` and
 * `Machine-readable output follows:` lines, then one pretty-printed JSON document
 * `{"count": N, "events": [...], "next_uri", "prev_uri"}` (the API doc example wraps it in
 * `{"events-query": {...}}`; `jq .events` output is the bare array). Read whole through
 * `parseDocument`: each event object becomes one event spanning its lines. Line by line (files
 * over the ingest limit, samples) only single-line event objects are understood (`jq -c`).
 * Source: log-formats.md section 7 (maasserver/api/events.py event_to_dict).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `strftime("%a, %d %b. %Y %H:%M:%S")`: "Mon, 25 Apr. 2022 21:51:23" (also accepts `Sept.`, and no dot). */
const CREATED = /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3})[A-Za-z]?\.? (\d{4}) (\d\d):(\d\d):(\d\d)$/;
/** Lines the CLI prints before the JSON. */
const PREAMBLE = /^(Success\.|Machine-readable output follows:)$/;

/** `created` as UTC ms (the text has no zone; MAAS writes the region's local time), or NaN. */
export function parseMaasCreated(created: string): number {
  const m = CREATED.exec(created.trim());
  if (m === null) return NaN;
  const month = MONTHS.indexOf(m[2]!.charAt(0).toUpperCase() + m[2]!.slice(1).toLowerCase());
  if (month < 0) return NaN;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function isEventObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('created' in value || 'description' in value);
}

/** One event object of the API as an event: AUDIT events in `maas.audit`, the others in `maas.event`. */
export function maasEventRecord(event: Record<string, unknown>): ParsedRecord {
  const fields: ParsedFields = {};
  const text = (key: string): string | undefined => {
    const v = event[key];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const username = text('username');
  if (username !== undefined && username !== 'unknown' && username !== '') fields['user.name'] = username;
  const node = text('node');
  if (node !== undefined && node !== '') fields['maas.node.system_id'] = node;
  const hostname = text('hostname');
  if (hostname !== undefined && hostname !== 'unknown' && hostname !== '') fields['maas.node.hostname'] = hostname;
  const id = text('id');
  if (id !== undefined) fields['event.id'] = id;
  const level = text('level');
  if (level !== undefined) fields['log.level'] = level;
  const type = text('type');
  if (type !== undefined) fields['maas.event.type'] = type;
  const description = text('description') ?? '';
  fields['message'] = description;
  const audit = level === 'AUDIT';
  if (audit) {
    fields['event.kind'] = 'event';
    const match = matchAuditDescription(description);
    if (match !== undefined) {
      fields['event.action'] = match.action;
      fields['event.category'] = match.category;
      if (match.outcome !== undefined) fields['event.outcome'] = match.outcome;
      Object.assign(fields, match.fields);
    } else {
      const category = type === undefined ? undefined : AUDIT_TYPE_CATEGORIES.get(type);
      if (category !== undefined) fields['event.category'] = category;
    }
  }
  const created = text('created');
  const timestamp = created === undefined ? NaN : parseMaasCreated(created);
  return { kind: 'event', timestamp, dataset: audit ? 'maas.audit' : 'maas.event', fields, inferred: ['zone'] };
}

interface Container {
  readonly open: '{' | '[';
  readonly start: number;
  end: number;
  readonly parent: number;
  readonly key: string | undefined;
  readonly depth: number;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/**
 * Scans one JSON value that starts at `start` (a `{` or `[`): where it ends, and every object and
 * array in it with its key and parent. Validity is left to JSON.parse.
 */
function scanJson(text: string, start: number): { end: number; containers: Container[] } | undefined {
  const containers: Container[] = [];
  const stack: number[] = [];
  let pendingKey: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= text.length) return undefined;
      const top = containers[stack[stack.length - 1] ?? -1];
      if (top?.open === '{' && top.expectKey) {
        try {
          pendingKey = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return undefined;
        }
        top.expectKey = false;
      }
      i = j;
    } else if (c === 123 || c === 91) {
      const parent = stack[stack.length - 1] ?? -1;
      const inObject = containers[parent]?.open === '{';
      containers.push({ open: c === 123 ? '{' : '[', start: i, end: -1, parent, key: inObject ? pendingKey : undefined, depth: stack.length, expectKey: c === 123 });
      stack.push(containers.length - 1);
      pendingKey = undefined;
    } else if (c === 125 || c === 93) {
      const index = stack.pop();
      if (index === undefined) return undefined;
      containers[index]!.end = i + 1;
      if (stack.length === 0) return { end: i + 1, containers };
    } else if (c === 44) {
      const top = containers[stack[stack.length - 1] ?? -1];
      if (top?.open === '{') top.expectKey = true;
    }
  }
  return undefined;
}

/** The containers holding the event objects of one document. */
function eventObjects(containers: readonly Container[]): Container[] {
  let list: Container | undefined;
  for (const c of containers) if (c.open === '[' && c.key === 'events' && (list === undefined || c.depth < list.depth)) list = c;
  const root = containers[0]!;
  if (list === undefined && root.open === '[') list = root;
  if (list === undefined) return [root];
  const index = containers.indexOf(list);
  return containers.filter((c) => c.parent === index && c.open === '{');
}

/** Reads every events-query document of the text; lines outside them may only be the CLI's preamble. */
export function parseMaasEventsDocument(text: string): DocumentResult {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const events: DocumentEvent[] = [];
  let documents = 0;
  let pos = 0;
  while (pos < text.length) {
    const lineEnd = text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos);
    const line = text.slice(pos, lineEnd).trim();
    if (line === '' || PREAMBLE.test(line)) {
      pos = lineEnd + 1;
      continue;
    }
    const start = pos + text.slice(pos, lineEnd).search(/\S/);
    if (text[start] !== '{' && text[start] !== '[') return { error: `line ${lineOf(start)}: text outside the JSON document` };
    const scan = scanJson(text, start);
    if (scan === undefined) return { error: `line ${lineOf(start)}: JSON document not closed` };
    let parsedDocument: unknown;
    try {
      parsedDocument = JSON.parse(text.slice(start, scan.end));
    } catch (e) {
      return { error: `line ${lineOf(start)}: ${(e as Error).message}` };
    }
    documents++;
    const objects = isEventObject(parsedDocument) ? [scan.containers[0]!] : eventObjects(scan.containers);
    for (const object of objects) {
      const value = JSON.parse(text.slice(object.start, object.end)) as unknown;
      if (!isEventObject(value)) continue;
      const first = lineOf(object.start);
      events.push({ line: first, lineCount: lineOf(object.end - 1) - first + 1, record: maasEventRecord(value) });
    }
    const after = text.indexOf('\n', scan.end);
    const rest = text.slice(scan.end, after < 0 ? text.length : after);
    if (rest.trim() !== '' && rest.trim() !== ',') return { error: `line ${lineOf(scan.end)}: text after the JSON document` };
    pos = after < 0 ? text.length : after + 1;
  }
  if (documents === 0) return { error: 'no JSON document' };
  return { events };
}

/** Line by line: a whole event object on one line (`jq -c '.events[]'`), else unparsed. */
export function parseMaasEventLine(line: string): LineResult {
  const text = line.trim().replace(/,$/, '');
  if (!text.startsWith('{') || !text.endsWith('}')) return unparsed('not a MAAS event JSON object on one line');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return unparsed('invalid JSON');
  }
  return isEventObject(value) ? maasEventRecord(value) : unparsed('JSON object without "created" or "description"');
}

export const maasAuditFormat: LogFormat = {
  id: 'maas-audit',
  title: 'MAAS events query (audit log)',
  family: 'audit',
  description: '`maas $PROFILE events query level=AUDIT` JSON output: who did what to which node and setting, with event.action per description template.',
  sniff({ lines }) {
    const body = lines.filter((l) => !PREAMBLE.test(l.trim()));
    if (body.length === 0) return 0;
    const first = body[0]!.trim();
    const keys = (re: RegExp): boolean => body.some((l) => re.test(l));
    if ((first.startsWith('{') || first.startsWith('[')) && keys(/"events(?:-query)?"\s*:/) && keys(/"(?:created|username|count)"\s*:/)) return 0.95;
    // JSON lines of event objects.
    const objects = body.filter((l) => /^\s*\{.*"created"\s*:.*"description"\s*:.*\}\s*,?\s*$/.test(l)).length;
    return objects === 0 ? 0 : 0.9 * (objects / body.length);
  },
  createParser() {
    return { parseLine: parseMaasEventLine };
  },
  parseDocument: (text) => parseMaasEventsDocument(text),
  samples: [
    {
      line: '{"username": "admin", "node": null, "hostname": "unknown", "id": 7, "level": "AUDIT", "created": "Thu, 05 May. 2022 09:01:02", "type": "Settings", "description": "Updated configuration setting \'enable_http_proxy\' to \'False\'."}',
      dataset: 'maas.audit',
      timestamp: '2022-05-05T09:01:02.000Z',
      fields: {
        'user.name': 'admin',
        'event.id': '7',
        'log.level': 'AUDIT',
        'maas.event.type': 'Settings',
        'event.action': 'config-setting-updated',
        'maas.config.name': 'enable_http_proxy',
        'maas.config.value': 'False',
      },
    },
  ],
};
