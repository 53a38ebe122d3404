/** Each modifier on its own, wildcards and escapes, networks, regex translation, field mapping. */
import { describe, expect, it } from 'vitest';
import { SigmaError, cidrContains, compileRules, loadRules, parseCidr, translateRegex } from '../../../../src/core/rules';
import { detect, ev } from './helpers';

const one = (line: string, fields: Record<string, string | number | boolean | readonly string[]>, raw?: string): boolean =>
  detect(`sel:\n  ${line}\ncondition: sel`)(ev(fields, raw !== undefined ? { raw } : {}));

describe('modifiers one by one', () => {
  it('contains / startswith / endswith', () => {
    expect(one("f|contains: 'b*d'", { f: 'abxd e' })).toBe(true);
    expect(one("f|startswith: 'AB'", { f: 'abc' })).toBe(true);
    expect(one("f|startswith: 'AB'", { f: 'cab' })).toBe(false);
    expect(one("f|endswith: '.PHP'", { f: '/x.php' })).toBe(true);
    expect(one("f|endswith: '.PHP'", { f: '/x.php?a' })).toBe(false);
  });
  it('all (AND of the list), with expansions still OR-ed inside', () => {
    expect(one('f|contains|all: [a, b, c]', { f: 'cab' })).toBe(true);
    expect(one('f|contains|all: [a, b, c]', { f: 'ab' })).toBe(false);
    expect(one("f|windash|contains|all: ['-x', '-y']", { f: 'tool /x \u2013y' })).toBe(true);
  });
  it('neq', () => {
    expect(one('f|neq: 5', { f: 5 })).toBe(false);
    expect(one('f|neq: 5', { f: 6 })).toBe(true);
  });
  it('exists true/false: presence only', () => {
    expect(one('f|exists: true', { f: '' })).toBe(true);
    expect(one('f|exists: true', {})).toBe(false);
    expect(one('f|exists: false', {})).toBe(true);
    expect(one('f|exists: false', { f: 'x' })).toBe(false);
  });
  it('cased', () => {
    expect(one("f|cased: 'GET'", { f: 'GET' })).toBe(true);
    expect(one("f|cased: 'GET'", { f: 'get' })).toBe(false);
    expect(one("f|contains|cased: 'Bad'", { f: 'a Bad b' })).toBe(true);
  });
  it('re: unanchored, case-sensitive by default; i, m, s flags; no wildcard processing', () => {
    expect(one("f|re: 'a.c'", { f: 'xxabcxx' })).toBe(true);
    expect(one("f|re: '^a.c$'", { f: 'ABC' })).toBe(false);
    expect(one("f|re|i: '^a.c$'", { f: 'ABC' })).toBe(true);
    expect(one("f|re|ignorecase: '^a.c$'", { f: 'ABC' })).toBe(true);
    expect(one("f|re|m: '^b$'", { f: 'a\nb\nc' })).toBe(true);
    expect(one("f|re: '^b$'", { f: 'a\nb\nc' })).toBe(false);
    expect(one("f|re|s: 'a.b'", { f: 'a\nb' })).toBe(true);
    expect(one("f|re: 'a.b'", { f: 'a\nb' })).toBe(false);
    expect(one("f|re: 'a*'", { f: 'bbb' })).toBe(true); // regex, not wildcard: a* matches empty
  });
  it('re: (?i) and other PCRE spellings translated for JavaScript', () => {
    expect(one("f|re: '(?i)^select'", { f: 'SELECT 1' })).toBe(true);
    expect(translateRegex('(?i)(?s)\\Aab\\z', '')).toEqual({ source: '^ab$', flags: 'is' });
    expect(translateRegex('(?P<x>a)(?P=x)', '')).toEqual({ source: '(?<x>a)\\k<x>', flags: '' });
    expect(translateRegex('[\\A]\\-', '').source).toBe('[\\A]\\-');
    expect(translateRegex('a*?b??', '').source).toBe('a*?b??');
    for (const bad of ['a++', '(?>a)', 'a(?i)b', '(?x) a']) {
      expect(() => translateRegex(bad, ''), bad).toThrow(SigmaError);
    }
  });
  it('cidr IPv4', () => {
    expect(one('ip|cidr: 10.0.0.0/8', { ip: '10.200.3.4' })).toBe(true);
    expect(one('ip|cidr: 10.0.0.0/8', { ip: '11.0.0.1' })).toBe(false);
    expect(one('ip|cidr: 192.168.1.128/25', { ip: '192.168.1.127' })).toBe(false);
    expect(one('ip|cidr: 192.168.1.128/25', { ip: '192.168.1.255' })).toBe(true);
    expect(one('ip|cidr: 0.0.0.0/0', { ip: '8.8.8.8' })).toBe(true);
    expect(one('ip|cidr: 1.2.3.4/32', { ip: '1.2.3.4' })).toBe(true);
    expect(one('ip|cidr: 10.0.0.0/8', { ip: 'not-an-ip' })).toBe(false);
    expect(one('ip|cidr: 10.0.0.0/8', { ip: 'fe80::1' })).toBe(false);
  });
  it('cidr IPv6', () => {
    expect(one("ip|cidr: 'fe80::/10'", { ip: 'fe80::1:2' })).toBe(true);
    expect(one("ip|cidr: 'fe80::/10'", { ip: 'febf:ffff::1' })).toBe(true);
    expect(one("ip|cidr: 'fe80::/10'", { ip: 'fec0::1' })).toBe(false);
    expect(one("ip|cidr: '2001:db8::/32'", { ip: '2001:0DB8:0000:0000:0000:ff00:0042:8329' })).toBe(true);
    expect(one("ip|cidr: '::ffff:0:0/96'", { ip: '::ffff:192.0.2.1' })).toBe(true);
    expect(one("ip|cidr: '::1/128'", { ip: '::1' })).toBe(true);
    expect(one("ip|cidr: 'fe80::/10'", { ip: 'fe80::1%eth0' })).toBe(true);
    expect(one("ip|cidr: 'fe80::/10'", { ip: '10.0.0.1' })).toBe(false);
    expect(parseCidr('1:2:3:4:5:6:7:8:9/64')).toBeUndefined();
    expect(parseCidr('::/129')).toBeUndefined();
    const net = parseCidr('2001:db8:abcd:12::/63')!;
    expect(cidrContains(net, '2001:db8:abcd:13::5')).toBe(true);
    expect(cidrContains(net, '2001:db8:abcd:14::5')).toBe(false);
  });
  it('base64 and base64offset find encoded payloads', () => {
    expect(one('f|base64: abc', { f: 'YWJj' })).toBe(true);
    expect(one('f|base64offset|contains: http', { f: 'xxIGh0dHA6Ly9' })).toBe(true); // " http://" encoded
    expect(one('f|base64offset|contains: http', { f: 'Zm9vaHR0cA==' })).toBe(true); // "foohttp"
    expect(one('f|base64offset|contains: http', { f: 'Zm9vYmFy' })).toBe(false);
  });
  it('utf16le / wide / utf16be / utf16 (BOM)', () => {
    expect(one('f|wide|base64offset|contains: ping', { f: 'JABwAGkAbgBnAA==' })).toBe(true);
    expect(one('f|utf16be|base64|contains: ab', { f: 'xAGEAYg==x' })).toBe(true); // 00 61 00 62
    expect(one('f|utf16|base64: a', { f: '//5hAA==' })).toBe(true); // FF FE 61 00
  });
  it('windash: every dash form of a flag', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(one("f|windash|contains: ' -enc '", { f: `powershell ${dash}enc x` }), dash).toBe(true);
    }
    expect(one("f|windash|contains: ' -enc '", { f: 'powershell +enc x' })).toBe(false);
  });
  it('lt / lte / gt / gte on numbers and numeric text', () => {
    expect(one('n|gt: 5', { n: 6 })).toBe(true);
    expect(one('n|gt: 5', { n: 5 })).toBe(false);
    expect(one('n|gte: 5', { n: '5' })).toBe(true);
    expect(one('n|lt: 5', { n: 4.5 })).toBe(true);
    expect(one('n|lte: 5', { n: 'five' })).toBe(false);
    expect(one('n|lte: 5', { n: '' })).toBe(false);
  });
  it('fieldref: equality and contains/startswith/endswith between fields', () => {
    expect(one('a|fieldref: b', { a: 'X', b: 'x' })).toBe(true);
    expect(one('a|fieldref: b', { a: 'x', b: 'y' })).toBe(false);
    expect(one('a|fieldref: b', { a: 'x' })).toBe(false);
    expect(one('a|fieldref|contains: b', { a: 'hello world', b: 'lo w' })).toBe(true);
    expect(one('a|fieldref|startswith: b', { a: 'hello', b: 'he' })).toBe(true);
    expect(one('a|fieldref|endswith: b', { a: 'hello', b: 'he' })).toBe(false);
  });
  it('expand with values supplied', () => {
    const r = loadRules("title: t\nlogsource: {}\ndetection:\n  sel:\n    host|expand: '%Servers%.lan'\n  condition: sel\n", { placeholders: { Servers: ['db1', 'web*'] } });
    const set = compileRules(r.documents, { placeholders: { Servers: ['db1', 'web*'] }, throwOnError: true });
    expect(set.test(ev({ host: 'web7.lan' }))).toHaveLength(1);
    expect(set.test(ev({ host: 'db2.lan' }))).toHaveLength(0);
  });
  it('minute / hour / day / week / month / year of a timestamp (UTC)', () => {
    const ts = Date.UTC(2024, 1, 29, 3, 7); // Thu 2024-02-29 03:07Z, ISO week 9
    const check = (line: string): boolean => detect(`sel:\n  ${line}\ncondition: sel`)(ev({}, { ts }));
    expect(check("'@timestamp|hour': 3")).toBe(true);
    expect(check("'@timestamp|minute': 7")).toBe(true);
    expect(check("'@timestamp|day': 29")).toBe(true);
    expect(check("'@timestamp|week': 9")).toBe(true);
    expect(check("'@timestamp|month': 2")).toBe(true);
    expect(check("'@timestamp|year': 2024")).toBe(true);
    expect(check("'@timestamp|hour|gte': 8")).toBe(false);
  });
});

