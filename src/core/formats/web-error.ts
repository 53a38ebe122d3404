import type { ParsedFields } from '../model/event';
import { monthIndex, readClock, readFraction } from '../time/syslog-time';
import { isValidTimeZone, wallTimeToUtc } from '../time/zone';
import { setPeer, splitHostPort } from './auth-common';
import { type LineResult, type LogFormat, type ParseContext, unparsed } from './format';
import type { SyslogMessageParser } from './syslog-messages';
import { setUrlFields } from './web-access';

/**
 * Web server error logs.
 * - Apache 2.4: `[Thu Mar 12 08:03:11.123456 2026] [core:error] [pid 1234:tid 5678] [client 203.0.113.66:51234] AH00126: msg`
 *   (`[remote ...]` when the peer is a proxy, `, referer: ...` appended), and the same without the time
 *   when Apache logs to syslog (`httpd[22034]: [authz_core:error] ...`).
 * - Apache 2.2: `[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] msg`.
 * - nginx: `2026/03/12 08:03:11 [error] 1234#1234: *5 msg, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", host: "h"`.
 * Stamps carry no zone: they are host wall time (ParseContext.timeZone, else UTC) and say so.
 * Basic/digest authentication failures and access denials become authentication failures, the
 * lines fail2ban's apache-auth and nginx-http-auth filters count.
 */

type Fields = ParsedFields;

