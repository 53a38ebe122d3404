import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMaasServiceLine } from '../../../../src/core/formats/maas-service';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';

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

  it('joins tab-continued traceback lines to their event and says why other lines are not understood', () => {
    const { events, report } = ingest('var/log/maas/rackd.log', '2022-02-15 15:33:39 provisioningserver.rpc.clusterservice: [critical] Failed\n\tTraceback (most recent call last):\n\t  File "x", line 1\nnot a maas line\n');
    expect(report).toMatchObject({ format: 'maas-service', lines: 4, parsed: 1, continued: 2, unparsed: 1 });
    expect(events[0]).toMatchObject({ lineCount: 3, fields: { 'event.dataset': 'maas.rackd', 'log.level': 'critical' } });
    expect(events[0]!.raw.split('\n')).toHaveLength(3);
  });

  it('property: never throws, and lines = parsed + continued + unparsed', () => {
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