describe('wildcards and escapes', () => {
  it('* and ? are wildcards; \\* \\? \\\\ literals; regex metacharacters are literal', () => {
    expect(one("f: 'a*'", { f: 'abc' })).toBe(true);
    expect(one("f: 'a\\*'", { f: 'abc' })).toBe(false);
    expect(one("f: 'a\\*'", { f: 'a*' })).toBe(true);
    expect(one("f: 'a\\?'", { f: 'a?' })).toBe(true);
    expect(one("f: 'a\\?'", { f: 'ab' })).toBe(false);
    expect(one("f: 'a\\\\*'", { f: 'a\\xyz' })).toBe(true);
    expect(one("f: 'a.c'", { f: 'abc' })).toBe(false);
    expect(one("f: '(x|y)[1]+$'", { f: '(x|y)[1]+$' })).toBe(true);
    expect(one("f: '^'", { f: '' })).toBe(false);
  });
  it('keywords: implicit * on both ends, case-insensitive, wildcards inside', () => {
    expect(one("'|contains': 'UNION*SELECT'", {}, 'GET /?q=1 union all select 2')).toBe(true);
    expect(detect("kw:\n  - 'etc/pa?swd'\ncondition: kw")(ev({}, { raw: 'GET /../../etc/passwd' }))).toBe(true);
  });
  it('keywords also search decoded fields that the raw line does not contain (sigma.md A3)', () => {
    const p = detect("kw:\n  - \"' or 1=1\"\ncondition: kw");
    const raw = 'GET /x?q=%27%20or%201=1 HTTP/1.1';
    expect(p(ev({ 'url.query': "q=' or 1=1", 'url.original': '/x?q=%27%20or%201=1' }, { raw }))).toBe(true);
    expect(p(ev({ 'log.file.path': "' or 1=1" }, { raw: 'nothing' }))).toBe(false); // evidence fields are not searched
  });
});