const LEVELS = new Set(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug']);

function authFailure(fields: Fields, action: string, userName?: string): void {
  fields['event.category'] = ['authentication', 'web'];
  fields['event.outcome'] = 'failure';
  fields['event.action'] = action;
  if (userName !== undefined && userName !== '') fields['user.name'] = userName;
}

const APACHE_AUTH: readonly [RegExp, string, number][] = [
  [/^user (.*?): authentication failure for "(.*)": /, 'web-auth-failed', 1],
  [/^user (.*?) not found(?:: |$)/, 'web-auth-failed', 1],
  [/^(?:Digest: )?user (.*?): password mismatch: /, 'web-auth-failed', 1],
  [/^(?:Digest: )?user `(.*?)' in realm `.*' not found: /, 'web-auth-failed', 1],
  [/^client used wrong authentication scheme: /, 'web-auth-failed', 0],
  [/^(?:Digest: )?invalid nonce \S+ received - (?:length is not|user attempted time travel)/, 'web-auth-failed', 0],
  [/^(?:Digest: )?realm mismatch - got /, 'web-auth-failed', 0],
  [/^(?:Digest: )?unknown algorithm /, 'web-auth-failed', 0],
  [/^(?:Digest: )?invalid qop /, 'web-auth-failed', 0],
  [/^Authorization of user (.*?) to access .* failed, reason: /, 'web-authz-failed', 1],
  [/^user (.*?): authorization failure for "/, 'web-authz-failed', 1],
  [/^client denied by server configuration: /, 'web-access-denied', 0],
  // mod_ssl refuses a request whose SNI and Host disagree (guards per-vhost client-certificate access).
  [/^(?:Hostname \S+ provided via SNI(?:, but no hostname provided| and hostname \S+ provided via HTTP)|No hostname was provided via SNI for a name based virtual host)/, 'web-access-denied', 0],
];

/** Classifies an Apache error message (after the AH code); sets the auth fields when it is a failure. */
export function classifyApacheMessage(fields: Fields, module: string | undefined, text: string): void {
  // mod_evasive's "client denied" is its rate limiting, not access control.
  if (module !== undefined && module.startsWith('evasive')) {
    if (text.startsWith('client denied')) fields['event.action'] = 'rate-limit';
    return;
  }
  for (const [pattern, action, group] of APACHE_AUTH) {
    const m = pattern.exec(text);
    if (m !== null) {
      authFailure(fields, action, group > 0 ? m[group] : undefined);
      return;
    }
  }
}

/** `Thu Mar 12 08:03:11.123456 2026` -> [year, month, day, ms of day] or undefined. */
function readApacheTime(text: string): [number, number, number, number] | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d:\d\d:\d\d)(\.\d+)? (\d{4})$/.exec(text);
  if (m === null) return undefined;
  const month = monthIndex(m[1]!);
  const clock = readClock(m[3]!, 0);
  if (month < 0 || clock < 0) return undefined;
  const fraction = m[4] === undefined ? 0 : readFraction(m[4], 0)[0];
  return [Number(m[5]), month, Number(m[2]), clock + fraction];
}

function wallToUtc(year: number, month: number, day: number, msOfDay: number, timeZone: string | undefined): number {
  if (timeZone === undefined) return Date.UTC(year, month, day) + msOfDay;
  const s = Math.floor(msOfDay / 1000);
  return wallTimeToUtc(year, month, day, Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60, msOfDay - s * 1000, timeZone);
}

/**
 * The bracketed part of an Apache error line from `pos` (after the time, or the whole syslog
 * message): `[module:level] [pid P:tid T] [client A:P] AHnnnnn: message, referer: R`.
 */
export function parseApacheBody(line: string, pos: number): Fields | undefined {
  const fields: Fields = {};
  let i = pos;
  let module: string | undefined;
  let sawLevel = false;
  while (line.charCodeAt(i) === 91 /* [ */) {
    // `[client [2001:db8::1]:51548]` nests brackets.
    let close = line.indexOf(']', i);
    if (line.startsWith('[client [', i) || line.startsWith('[remote [', i)) close = line.indexOf(']', line.indexOf(']', i) + 1);
    if (close < 0) return undefined;
    const inner = line.slice(i + 1, close);
    if (!sawLevel) {
      const colon = inner.lastIndexOf(':');
      const level = colon >= 0 ? inner.slice(colon + 1) : inner;
      const mod = colon >= 0 ? inner.slice(0, colon) : '';
      // 2.4 pads `%-m:%l`; a level may carry a number (`trace3`).
      if (!LEVELS.has(level) && !/^trace\d$/.test(level)) return undefined;
      fields['log.level'] = level;
      if (mod !== '') {
        module = mod;
        fields['apache.error.module'] = mod;
      }
      sawLevel = true;
    } else if (inner.startsWith('pid ')) {
      const m = /^pid (\d+)(?::tid (\d+))?$/.exec(inner);
      if (m !== null) {
        fields['process.pid'] = Number(m[1]);
        if (m[2] !== undefined) fields['process.thread.id'] = Number(m[2]);
      }
    } else if (inner.startsWith('client ') || inner.startsWith('remote ')) {
      const [host, port] = splitHostPort(inner.slice(7));
      setPeer(fields, 'source', host, port);
    } else {
      break;
    }
    i = close + 1;
    if (line.charCodeAt(i) === 32) i++;
  }
  if (!sawLevel) return undefined;
  let message = line.slice(i);
  // 2.4 may put `file(line): ` or `(errno)text: ` before [client]; keep them in the message.
  const code = /^(AH\d{5}): /.exec(message);
  if (code !== null) {
    fields['error.code'] = code[1]!;
    message = message.slice(code[0].length);
  }
  const referer = message.lastIndexOf(', referer: ');
  if (referer >= 0) {
    fields['http.request.referrer'] = message.slice(referer + 11);
    message = message.slice(0, referer);
  }
  fields['message'] = message;
  fields['event.kind'] = 'event';
  fields['event.category'] = ['web'];
  classifyApacheMessage(fields, module, message);
  return fields;
}

/** Context nginx appends to a request's error: `, client: A, server: S[, request: "..."][, key: "..."]*`. */
const NGINX_TAIL = /^, client: (\S+?), server: (\S*?)((?:, [a-z_]+: (?:"(?:[^"\\]|\\.)*"|[^,"]*))*)$/;
const NGINX_PAIR = /, ([a-z_]+): (?:"((?:[^"\\]|\\.)*)"|([^,"]*))/g;

