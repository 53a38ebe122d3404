import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAAS_JOURNAL_SAMPLES, maasJournalMessages, parseMaasJournalMessage } from '../../../../src/core/formats/maas-journal';
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
    expect(parseMaasJournalMessage('regiond', '        Traceback (most recent call last):')).toEqual({ dataset: 'maas.regiond', fields: { 'loupe.continuation': true } });
    expect(parseMaasJournalMessage('maas-rackd', '\t  File "x", line 1')).toEqual({ dataset: 'maas.rackd', fields: { 'loupe.continuation': true } });
    // Seven spaces are not the journal's rendering of a TAB.
    expect(parseMaasJournalMessage('regiond', '       x')).toEqual({ dataset: 'maas.regiond', fields: {} });
  });

  it('gives chronyd the neutral dataset chrony, and ignores tags that are Object.prototype names', () => {
    expect(parseMaasJournalMessage('chronyd', 'Selected source 10.0.0.1 (ntp.ubuntu.com)')).toEqual({ dataset: 'chrony', fields: {} });
    for (const tag of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(maasJournalMessages.accepts(tag), tag).toBe(false);
      expect(parseMaasJournalMessage(tag, 'x: [info] y'), tag).toBeUndefined();
    }
    const r = parseSyslogLine('Jul 07 17:03:16 h constructor[1]: x: [info] y', REF);
    expect(r).toMatchObject({ kind: 'event', dataset: 'syslog' });
  });

  it('samples: each whole journal line gives its dataset and fields', () => {
    for (const sample of MAAS_JOURNAL_SAMPLES) {
      const r = parseSyslogLine(sample.line, REF);
      expect(r.kind, sample.line).toBe('event');
      if (r.kind !== 'event') continue;
      expect(r.dataset, sample.line).toBe(sample.dataset);
      expect(r.fields, sample.line).toMatchObject(sample.fields);
    }
  });

  it('property: never throws on random or mutated messages, whatever the tag', () => {
    const tag = fc.constantFrom('maas-regiond', 'regiond', 'maas-rackd', 'rackd', 'maas-apiserver', 'maas-log', 'maas-proxy', 'maas-http', 'maas-temporal', 'maas-agent', 'chronyd', 'sshd', 'constructor');
    const base = fc.constantFrom(
      "maasserver.rpc.regionservice: [info] Rack controller authenticated from '::ffff:10.192.0.12:56812'.",
      'regiond: [info] 10.0.0.9 POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (referrer: -; agent: curl/8)',
      'maas.node: [info] h1: Status transition from READY to ALLOCATED',
      '1666854189.800 68 10.1.1.1 TAG_NONE/503 0 CONNECT api.snapcraft.io:443 - HIER_NONE/- -',
      '10.0.0.1 - - [17/May/2025:10:05:03 +0000] "GET /MAAS/ HTTP/1.1" 200 10 "-" "curl/8"',
      '        Traceback (most recent call last):',
    );
    const message = fc.oneof(fc.string(), fc.tuple(base, fc.nat(), fc.nat(), fc.string({ maxLength: 4 })).map(([b, at, cut, ins]) => b.slice(0, at % (b.length + 1)) + ins + b.slice((at % (b.length + 1)) + (cut % 5))));
    fc.assert(
      fc.property(tag, message, (program, text) => {
        const r = parseMaasJournalMessage(program, text);
        if (r !== undefined) expect(typeof r.dataset).toBe('string');
        expect(parseSyslogLine(`Jul 07 17:03:16 h ${program}[1]: ${text}`, REF).kind).toMatch(/^(event|unparsed)$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!hasCorpus)(`MAAS journal samples of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('reads the deb (identifier regiond) syslog excerpt of maas-ui#5782', () => {
    const { events, report } = ingest('maas/maas/issue-maas-ui-5782.syslog-deb-regiond.log', 'var/log/syslog');
    expect(report).toMatchObject({ format: 'syslog', lines: 4, parsed: 4, unparsed: 0, datasets: { 'maas.regiond': 4 } });
    expect(events[0]!.fields).toMatchObject({ 'host.name': 'maas', 'process.pid': 2322597, 'log.logger': 'maasserver.websockets.protocol', 'log.level': 'critical' });
    expect(events.slice(1).map((e) => e.fields['loupe.continuation'])).toEqual([true, true, true]);
    expect(events.slice(1).map((e) => [e.fields['event.dataset'], e.fields['process.pid'], e.fields['log.logger']])).toEqual([
      ['maas.regiond', 2322597, undefined],
      ['maas.regiond', 2322597, undefined],
      ['maas.regiond', 2322597, undefined],
    ]);
    expect(events[0]!.fields).toMatchObject({ message: 'Error on request (20) machine.action: ExitError: exit status 1', 'process.name': 'regiond' });
    expect(events[3]!.fields['message']).toBe('            self._target(*self._args, **self._kwargs)');
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