describe('field mapping (fields.ts)', () => {
  const web = (detection: string) =>
    compileRules(loadRules(`title: w\nlogsource: {category: webserver}\ndetection:\n${detection}\n`).documents, { throwOnError: true });
  const access = (fields: Record<string, string | number>, dataset = 'apache.access') => ev({ 'event.dataset': dataset, ...fields });

  it('cs-uri-query reads url.original as logged, not decoded', () => {
    const set = web("  sel:\n    cs-uri-query|contains: '/cgi-bin/.%2e/'\n  condition: sel");
    expect(set.test(access({ 'url.original': '/cgi-bin/.%2e/.%2e/bin/sh', 'url.path': '/cgi-bin/../../bin/sh' }))).toHaveLength(1);
  });
  it('sc-status, cs-method, c-ip, cs-user-agent, cs-referer', () => {
    const set = web(
      "  sel:\n    sc-status: 404\n    cs-method: GET\n    c-ip|cidr: 10.0.0.0/8\n    cs-user-agent|contains: sqlmap\n    cs-referer: '-*'\n  condition: sel",
    );
    const fields = { 'http.response.status_code': 404, 'http.request.method': 'GET', 'source.ip': '10.1.2.3', 'user_agent.original': 'sqlmap/1.7', 'http.request.referrer': '-x' };
    expect(set.test(access(fields))).toHaveLength(1);
    expect(set.test(access({ ...fields, 'http.response.status_code': 200 }))).toHaveLength(0);
  });
  it('webserver rules read apache/nginx access and the HTTP lines of maas.regiond only', () => {
    const set = web("  sel:\n    cs-method: POST\n  condition: sel");
    expect(set.test(access({ 'http.request.method': 'POST' }, 'nginx.access'))).toHaveLength(1);
    expect(set.test(access({ 'http.request.method': 'POST' }, 'maas.regiond'))).toHaveLength(1);
    expect(set.test(access({ message: 'POST' }, 'maas.regiond'))).toHaveLength(0);
    expect(set.test(access({ 'http.request.method': 'POST' }, 'ufw'))).toHaveLength(0);
  });
  it('firewall: src_ip/dst_port and UFW actions spelled as Sigma rules expect', () => {
    const set = compileRules(
      loadRules('title: f\nlogsource: {category: firewall}\ndetection:\n  sel:\n    action: denied\n    dst_port: 22\n    src_ip: 1.2.3.4\n  condition: sel\n').documents,
    );
    const ufw = ev({ 'event.dataset': 'ufw', 'event.action': 'block', 'destination.port': 22, 'source.ip': '1.2.3.4' });
    expect(set.test(ufw)).toHaveLength(1);
    expect(set.test({ ...ufw, fields: { ...ufw.fields, 'event.action': 'allow' } })).toHaveLength(0);
  });
  it('linux sshd rules read system.auth sshd lines; product-only linux rules read every Linux log', () => {
    const sshd = compileRules(loadRules("title: s\nlogsource: {product: linux, service: sshd}\ndetection:\n  kw: ['error in libcrypto']\n  condition: kw\n").documents);
    const linux = compileRules(loadRules("title: l\nlogsource: {product: linux}\ndetection:\n  kw: ['error in libcrypto']\n  condition: kw\n").documents);
    const raw = 'Jan 1 00:00:00 h sshd[1]: error in libcrypto';
    const auth = ev({ 'event.dataset': 'system.auth', 'process.name': 'sshd' }, { raw });
    const cron = ev({ 'event.dataset': 'system.auth', 'process.name': 'CRON' }, { raw });
    expect(sshd.test(auth)).toHaveLength(1);
    expect(sshd.test(cron)).toHaveLength(0);
    expect(linux.test(cron)).toHaveLength(1);
    expect(linux.test(ev({ 'event.dataset': 'kernel' }, { raw }))).toHaveLength(1);
    expect(linux.test(ev({ 'event.dataset': 'apache.access' }, { raw }))).toHaveLength(0);
  });
  it('ECS field names can be used directly', () => {
    const set = web("  sel:\n    url.path: '/MAAS/accounts/login/'\n    event.outcome: failure\n  condition: sel");
    expect(set.test(access({ 'url.path': '/MAAS/accounts/login/', 'event.outcome': 'failure' }))).toHaveLength(1);
  });
});

describe('meta-filters (spec "Sigma Filters"; sigma.md A6)', () => {
  it('add `and not (filter)` to the rules they name, and only to those', () => {
    const yaml = `title: SSH from anywhere
id: 6a1c0c3e-0000-4000-8000-000000000001
logsource: {product: linux, service: auth}
detection: {sel: {event.outcome: failure}, condition: sel}
---
title: Other
name: other
logsource: {product: linux, service: auth}
detection: {sel: {event.outcome: failure}, condition: sel}
---
title: Our scanner is fine
logsource: {product: linux, service: auth}
filter:
  rules: [6a1c0c3e-0000-4000-8000-000000000001]
  scanner: {source.ip: 10.0.0.5}
  condition: scanner
`;
    const set = compileRules(loadRules(yaml).documents, { throwOnError: true });
    const from = (ip: string) => ev({ 'event.dataset': 'system.auth', 'event.outcome': 'failure', 'source.ip': ip });
    expect(set.test(from('10.0.0.5'))).toEqual(['other']);
    expect(set.test(from('10.0.0.6')).sort()).toEqual(['6a1c0c3e-0000-4000-8000-000000000001', 'other']);
  });
});
