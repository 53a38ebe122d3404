import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMaasServiceLine } from '../../../../src/core/formats/maas-service';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';
import { presentFields, presentKeys } from '../present-fields';

function ingest(path: string, text: string) {
  const events: PendingEvent[] = [];
  const ingestor = new FileIngestor({ path, referenceTime: Date.UTC(2026, 0, 1) }, (e) => events.push(e));
  ingestor.push(new TextEncoder().encode(text));
  return { events, report: ingestor.end() };
}

describe('MAAS regiond / rackd lines', () => {
  it('parses the logger, level and message, in UTC with the zone marked inferred', () => {
    const r = parseMaasServiceLine("2026-03-12 08:00:05 maasserver.rpc.regionservice: [info] Rack controller authenticated from '10.20.0.3:56812'.", 'var/snap/maas/common/log/regiond.log');
    expect(r).toEqual({
      kind: 'event',
      timestamp: Date.UTC(2026, 2, 12, 8, 0, 5),
      dataset: 'maas.regiond',
      inferred: ['zone'],
      fields: { 'log.logger': 'maasserver.rpc.regionservice', 'log.level': 'info', 'process.name': 'regiond', message: "Rack controller authenticated from '10.20.0.3:56812'." },
    });
  });

  it('reads regiond HTTP lines; a refused UI login is an authentication failure', () => {
    const ok = parseMaasServiceLine('2020-03-31 21:17:56 regiond: [info] 10.132.172.1 GET /MAAS/accounts/login/ HTTP/1.1 --> 200 OK (referrer: -; agent: curl/8)', 'regiond.log');
    expect(ok.kind === 'event' && ok.fields).toMatchObject({ 'source.ip': '10.132.172.1', 'http.request.method': 'GET', 'url.original': '/MAAS/accounts/login/', 'http.version': '1.1', 'http.response.status_code': 200, 'http.response.status_reason': 'OK', 'user_agent.original': 'curl/8', 'event.category': ['web'] });
    expect(ok.kind === 'event' && ok.fields['http.request.referrer']).toBeUndefined();
    const bad = parseMaasServiceLine('2020-03-31 21:18:08 regiond: [info] 10.132.172.1 POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (referrer: http://x/MAAS/r/; agent: Mozilla/5.0)', 'regiond.log');
    expect(bad.kind === 'event' && bad.fields).toMatchObject({ 'event.category': ['authentication', 'web'], 'event.outcome': 'failure', 'event.action': 'maas-ui-login', 'http.request.referrer': 'http://x/MAAS/r/' });
    const unknown = parseMaasServiceLine('2020-03-31 21:18:08 regiond: [info] - GET /x HTTP/1.1 --> ??? (referrer: -; agent: -)', 'regiond.log');
    expect(unknown.kind === 'event' && unknown.fields['http.response.status_code']).toBeUndefined();
  });

  it('gives each kind of line one shape: the same fields in the same order, undefined where absent', () => {
    const parse = (line: string) => {
      const result = parseMaasServiceLine(line, 'regiond.log');
      if (result.kind !== 'event') throw new Error(`not an event: ${line}`);
      expect(Object.getPrototypeOf(result.fields)).toBe(Object.prototype);
      return result.fields;
    };
    const request = parse('2020-03-31 21:17:56 regiond: [info] 10.1.2.3 GET /MAAS/r/?a=1 HTTP/1.1 --> 200 OK (referrer: -; agent: curl/8)');
    const other = parse('2020-03-31 21:17:58 regiond: [info] - POST /MAAS/accounts/login/#x FTP --> ??? (referrer: http://r/; agent: -)');
    expect(presentKeys(request)).toEqual([
      'event.category', 'http.request.method', 'http.response.status_code', 'http.response.status_reason', 'http.version', 'log.level',
      'log.logger', 'message', 'process.name', 'source.ip', 'url.original', 'url.path', 'url.query', 'user_agent.original',
    ]);
    expect(presentFields(other)).toEqual({
      'event.action': 'maas-ui-login', 'event.category': ['authentication', 'web'], 'http.request.method': 'POST', 'http.request.referrer': 'http://r/',
      'log.level': 'info', 'log.logger': 'regiond', message: '- POST /MAAS/accounts/login/#x FTP --> ??? (referrer: http://r/; agent: -)',
      'process.name': 'regiond', 'url.fragment': 'x', 'url.original': '/MAAS/accounts/login/#x', 'url.path': '/MAAS/accounts/login/',
    });
    expect(Object.keys(other)).toEqual(Object.keys(request));
    const line = parse('2020-03-31 21:17:56 maasserver.x: [warn] plain');
    expect(presentFields(line)).toEqual({ 'log.logger': 'maasserver.x', 'log.level': 'warn', 'process.name': 'regiond', message: 'plain' });
    expect(Object.keys(line)).toEqual(Object.keys(parse('2020-03-31 21:17:57 y: [info] ')));
  });

  it('joins tab-continued traceback lines to their event and says why other lines are not understood', () => {
    const { events, report } = ingest('var/log/maas/rackd.log', '2022-02-15 15:33:39 provisioningserver.rpc.clusterservice: [critical] Failed\n\tTraceback (most recent call last):\n\t  File "x", line 1\nnot a maas line\n');
    expect(report).toMatchObject({ format: 'maas-service', lines: 4, parsed: 1, continued: 2, unparsed: 1 });
    expect(events[0]).toMatchObject({ lineCount: 3, fields: { 'event.dataset': 'maas.rackd', 'log.level': 'critical' } });
    expect(events[0]!.raw.split('\n')).toHaveLength(3);
  });

  it('takes the dataset from the path, else from the logger name', () => {
    const line = '2022-02-15 15:33:39 provisioningserver.rpc.clusterservice: [info] x';
    expect(parseMaasServiceLine(line, 'var/log/maas/regiond.log.1')).toMatchObject({ dataset: 'maas.regiond', fields: { 'process.name': 'regiond' } });
    expect(parseMaasServiceLine(line, 'var/log/maas/rackd.log.2.gz')).toMatchObject({ dataset: 'maas.rackd', fields: { 'process.name': 'rackd' } });
    expect(parseMaasServiceLine(line, 'maas-logs.txt')).toMatchObject({ dataset: 'maas.rackd', fields: { 'process.name': 'rackd' } });
    expect(parseMaasServiceLine('2022-02-15 15:33:39 rackd: [warn] x', 'x.txt')).toMatchObject({ dataset: 'maas.rackd', fields: { 'log.level': 'warn' } });
    expect(parseMaasServiceLine('2022-02-15 15:33:39 -: [-] x', 'x.txt')).toMatchObject({ dataset: 'maas.regiond', fields: { 'log.logger': '-', 'log.level': '-' } });
  });

  it('times each line of a day from its own stamp; out-of-range parts roll over as Date.UTC does; a bad stamp is unparsed', () => {
    const { events } = ingest('var/snap/maas/common/log/regiond.log', [
      '2026-03-12 23:59:59 regiond: [info] a', '2026-03-13 00:00:00 regiond: [info] b', '2026-03-12 23:59:58 regiond: [info] c',
      '2026-02-30 25:61:61 regiond: [info] d', '0099-13-01 00:00:00 regiond: [info] e',
    ].join('\n'));
    expect(events.map((e) => e.timestamp)).toEqual([
      Date.UTC(2026, 2, 12, 23, 59, 59), Date.UTC(2026, 2, 13), Date.UTC(2026, 2, 12, 23, 59, 58), Date.UTC(2026, 1, 30, 25, 61, 61), Date.UTC(99, 12, 1),
    ]);
    for (const line of ['2026-03-1x 00:00:00 regiond: [info] a', '2026-03-12T00:00:00 regiond: [info] a', '２026-03-12 00:00:00 regiond: [info] a', '2026-03-12 00:00:00 regiond: [INFO] a', '2026-03-12 00:00:00 regiond: [info] a\u2028b']) {
      expect(parseMaasServiceLine(line, 'regiond.log').kind).toBe('unparsed');
    }
  });

  it('a failure whose first line is `name: [critical] ` with nothing after is an event the traceback joins', () => {
    const { events, report } = ingest('var/snap/maas/common/log/regiond.log', '2022-02-15 15:33:39 maasserver.websockets.protocol: [critical] \n\tTraceback (most recent call last):\n\t  File "x", line 1\n\tValueError: y\n2022-02-15 15:33:40 regiond: [info] next\n');
    expect(report).toMatchObject({ lines: 5, parsed: 2, continued: 3, unparsed: 0 });
    expect(events[0]).toMatchObject({ line: 1, lineCount: 4, fields: { 'log.level': 'critical', message: '', 'event.dataset': 'maas.regiond' } });
    expect(events[1]).toMatchObject({ line: 5, lineCount: 1, fields: { message: 'next' } });
  });

  it('reads the login outcomes: 400/204 failure, 200/302 success, others no outcome; GET is not a login', () => {
    const outcome = (method: string, status: string) => {
      const r = parseMaasServiceLine(`2020-03-31 21:18:08 regiond: [info] 10.0.0.1 ${method} /MAAS/accounts/login/?next=/MAAS/ HTTP/1.1 --> ${status} (referrer: -; agent: -)`, 'regiond.log');
      return r.kind === 'event' ? [r.fields['event.action'] ?? null, r.fields['event.outcome'] ?? null, r.fields['url.path'], r.fields['url.query'] ?? null] : null;
    };
    expect(outcome('POST', '400 BAD_REQUEST')).toEqual(['maas-ui-login', 'failure', '/MAAS/accounts/login/', 'next=/MAAS/']);
    expect(outcome('POST', '204 NO_CONTENT')).toEqual(['maas-ui-login', 'failure', '/MAAS/accounts/login/', 'next=/MAAS/']);
    expect(outcome('POST', '200 OK')).toEqual(['maas-ui-login', 'success', '/MAAS/accounts/login/', 'next=/MAAS/']);
    expect(outcome('POST', '302 FOUND')).toEqual(['maas-ui-login', 'success', '/MAAS/accounts/login/', 'next=/MAAS/']);
    expect(outcome('POST', '500 INTERNAL_SERVER_ERROR')).toEqual(['maas-ui-login', null, '/MAAS/accounts/login/', 'next=/MAAS/']);
    expect(outcome('GET', '200 OK')).toEqual([null, null, '/MAAS/accounts/login/', 'next=/MAAS/']);
    // An unknown code prints the bare number.
    const bare = parseMaasServiceLine('2020-03-31 21:18:08 regiond: [info] ::1 GET /MAAS/api/2.0/ HTTP/1.0 --> 599 (referrer: -; agent: -)', 'regiond.log');
    expect(bare.kind === 'event' && [bare.fields['http.response.status_code'], bare.fields['http.response.status_reason'], bare.fields['source.ip'], bare.fields['http.version']]).toEqual([599, undefined, '::1', '1.0']);
  });

  it('property: never throws on random or mutated lines', () => {
    const base = fc.constantFrom(
      '2020-03-31 21:18:08 regiond: [info] 10.132.172.1 POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (referrer: http://10.132.172.231:5240/MAAS/r/; agent: Mozilla/5.0)',
      '2022-02-15 15:33:39 provisioningserver.rpc.clusterservice: [critical] Failed to contact region.',
    );
    const line = fc.oneof(fc.string(), fc.tuple(base, fc.nat(), fc.nat(), fc.string({ maxLength: 4 })).map(([b, at, cut, ins]) => b.slice(0, at % (b.length + 1)) + ins + b.slice((at % (b.length + 1)) + (cut % 5))));
    fc.assert(
      fc.property(line, fc.constantFrom('regiond.log', 'rackd.log', 'x'), (l, path) => {
        const r = parseMaasServiceLine(l, path);
        expect(['event', 'continuation', 'unparsed']).toContain(r.kind);
        if (r.kind === 'event') expect(Number.isFinite(r.timestamp)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: lines = parsed + continued + unparsed', () => {
    const line = fc.oneof(fc.string(), fc.constant('\tcontinued'), fc.constant('2020-03-31 21:17:56 regiond: [info] x'), fc.constant('2020-03-31 21:17:56 regiond: [info] 1.2.3.4 GET / HTTP/1.1 --> 200 OK (referrer: -; agent: -)'));
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
      const text = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n');
      const { report } = ingest('regiond.log', text);
      expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
    }), { numRuns: 200 });
  });
});

describe.skipIf(!hasCorpus)(`MAAS logs of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('sniffs and parses the documented regiond HTTP login lines exactly', () => {
    const lines = corpusLines('maas/maas/docs-2020-03-31.regiond-http-login.log');
    expect(sniffFormat({ path: 'var/snap/maas/common/log/regiond.log', lines }).format?.id).toBe('maas-service');
    const results = lines.map((l) => parseMaasServiceLine(l, 'regiond.log'));
    expect(results.map((r) => r.kind === 'event' && [r.fields['http.request.method'], r.fields['http.response.status_code'], r.fields['event.outcome'] ?? null])).toEqual([
      ['GET', 200, null], ['POST', 400, 'failure'], ['POST', 204, 'failure'],
    ]);
  });

  it('reads the documented HTTP login lines field by field', () => {
    const [first] = corpusLines('maas/maas/docs-2020-03-31.regiond-http-login.log').map((l) => parseMaasServiceLine(l, 'var/snap/maas/common/log/regiond.log'));
    expect(first).toEqual({
      kind: 'event',
      timestamp: Date.UTC(2020, 2, 31, 21, 17, 56),
      dataset: 'maas.regiond',
      inferred: ['zone'],
      fields: {
        'event.category': ['web'],
        'source.ip': '10.132.172.1',
        'http.request.method': 'GET',
        'url.original': '/MAAS/accounts/login/',
        'url.path': '/MAAS/accounts/login/',
        'http.version': '1.1',
        'http.response.status_code': 200,
        'http.response.status_reason': 'OK',
        'http.request.referrer': 'http://10.132.172.231:5240/MAAS/r/',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36',
        'log.logger': 'regiond',
        'log.level': 'info',
        'process.name': 'regiond',
        message: '10.132.172.1 GET /MAAS/accounts/login/ HTTP/1.1 --> 200 OK (referrer: http://10.132.172.231:5240/MAAS/r/; agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36)',
      },
    });
    const { events } = ingest('var/snap/maas/common/log/regiond.log', `${corpusLines('maas/maas/docs-2020-03-31.regiond-http-login.log').join('\n')}\n`);
    expect(events.map((e) => [e.fields['event.category'], e.fields['event.action'] ?? null, e.fields['http.response.status_reason']])).toEqual([
      [['web'], null, 'OK'],
      [['authentication', 'web'], 'maas-ui-login', 'BAD_REQUEST'],
      [['authentication', 'web'], 'maas-ui-login', 'NO_CONTENT'],
    ]);
  });

  it('joins the rackd traceback of cloud-init#3949: 17 lines, one event', () => {
    const { events, report } = ingest('var/log/maas/rackd.log', readFileSync(corpusPath('maas/maas/issue-cloud-init-3949.rackd.log'), 'utf8'));
    expect(report).toMatchObject({ format: 'maas-service', lines: 17, parsed: 1, continued: 16, unparsed: 0, datasets: { 'maas.rackd': 1 } });
    expect(events[0]).toMatchObject({
      line: 1,
      lineCount: 17,
      timestamp: Date.UTC(2022, 1, 15, 15, 33, 39),
      fields: { 'log.logger': 'provisioningserver.rpc.clusterservice', 'log.level': 'critical', 'process.name': 'rackd', 'loupe.time.inferred': ['zone'], message: 'Failed to contact region. (While requesting RPC info at http://10.246.72.3:5240/MAAS).' },
    });
    expect(events[0]!.raw.split('\n')[1]).toBe('\tTraceback (most recent call last):');
  });

  it('reads the docs regiond.log: 13 events, the indented list joined to its DNS line', () => {
    const { events, report } = ingest('var/snap/maas/common/log/regiond.log', readFileSync(corpusPath('maas/maas/docs-2022-09-29.regiond.log'), 'utf8'));
    expect(report).toMatchObject({ lines: 16, parsed: 13, continued: 3, unparsed: 0, datasets: { 'maas.regiond': 13 } });
    expect(events[3]).toMatchObject({ line: 4, lineCount: 4, fields: { 'log.logger': 'maasserver.region_controller', message: 'Reloaded DNS configuration; ip 10.103.114.192 connected to fun-zebra on eth0' } });
    expect(events.map((e) => e.fields['log.logger'])).toContain('metadataserver');
    expect(new Date(events[12]!.timestamp).toISOString()).toBe('2022-09-29T21:27:18.000Z');
  });

  for (const file of ['maas/maas/issue-cloud-init-3949.rackd.log', 'maas/maas/issue-cloud-init-3770.rackd.log', 'maas/maas/docs-2022-09-29.regiond.log']) {
    it(`accounts for every line of ${file} with no unparsed line`, () => {
      const text = readFileSync(corpusPath(file), 'utf8');
      const { report } = ingest(file.includes('rackd') ? 'var/log/maas/rackd.log' : 'var/log/maas/regiond.log', text);
      expect(report.format).toBe('maas-service');
      expect(report.unparsed).toBe(0);
      expect(report.parsed + report.continued).toBe(report.lines);
      expect(report.parsed).toBeGreaterThan(0);
    });
  }
});
