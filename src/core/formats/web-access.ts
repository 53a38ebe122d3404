import type { ParsedFields } from '../model/event';
import { hasAt } from '../text/has-at';
import { monthAt, readClock, readDigits } from '../time/syslog-time';
import { type LineResult, type LogFormat, type ParseContext, unparsed } from './format';

/**
 * Apache and nginx access logs: NCSA common, combined (nginx's default too), and Apache's
 * vhost_combined (`host:port` first); fields past the user agent are kept in `web.extra`.
 * Written with indexOf: it is the hottest parser of a web server's bundle.
 */

/** The last [time] read (its 28 chars, bracket to bracket) and its value: lines of a second share it. */
let lastClfText = '';
let lastClfTime = 0;

/** `[10/Oct/2000:13:55:36 -0700]` starting at `pos` (the bracket). Returns epoch ms or NaN. */
export function parseClfTime(line: string, pos: number): number {
  // One search for the last line's text is cheaper than the ~20 char reads below.
  if (lastClfText !== '' && hasAt(line, lastClfText, pos)) return lastClfTime;
  const time = readClfTime(line, pos);
  if (!Number.isNaN(time)) {
    lastClfText = line.slice(pos, pos + 28);
    lastClfTime = time;
  }
  return time;
}

function readClfTime(line: string, pos: number): number {
  if (line.charCodeAt(pos) !== 91 || line.charCodeAt(pos + 27) !== 93) return NaN;
  const day = readDigits(line, pos + 1, 2);
  const month = monthAt(line, pos + 4);
  const year = readDigits(line, pos + 8, 4);
  const clock = readClock(line, pos + 13);
  const sign = line[pos + 22];
  const oh = readDigits(line, pos + 23, 2);
  const om = readDigits(line, pos + 25, 2);
  if (day < 1 || month < 0 || year < 0 || clock < 0 || oh < 0 || om < 0 || (sign !== '+' && sign !== '-')) return NaN;
  const offset = (sign === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
  return dayStart(year, month, day) + clock - offset;
}

/** Date.UTC(year, month, day), remembered for the last day asked: a log's lines share their day. */
let cachedDayKey = -1;
let cachedDayMs = 0;
function dayStart(year: number, month: number, day: number): number {
  const key = (year * 16 + month) * 32 + day;
  if (key !== cachedDayKey) {
    cachedDayMs = Date.UTC(year, month, day);
    cachedDayKey = key;
  }
  return cachedDayMs;
}

/** Index of the quote closing a quoted field that opens at `open`; Apache escapes `"` as `\"`. */
function closingQuote(line: string, open: number): number {
  let i = open + 1;
  for (;;) {
    const q = line.indexOf('"', i);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let j = q - 1; j > open && line.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

function decodeUrlPart(part: string): string {
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    // Not valid percent-encoding (common in attack traffic): decode what can be decoded.
    return part.replace(/%[0-9a-fA-F]{2}/g, (hex) => {
      const code = parseInt(hex.slice(1), 16);
      return code < 0x80 ? String.fromCharCode(code) : hex;
    });
  }
}

/** Splits a request target into ECS url fields; url.original keeps the bytes as sent. */
export function setUrlFields(fields: ParsedFields, target: string): void {
  fields['url.original'] = target;
  const hash = target.indexOf('#');
  const withoutFragment = hash >= 0 ? target.slice(0, hash) : target;
  const q = withoutFragment.indexOf('?');
  const path = q >= 0 ? withoutFragment.slice(0, q) : withoutFragment;
  fields['url.path'] = decodeUrlPart(path);
  if (q >= 0) fields['url.query'] = decodeUrlPart(withoutFragment.slice(q + 1));
  if (hash >= 0) fields['url.fragment'] = decodeUrlPart(target.slice(hash + 1));
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function isIp(text: string): boolean {
  return isIpv4(text) || (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text));
}

/** IPV4.test(text), by char codes: it runs on every line. */
export function isIpv4(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (run === 0 || ++dots > 3) return false;
      run = 0;
    } else if (c >= 48 && c <= 57) {
      if (++run > 3) return false;
    } else {
      return false;
    }
  }
  return dots === 3 && run > 0;
}

