import { describe, expect, it } from 'vitest';
import type { EventFields } from '../../../../src/core/model/event';
import { parseMaasServiceLine, parseRegiondHttp } from '../../../../src/core/formats/maas-service';
import { setUrlFields } from '../../../../src/core/formats/web-access';
import { CORPUS_MISSING, corpusFileLines, hasCorpus, lcg } from '../../corpus';
import { presentFields } from '../present-fields';

/**
 * The regiond parser reads a line's logger, level, message and, for an HTTP access message, its
 * request in one match. It must give what the two matches it replaces gave (LINE, then HTTP on the
 * message; kept here as the oracle) on every corpus line and on generated and mutated lines:
 * tokens holding other space chars, line terminators, near-miss requests.
 */

const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (\S+?): \[([a-z-]+)\] ?(.*)$/;
const HTTP = /^(\S+) (\S+) (\S+) (\S+) --> (\d{3}|\?\?\?)(?: ([A-Z_]+))? \(referrer: (.*?); agent: (.*)\)$/;

function plainHttp(message: string): EventFields | undefined {
  const m = HTTP.exec(message);
  if (m === null) return undefined;
  const [, origin, method, uri, proto, status, reason, referrer, agent] = m as unknown as [string, string, string, string, string, string, string | undefined, string, string];
  const fields: EventFields = { 'event.category': ['web'] };
  if (origin !== '-') fields['source.ip'] = origin;
  fields['http.request.method'] = method;
  setUrlFields(fields, uri);
  if (proto.startsWith('HTTP/')) fields['http.version'] = proto.slice(5);
  if (status !== '???') fields['http.response.status_code'] = Number(status);
  if (reason !== undefined) fields['http.response.status_reason'] = reason;
  if (referrer !== '-' && referrer !== '') fields['http.request.referrer'] = referrer;
  if (agent !== '-' && agent !== '') fields['user_agent.original'] = agent;
  if (method === 'POST' && fields['url.path'] === '/MAAS/accounts/login/') {
    fields['event.action'] = 'maas-ui-login';
    fields['event.category'] = ['authentication', 'web'];
    if (status === '400' || status === '204') fields['event.outcome'] = 'failure';
    else if (status === '200' || status === '302') fields['event.outcome'] = 'success';
  }
  return fields;
}

/** What the two matches gave for a line of regiond.log: the event's fields, or null (unparsed). */
function plainFields(line: string): EventFields | null {
  const m = LINE.exec(line);
  if (m === null) return null;
  const message = m[9]!;
  return { ...(plainHttp(message) ?? {}), 'log.logger': m[7]!, 'log.level': m[8]!, 'process.name': 'regiond', message };
}

const random = lcg(7);
/** One of the items; the first (the well-formed choice) with chance `first` at least. */
const pick = <T,>(items: readonly T[], first = 0.5): T => items[random() < first ? 0 : Math.floor(random() * items.length)]!;
const ODD = [' ', '\t', '\u00a0', '\u2003', '\ufeff', '\u3000', '  ', '\r', '\u2028', '\u2029', '\n'];

function generatedMessage(): string {
  const origin = pick(['10.0.0.1', '-', '::ffff:10.1.2.3', 'a\tb', '', '10.0.0.1\u00a0'], 0.85);
  const method = pick(['GET', 'POST', 'PUT', 'G ET', ''], 0.85);
  const uri = pick(['/MAAS/accounts/login/', '/MAAS/api/2.0/machines/?op=list', '/a%20b#frag', '/x', ''], 0.85);
  const proto = pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/', '-', 'HTTP/1.1 extra', ''], 0.85);
  const arrow = pick([' --> ', ' -->  ', '-->', ' -> ', ' --> --> '], 0.85);
  const status = pick(['200', '400', '204', '302', '???', '20', '2000', '??', 'abc', '500'], 0.85);
  const reason = pick(['', ' OK', ' BAD_REQUEST', ' NO_CONTENT', ' ok', ' X1', ' _', ' '], 0.85);
  const referrer = pick(['-', '', 'http://x/MAAS/r/', 'a; agent: b', 'x)y', 'r\u2028'], 0.85);
  const agent = pick(['-', '', 'curl/8', 'Mozilla/5.0 (X11)', 'a; agent: b', ')', 'c\rd'], 0.85);
  const close = pick([')', ')', '', ') ', '))'], 0.85);
  return `${origin} ${method} ${uri} ${proto}${arrow}${status}${reason} (referrer: ${referrer}; agent: ${agent}${close}`;
}