const NGINX_AUTH: readonly [RegExp, string, number][] = [
  [/^user "(.*)":? (?:password mismatch|was not found in "[^"]*")$/, 'web-auth-failed', 1],
  [/^no user\/password was provided for basic authentication$/, 'web-auth-failed', 0],
  [/^PAM: user '(.*)' - not authenticated: /, 'web-auth-failed', 1],
  [/^access forbidden by rule$/, 'web-access-denied', 0],
];

/** Splits an nginx message from its appended context, rightmost candidate first (user names can hold `, client: `). */
function nginxContext(fields: Fields, text: string): string {
  let at = text.length;
  for (;;) {
    at = text.lastIndexOf(', client: ', at - 1);
    if (at < 0) return text;
    const m = NGINX_TAIL.exec(text.slice(at));
    if (m === null) continue;
    setPeer(fields, 'source', m[1]!);
    if (m[2] !== '') fields['nginx.server'] = m[2]!;
    for (const pair of m[3]!.matchAll(NGINX_PAIR)) {
      const key = pair[1]!;
      const value = pair[2] ?? pair[3] ?? '';
      if (key === 'request') {
        const parts = value.split(' ');
        if (parts.length === 3 && parts[2]!.startsWith('HTTP/')) {
          fields['http.request.method'] = parts[0]!;
          setUrlFields(fields, parts[1]!);
          fields['http.version'] = parts[2]!.slice(5);
        } else {
          fields['http.request.line'] = value;
        }
      } else if (key === 'host') fields['url.domain'] = value;
      else if (key === 'referrer') fields['http.request.referrer'] = value;
      else fields[`nginx.${key}`] = value;
    }
    return text.slice(0, at);
  }
}

const NGINX_HEAD = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?/;

/** An nginx error line: [wall time parts, fields] or undefined. */
export function parseNginxError(line: string): [[number, number, number, number], Fields] | undefined {
  const m = NGINX_HEAD.exec(line);
  if (m === null) return undefined;
  const clock = readClock(m[4]!, 0);
  const month = Number(m[2]) - 1;
  if (clock < 0 || month < 0 || month > 11) return undefined;
  const fields: Fields = { 'event.kind': 'event', 'event.category': ['web'], 'log.level': m[5]!, 'process.pid': Number(m[6]), 'process.thread.id': Number(m[7]) };
  if (m[8] !== undefined) fields['nginx.connection_id'] = Number(m[8]);
  const message = nginxContext(fields, line.slice(m[0].length));
  fields['message'] = message;
  for (const [pattern, action, group] of NGINX_AUTH) {
    const a = pattern.exec(message);
    if (a !== null) {
      authFailure(fields, action, group > 0 ? a[group] : undefined);
      break;
    }
  }
  if (fields['event.outcome'] === undefined) {
    if (/^SSL_\w+\(\) failed /.test(message)) {
      fields['event.category'] = ['network', 'web'];
      fields['event.action'] = 'tls-handshake-failed';
      fields['event.outcome'] = 'failure';
    } else if (message.startsWith('limiting requests')) {
      fields['event.action'] = 'rate-limit';
    }
  }
  return [[Number(m[1]), month, Number(m[3]), clock], fields];
}

export function parseWebErrorLine(line: string, timeZone?: string): LineResult {
  const inferred = ['zone'] as const;
  if (line.charCodeAt(0) === 91 /* [ */) {
    const close = line.indexOf(']');
    const time = close > 0 ? readApacheTime(line.slice(1, close)) : undefined;
    if (time === undefined) return unparsed('no [time] at the start of the Apache error line');
    let pos = close + 1;
    if (line.charCodeAt(pos) === 32) pos++;
    const fields = parseApacheBody(line, pos);
    if (fields === undefined) return unparsed('no [level] after the time');
    return { kind: 'event', timestamp: wallToUtc(...time, timeZone), dataset: 'apache.error', fields, inferred };
  }
  const nginx = parseNginxError(line);
  if (nginx === undefined) return unparsed('neither an Apache nor an nginx error line');
  return { kind: 'event', timestamp: wallToUtc(...nginx[0], timeZone), dataset: 'nginx.error', fields: nginx[1], inferred };
}

/** Apache logging to syslog (`ErrorLog syslog`): `httpd[22034]: [authz_core:error] [pid 22034] [client ...] AH01630: ...`. */
export const apacheErrorMessages: SyslogMessageParser = {
  id: 'apache-error',
  accepts: (program) => program.startsWith('httpd') || program.startsWith('apache'),
  parse(envelope) {
    if (envelope.message.charCodeAt(0) !== 91) return undefined;
    const fields = parseApacheBody(envelope.message, 0);
    return fields === undefined ? undefined : { dataset: 'apache.error', fields };
  },
};

/** nginx under systemd writes its error log to stderr too: `nginx[983478]: 2023/12/09 21:35:20 [error] ...` (maybe after `host nginx: `). */
export const nginxErrorMessages: SyslogMessageParser = {
  id: 'nginx-error',
  accepts: (program) => program === 'nginx',
  parse(envelope) {
    let text = envelope.message;
    const prefix = /^\S+ nginx: (?=\d{4}\/)/.exec(text);
    if (prefix !== null) text = text.slice(prefix[0].length);
    const parsed = parseNginxError(text);
    return parsed === undefined ? undefined : { dataset: 'nginx.error', fields: parsed[1] };
  },
};

const ERROR_PATH = /(^|\/)(error[._]log|[\w.-]*error\.log)(\.\d+)?(\.gz)?$/;

export const webErrorFormat: LogFormat = {
  id: 'web-error',
  title: 'Apache / nginx error log',
  family: 'web',
  description: 'Apache 2.2 and 2.4 error logs (module, pid/tid, client, AH codes) and nginx error logs (pid#tid, *connection, client/server/request context); HTTP authentication failures become authentication events.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) if (parseWebErrorLine(line).kind === 'event') hits++;
    const ratio = hits / lines.length;
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.9 + (ERROR_PATH.test(path) ? 0.1 : 0));
  },
  createParser(context: ParseContext) {
    const timeZone = context.timeZone !== undefined && isValidTimeZone(context.timeZone) ? context.timeZone : undefined;
    return { parseLine: (line) => parseWebErrorLine(line, timeZone) };
  },
  samples: [
    {
      line: '[Thu Mar 12 08:03:11.123456 2026] [auth_basic:error] [pid 1234:tid 5678] [client 203.0.113.66:51234] AH01617: user admin: authentication failure for "/MAAS/": Password Mismatch',
      dataset: 'apache.error',
      timestamp: '2026-03-12T08:03:11.123Z',
      fields: {
        'log.level': 'error',
        'apache.error.module': 'auth_basic',
        'process.pid': 1234,
        'process.thread.id': 5678,
        'source.ip': '203.0.113.66',
        'source.port': 51234,
        'error.code': 'AH01617',
        'event.category': ['authentication', 'web'],
        'event.outcome': 'failure',
        'user.name': 'admin',
      },
    },
    {
      line: '2026/03/12 08:03:11 [error] 1234#1234: *5 user "admin": password mismatch, client: 203.0.113.66, server: maas, request: "GET /MAAS/ HTTP/1.1", host: "maas.example"',
      dataset: 'nginx.error',
      timestamp: '2026-03-12T08:03:11.000Z',
      fields: {
        'log.level': 'error',
        'process.pid': 1234,
        'process.thread.id': 1234,
        'source.ip': '203.0.113.66',
        'http.request.method': 'GET',
        'url.path': '/MAAS/',
        'url.domain': 'maas.example',
        'event.outcome': 'failure',
        'user.name': 'admin',
      },
    },
  ],
};