/** The reference the fast check is tested against. */
export const IPV4_PATTERN = IPV4;

export function parseAccessLine(text: string, dataset: string): LineResult {
  // Some exports wrap each line in one more pair of quotes (`"1.2.3.4 - - [...] ... "UA""`).
  const line = text.charCodeAt(0) === 34 && text.endsWith('""') ? text.slice(1, -1) : text;
  const bracket = line.indexOf(' [');
  if (bracket < 0) return unparsed('no [time] field');
  // Every field this parser and the ingest pipeline may set, in one literal (ParsedFields):
  // stores below find their field in place instead of adding it.
  const fields: ParsedFields = {
    'url.domain': undefined,
    'destination.port': undefined,
    'source.ip': undefined,
    'source.address': undefined,
    'apache.access.ident': undefined,
    'user.name': undefined,
    'http.request.method': undefined,
    'url.original': undefined,
    'url.path': undefined,
    'url.query': undefined,
    'url.fragment': undefined,
    'http.version': undefined,
    'http.request.line': undefined,
    'http.response.status_code': undefined,
    'http.response.body.bytes': undefined,
    'http.request.referrer': undefined,
    'user_agent.original': undefined,
    'web.extra': undefined,
    'event.dataset': undefined,
    'host.name': undefined,
    'loupe.time.inferred': undefined,
  };
  let client: string;
  let ident: string;
  let user: string;
  // Three fields before [time] (the common case) found with indexOf; anything else split.
  const s1 = line.indexOf(' ');
  const s2 = s1 < bracket ? line.indexOf(' ', s1 + 1) : -1;
  if (s1 < bracket && s2 >= 0 && s2 < bracket && line.indexOf(' ', s2 + 1) === bracket) {
    client = line.slice(0, s1);
    ident = line.slice(s1 + 1, s2);
    user = line.slice(s2 + 1, bracket);
  } else {
    const head = line.slice(0, bracket).split(' ');
    if (head.length < 3) return unparsed('fewer than three fields before [time]');
    if (head.length === 3) {
      [client, ident, user] = head as [string, string, string];
    } else {
      // vhost_combined puts "vhost:port" first; a user name with spaces lands here too.
      const vhost = head[0]!;
      client = head[1]!;
      ident = head[2]!;
      user = head.slice(3).join(' ');
      const colon = vhost.lastIndexOf(':');
      if (colon > 0 && /^\d+$/.test(vhost.slice(colon + 1))) {
        fields['url.domain'] = vhost.slice(0, colon);
        fields['destination.port'] = Number(vhost.slice(colon + 1));
      } else {
        fields['url.domain'] = vhost;
      }
    }
  }
  const timestamp = parseClfTime(line, bracket + 1);
  if (Number.isNaN(timestamp)) return unparsed('bad [time] field');
  if (isIp(client)) fields['source.ip'] = client;
  else fields['source.address'] = client;
  if (ident !== '-') fields['apache.access.ident'] = ident;
  if (user !== '-') fields['user.name'] = user;

  let pos = bracket + 30;
  if (line.charCodeAt(pos) !== 34 /* " */) return unparsed('no quoted request after [time]');
  const requestEnd = closingQuote(line, pos);
  if (requestEnd < 0) return unparsed('unterminated request field');
  const request = line.slice(pos + 1, requestEnd);
  const firstSpace = request.indexOf(' ');
  const lastSpace = request.lastIndexOf(' ');
  if (firstSpace > 0 && lastSpace > firstSpace && hasAt(request, 'HTTP/', lastSpace + 1)) {
    fields['http.request.method'] = request.slice(0, firstSpace);
    setUrlFields(fields, request.slice(firstSpace + 1, lastSpace));
    fields['http.version'] = request.slice(lastSpace + 6);
  } else if (firstSpace > 0 && lastSpace === firstSpace) {
    // HTTP/0.9 style "GET /" without a protocol.
    fields['http.request.method'] = request.slice(0, firstSpace);
    setUrlFields(fields, request.slice(firstSpace + 1));
  } else if (request !== '-') {
    // Junk sent by scanners (TLS handshakes on a plain port, garbage): keep it as sent.
    fields['http.request.line'] = request;
  }

  pos = requestEnd + 2;
  const statusEnd = line.indexOf(' ', pos);
  const statusText = statusEnd < 0 ? line.slice(pos) : line.slice(pos, statusEnd);
  const status = Number(statusText);
  if (statusText.length !== 3 || !Number.isInteger(status)) return unparsed('no 3-digit status after the request');
  fields['http.response.status_code'] = status;
  if (statusEnd < 0) return { kind: 'event', timestamp, dataset, fields };
  pos = statusEnd + 1;
  const bytesEnd = line.indexOf(' ', pos);
  const bytesText = bytesEnd < 0 ? line.slice(pos) : line.slice(pos, bytesEnd);
  if (bytesText !== '-') {
    const bytes = Number(bytesText);
    if (bytesText === '' || !Number.isFinite(bytes)) return unparsed('bad size field');
    fields['http.response.body.bytes'] = bytes;
  }
  if (bytesEnd >= 0 && line.charCodeAt(bytesEnd + 1) === 34) {
    const refEnd = closingQuote(line, bytesEnd + 1);
    if (refEnd < 0) return unparsed('unterminated referrer field');
    const referrer = line.slice(bytesEnd + 2, refEnd);
    if (referrer !== '-') fields['http.request.referrer'] = referrer;
    if (line.charCodeAt(refEnd + 1) === 32 && line.charCodeAt(refEnd + 2) === 34) {
      const agentEnd = closingQuote(line, refEnd + 2);
      if (agentEnd < 0) return unparsed('unterminated user-agent field');
      const agent = line.slice(refEnd + 3, agentEnd);
      if (agent !== '-') fields['user_agent.original'] = agent;
      const extra = line.slice(agentEnd + 1).trim();
      if (extra !== '') fields['web.extra'] = extra;
    }
  }
  return { kind: 'event', timestamp, dataset, fields };
}

