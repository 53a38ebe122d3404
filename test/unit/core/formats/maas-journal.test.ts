import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMaasJournalMessage } from '../../../../src/core/formats/maas-journal';
import { parseSyslogLine } from '../../../../src/core/formats/syslog';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../../corpus';

const REF = Date.UTC(2025, 11, 31);

function ingest(file: string, path: string) {
  const events: PendingEvent[] = [];
  const ingestor = new FileIngestor({ path, referenceTime: REF }, (e) => events.push(e));
  ingestor.push(readFileSync(corpusPath(file)));
  return { events, report: ingestor.end() };
}

describe('MAAS 3.5+ journal messages', () => {
  it('reads `name: [level] message` per identifier', () => {
    expect(parseMaasJournalMessage('maas-rackd', 'provisioningserver.rpc.clusterservice: [info] Rack up.')).toEqual({
      dataset: 'maas.rackd',
      fields: { 'log.logger': 'provisioningserver.rpc.clusterservice', 'log.level': 'info', message: 'Rack up.' },
    });
    expect(parseMaasJournalMessage('maas-apiserver', 'x: [warn] y')?.dataset).toBe('maas.apiserver');
    expect(parseMaasJournalMessage('maas-agent', 'plain text')).toEqual({ dataset: 'maas.agent', fields: {} });
    expect(parseMaasJournalMessage('sshd', 'x: [info] y')).toBeUndefined();
  });

  it('reads regiond HTTP lines, refused logins included', () => {
    expect(parseMaasJournalMessage('regiond', 'regiond: [info] 10.0.0.9 POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (referrer: -; agent: curl/8)')?.fields).toMatchObject({
      'source.ip': '10.0.0.9',
      'http.response.status_code': 400,
      'event.category': ['authentication', 'web'],
      'event.outcome': 'failure',
      'event.action': 'maas-ui-login',
      'log.logger': 'regiond',
    });
  });

  it('reads maas-log as maas.log, maas-proxy as squid, maas-http as nginx; marks traceback entries', () => {
    expect(parseMaasJournalMessage('maas-log', 'maas.node: [info] h1: Status transition from READY to ALLOCATED')).toMatchObject({ dataset: 'maas.log', fields: { 'log.logger': 'maas.node', 'maas.node.status_to': 'ALLOCATED' } });
    expect(parseMaasJournalMessage('maas-proxy', '1666854189.800 68 10.1.1.1 TAG_NONE/503 0 CONNECT api.snapcraft.io:443 - HIER_NONE/- -')?.fields).toMatchObject({ 'squid.result_code': 'TAG_NONE', 'destination.port': 443 });
    expect(parseMaasJournalMessage('maas-http', '10.0.0.1 - - [17/May/2025:10:05:03 +0000] "GET /MAAS/ HTTP/1.1" 200 10 "-" "curl/8"')).toMatchObject({ dataset: 'maas.http', fields: { 'http.response.status_code': 200, 'url.path': '/MAAS/' } });
    expect(parseMaasJournalMessage('regiond', '        Traceback (most recent call last):')).toEqual({ dataset: 'maas.regiond', fields: { 'maas.continued': true } });
  });
});

describe.skipIf(!hasCorpus)(`MAAS journal samples of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('reads the deb (identifier regiond) syslog excerpt of maas-ui#5782', () => {
    const { events, report } = ingest('maas/maas/issue-maas-ui-5782.syslog-deb-regiond.log', 'var/log/syslog');
    expect(report).toMatchObject({ format: 'syslog', lines: 4, parsed: 4, unparsed: 0, datasets: { 'maas.regiond': 4 } });
    expect(events[0]!.fields).toMatchObject({ 'host.name': 'maas', 'process.pid': 2322597, 'log.logger': 'maasserver.websockets.protocol', 'log.level': 'critical' });
    expect(events.slice(1).map((e) => e.fields['maas.continued'])).toEqual([true, true, true]);
  });

  it('reads the snap pebble journal excerpt of terraform-provider-juju#783', () => {
    const { events, report } = ingest('maas/maas/issue-terraform-provider-juju-783.journal-snap-pebble-maas-regiond.log', 'sos_commands/maas/journalctl_--no-pager_--unit_snap.maas.pebble');
    expect(report).toMatchObject({ format: 'syslog', lines: 3, parsed: 3, unparsed: 0, datasets: { 'maas.regiond': 3 } });
    expect(events.map((e) => [e.fields['log.logger'], e.fields['log.level'], e.fields['process.pid']])).toEqual([
      ['maasserver.rpc.regionservice', 'info', 5660],
      ['maasserver.rpc.regionservice', 'info', 5660],
      ['twisted.internet.protocol.Factory', 'info', 5658],
    ]);
    expect(events[0]!.timestamp).toBe(Date.UTC(2025, 6, 7, 17, 3, 16));
    expect(events[0]!.fields['loupe.time.inferred']).toEqual(['year', 'zone']);
  });
});

it('syslog keeps the envelope fields around the MAAS message', () => {
  const r = parseSyslogLine("Jul 07 17:03:16 h maas-regiond[5660]: maasserver.rpc.regionservice: [info] Rack controller authenticated from '::ffff:10.192.0.12:56812'.", REF);
  expect(r).toMatchObject({ kind: 'event', dataset: 'maas.regiond', fields: { 'host.name': 'h', 'process.name': 'maas-regiond', 'log.level': 'info' } });
});
