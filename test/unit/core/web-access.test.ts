import { describe, expect, it } from 'vitest';
import { parseAccessLine, parseClfTime } from '../../../src/core/formats/web-access';
import { CORPUS_MISSING, corpusLines, hasCorpus } from '../corpus';

describe('Apache / nginx access lines', () => {
  it('parses a combined line into ECS fields', () => {
    const r = parseAccessLine('83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1)"', 'apache.access');
    expect(r).toEqual({
      kind: 'event',
      timestamp: Date.UTC(2015, 4, 17, 10, 5, 3),
      dataset: 'apache.access',
      fields: {
        'source.ip': '83.149.9.216',
        'http.request.method': 'GET',
        'url.original': '/presentations/logstash-monitorama-2013/images/kibana-search.png',
        'url.path': '/presentations/logstash-monitorama-2013/images/kibana-search.png',
        'http.version': '1.1',
        'http.response.status_code': 200,
        'http.response.body.bytes': 203023,
        'http.request.referrer': 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
        'user_agent.original': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1)',
      },
    });
  });

  it('applies the zone offset and decodes path and query but keeps url.original as sent', () => {
    expect(parseClfTime('[22/Dec/2016:16:30:52 +0300]', 0)).toBe(Date.UTC(2016, 11, 22, 13, 30, 52));
    expect(parseClfTime('[26/Mar/2009:08:44:20 -0500]', 0)).toBe(Date.UTC(2009, 2, 26, 13, 44, 20));
    const r = parseAccessLine('10.0.0.1 - bob [01/Jan/2026:00:00:00 +0000] "GET /a%20b/x.php?id=1%27%20OR%20%271%27%3D%271&q=%E2%9C%93 HTTP/1.1" 404 - "-" "sqlmap/1.7"', 'apache.access');
    expect(r.kind).toBe('event');
    if (r.kind !== 'event') return;
    expect(r.fields).toMatchObject({
      'user.name': 'bob',
      'url.original': '/a%20b/x.php?id=1%27%20OR%20%271%27%3D%271&q=%E2%9C%93',
      'url.path': '/a b/x.php',
      'url.query': "id=1' OR '1'='1&q=✓",
    });
    expect(r.fields['http.response.body.bytes']).toBeUndefined();
  });

  it('keeps malformed percent-encoding and escaped quotes in the request', () => {
    const r = parseAccessLine('1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "GET /x?a=%zz%41\\"b HTTP/1.0" 400 0 "-" "-"', 'apache.access');
    expect(r.kind).toBe('event');
    if (r.kind !== 'event') return;
    expect(r.fields['url.query']).toBe('a=%zzA\\"b');
    expect(r.fields['user_agent.original']).toBeUndefined();
  });

  it('keeps junk request lines of scanners as sent', () => {
    const r = parseAccessLine('1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"', 'nginx.access');
    expect(r.kind).toBe('event');
    if (r.kind === 'event') expect(r.fields['http.request.line']).toBe('\\x16\\x03\\x01');
  });

  it('reads common format, vhost_combined and extra trailing fields', () => {
    const common = parseAccessLine('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326', 'apache.access');
    expect(common).toMatchObject({ kind: 'event', timestamp: Date.UTC(2000, 9, 10, 20, 55, 36), fields: { 'user.name': 'frank', 'http.response.body.bytes': 2326 } });
    const vhost = parseAccessLine('www.example.com:443 1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8" 1234 "x"', 'apache.access');
    expect(vhost).toMatchObject({ kind: 'event', fields: { 'url.domain': 'www.example.com', 'destination.port': 443, 'source.ip': '1.2.3.4', 'web.extra': '1234 "x"' } });
  });

  it('reports why a line is not an access line', () => {
    expect(parseAccessLine('hello world', 'x')).toEqual({ kind: 'unparsed', reason: 'no [time] field' });
    expect(parseAccessLine('1.2.3.4 [20/Jul/2009:22:59:29 +0000] "GET / HTTP/1.0" 404 4 "-" "x"', 'x').kind).toBe('unparsed');
    expect(parseAccessLine('1.2.3.4 - - [20/Jul/2009:22:59:29 +0000] "GET / HTTP/1.0" 4040 4', 'x').kind).toBe('unparsed');
    expect(parseAccessLine('1.2.3.4 - - [20/Jxx/2009:22:59:29 +0000] "GET / HTTP/1.0" 404 4', 'x').kind).toBe('unparsed');
  });
});