/** nginx and MAAS's own nginx (`maas/http/access.log`) write the same format as Apache. */
export function accessDataset(path: string): string {
  return /nginx|maas\/http\//.test(path) ? 'nginx.access' : 'apache.access';
}

export const webAccessFormat: LogFormat = {
  id: 'web-access',
  title: 'Apache / nginx access log',
  family: 'web',
  description: 'NCSA common and combined log format (Apache, nginx default), Apache vhost_combined.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) if (parseAccessLine(line, 'x').kind === 'event') hits++;
    const ratio = hits / lines.length;
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.9 + (/access/.test(path) ? 0.1 : 0));
  },
  createParser(context: ParseContext) {
    const dataset = accessDataset(context.path);
    return { parseLine: (line) => parseAccessLine(line, dataset) };
  },
  samples: [
    {
      line: '203.0.113.7 - - [12/Mar/2026:08:01:02 +0000] "GET /MAAS/r/machines?q=%27%20OR%201 HTTP/1.1" 404 512 "-" "sqlmap/1.7"',
      dataset: 'apache.access',
      timestamp: '2026-03-12T08:01:02.000Z',
      fields: {
        'source.ip': '203.0.113.7',
        'http.request.method': 'GET',
        'url.original': '/MAAS/r/machines?q=%27%20OR%201',
        'url.path': '/MAAS/r/machines',
        'url.query': "q=' OR 1",
        'http.response.status_code': 404,
        'http.response.body.bytes': 512,
        'user_agent.original': 'sqlmap/1.7',
      },
    },
  ],
};