function generatedLine(): string {
  const stamp = pick(['2026-03-12 08:00:05 ', '2026-03-12 08:00:05', '2026-3-12 08:00:05 ', '2026-03-12 08:00:05\t']);
  const logger = pick(['regiond', 'maasserver.rpc.leases', 'a:b', 'x', '', 'reg iond', 'reg\tiond', 'r\u00a0d', ':', '-', 'a: [info]']);
  const colon = pick([': ', ':', ' : ', ':  ', ':\t']);
  const level = pick(['[info]', '[warn]', '[critical]', '[-]', '[]', '[Info]', '[info', 'info]', '[in fo]']);
  const gap = pick([' ', '', '  ', '\t', pick(ODD)]);
  const message = random() < 0.6 ? generatedMessage() : pick(['', 'x', 'Lease update: commit', 'a: [info] b', 'tail\u2028x', 'cr\rx', ' --> ']);
  return `${stamp}${logger}${colon}${level}${gap}${message}`;
}

function mutated(line: string): string {
  const chars = [...line];
  const n = 1 + Math.floor(random() * 3);
  for (let k = 0; k < n && chars.length > 0; k++) {
    const at = Math.floor(random() * chars.length);
    const op = random();
    if (op < 0.33) chars.splice(at, 1);
    else if (op < 0.66) chars.splice(at, 0, pick([...ODD, ':', '[', ']', ')', '-', ';', 'A', '9', '?', '>']));
    else chars[at] = pick([...ODD, ':', '[', ']', ')', 'z', '0', '-']);
  }
  return chars.join('');
}

if (!hasCorpus) console.warn(CORPUS_MISSING);

describe('regiond lines: one match agrees with the two it replaces', () => {
  it('same fields, or unparsed as before, on corpus, generated and mutated lines', () => {
    const lines = corpusFileLines(true).flat();
    for (let i = 0; i < 30_000; i++) {
      const line = generatedLine();
      lines.push(line, mutated(line));
    }
    let events = 0;
    let requests = 0;
    const differ: string[] = [];
    for (const line of lines) {
      if (line.charCodeAt(0) === 9 || line.charCodeAt(0) === 32) continue;
      const expected = plainFields(line);
      const got = parseMaasServiceLine(line, 'var/log/maas/regiond.log');
      if (expected === null) {
        if (got.kind !== 'unparsed') differ.push(line);
        continue;
      }
      events++;
      if (expected['http.request.method'] !== undefined) requests++;
      if (got.kind !== 'event' || JSON.stringify(presentFields(got.fields)) !== JSON.stringify(presentFields(expected))) differ.push(line);
    }
    expect(differ.slice(0, 5)).toEqual([]);
    expect(events).toBeGreaterThan(5_000);
    expect(requests).toBeGreaterThan(1_000);
  });

  it('parseRegiondHttp (the journal reads it) still gives HTTP\'s fields', () => {
    for (let i = 0; i < 20_000; i++) {
      const message = random() < 0.5 ? generatedMessage() : mutated(generatedMessage());
      const got = parseRegiondHttp(message);
      const expected = plainHttp(message);
      expect(got === undefined ? 'none' : JSON.stringify(presentFields(got)), message).toBe(expected === undefined ? 'none' : JSON.stringify(presentFields(expected)));
    }
  });
});