describe.skipIf(!hasCorpus)(`access logs of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  const parseAll = (file: string) => corpusLines(file).map((line) => parseAccessLine(line, 'apache.access'));

  it('parses all 4000 lines of elastic-examples with their status codes', () => {
    const results = parseAll('elastic-examples/apache_logs.first4000');
    expect(results).toHaveLength(4000);
    expect(results.every((r) => r.kind === 'event')).toBe(true);
    const statuses = new Map<number, number>();
    for (const r of results) if (r.kind === 'event') statuses.set(r.fields['http.response.status_code'] as number, (statuses.get(r.fields['http.response.status_code'] as number) ?? 0) + 1);
    expect(statuses.get(200)).toBeGreaterThan(3500);
  });

  for (const file of ['ocatak-apache-http-logs/w3af.txt', 'ocatak-apache-http-logs/acunetix.first2500.txt', 'ocatak-apache-http-logs/netsparker.first2500.txt']) {
    it(`parses the scanner traffic of ${file} with the scanner's address`, () => {
      const results = parseAll(file);
      const events = results.filter((r) => r.kind === 'event');
      expect(events.length).toBe(results.length);
      const scanner = { 'ocatak-apache-http-logs/w3af.txt': '192.168.4.163', 'ocatak-apache-http-logs/acunetix.first2500.txt': '192.168.4.25', 'ocatak-apache-http-logs/netsparker.first2500.txt': '192.168.4.164' }[file];
      expect(events.filter((r) => r.kind === 'event' && r.fields['source.ip'] === scanner).length).toBeGreaterThan(events.length / 2);
    });
  }

  it('gives every event one shape: the same fields in the same order, undefined where absent', () => {
    const lines = ['elastic-examples/apache_logs.first4000', 'ocatak-apache-http-logs/w3af.txt', 'ocatak-apache-http-logs/acunetix.first2500.txt', 'ocatak-apache-http-logs/netsparker.first2500.txt'].flatMap((file) => corpusLines(file));
    lines.push('www.example.org:443 10.0.0.1 - bob smith [01/Jan/2026:00:00:00 +0000] "GET /a#b HTTP/1.1" 200 - "-" "x" extra', 'h - - [01/Jan/2026:00:00:00 +0000] "\\x16\\x03" 400 0');
    const shapes = new Set<string>();
    let events = 0;
    for (const line of lines) {
      const r = parseAccessLine(line, 'apache.access');
      if (r.kind !== 'event') continue;
      events++;
      shapes.add(Object.keys(r.fields).join(','));
    }
    expect(events).toBeGreaterThan(10_000);
    expect([...shapes]).toHaveLength(1);
  });

  it("recognises lnav's access_log format samples and rejects its bad access log lines", () => {
    const samples = corpusLines('lnav/format-samples/access_log.samples.txt');
    const ok = samples.filter((l) => parseAccessLine(l, 'x').kind === 'event');
    // lnav's samples include a W3C-style line that is not NCSA; all NCSA ones must parse.
    expect(ok.length).toBeGreaterThanOrEqual(samples.filter((l) => / \[\d\d\/\w{3}\/\d{4}:/.test(l)).length);
    const bad = corpusLines('lnav/test/logfile_bad_access_log.0').map((l) => parseAccessLine(l, 'x').kind);
    expect(bad).toEqual(['event', 'unparsed', 'event']);
  });
});
