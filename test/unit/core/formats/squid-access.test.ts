import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { parseSquidAccessLine } from '../../../../src/core/formats/squid-access';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import { CORPUS_MISSING, corpusLines, hasCorpus } from '../../corpus';

describe('squid access lines', () => {
  it('reads a proxied GET with padded elapsed time, a peer and a MIME type', () => {
    expect(parseSquidAccessLine('1700000000.123    250 10.0.0.5 TCP_MISS/200 4567 GET http://archive.ubuntu.com:80/ubuntu/dists/jammy/InRelease - HIER_DIRECT/91.189.91.81 text/plain')).toEqual({
      kind: 'event',
      timestamp: 1700000000123,
      dataset: 'maas.proxy',
      fields: {
        'event.category': ['web', 'network'],
        'source.ip': '10.0.0.5',
        'squid.result_code': 'TCP_MISS',
        'http.response.status_code': 200,
        'http.response.body.bytes': 4567,
        'http.request.method': 'GET',
        'url.original': 'http://archive.ubuntu.com:80/ubuntu/dists/jammy/InRelease',
        'url.domain': 'archive.ubuntu.com',
        'url.port': 80,
        'event.duration': 250_000_000,
        'squid.hierarchy': 'HIER_DIRECT',
        'squid.peer': '91.189.91.81',
        'http.response.mime_type': 'text/plain',
      },
    });
    const denied = parseSquidAccessLine('1700000000.000 0 fe80::1 TCP_DENIED/000 0 GET http://x/ bob HIER_NONE/- -');
    expect(denied.kind === 'event' && denied.fields).toMatchObject({ 'source.ip': 'fe80::1', 'user.name': 'bob' });
    expect(denied.kind === 'event' && denied.fields['http.response.status_code']).toBeUndefined();
    expect(parseSquidAccessLine('not squid')).toMatchObject({ kind: 'unparsed' });
    const v6 = parseSquidAccessLine('1700000000.5 12 ::ffff:10.0.0.7 TCP_TUNNEL/200 5120 CONNECT [2001:db8::1]:8443 - HIER_DIRECT/2001:db8::1 -');
    expect(v6.kind === 'event' && v6.fields).toMatchObject({ 'source.ip': '::ffff:10.0.0.7', 'destination.domain': '2001:db8::1', 'destination.port': 8443, 'squid.peer': '2001:db8::1', 'event.duration': 12_000_000 });
    expect(v6.kind === 'event' && v6.timestamp).toBe(1700000000500);
  });

  it('property: never throws, and lines = parsed + continued + unparsed', () => {
    const line = fc.oneof(fc.string(), fc.constant('1666854189.800 68 1.2.3.4 TAG_NONE/503 0 CONNECT a:443 - HIER_NONE/- -'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const ingestor = new FileIngestor({ path: 'proxy/access.log', referenceTime: 0 }, () => undefined);
        ingestor.push(new TextEncoder().encode(lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n')));
        const report = ingestor.end();
        expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
      }),
      { numRuns: 200 },
    );
  });
});

describe.skipIf(!hasCorpus)(`squid access log of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('sniffs and reads the hotsos maas-proxy line (redacted client as source.address)', () => {
    const lines = corpusLines('maas/maas/hotsos-test.maas-proxy.access.log');
    expect(sniffFormat({ path: 'var/snap/maas/common/log/proxy/access.log', lines }).format?.id).toBe('squid-access');
    expect(parseSquidAccessLine(lines[0]!)).toEqual({
      kind: 'event',
      timestamp: Date.UTC(2022, 9, 27, 7, 3, 9, 800),
      dataset: 'maas.proxy',
      fields: {
        'event.category': ['web', 'network'],
        'source.address': 'xx.xx.xx.xx.',
        'squid.result_code': 'TAG_NONE',
        'http.response.status_code': 503,
        'http.response.body.bytes': 0,
        'http.request.method': 'CONNECT',
        'url.original': 'api.snapcraft.io:443',
        'destination.domain': 'api.snapcraft.io',
        'destination.port': 443,
        'event.duration': 68_000_000,
        'squid.hierarchy': 'HIER_NONE',
      },
    });
  });
});
