import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAAS_LOG_SAMPLES, maasLogMessages } from '../../../../src/core/formats/maas-log';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { parseSyslogEnvelope } from '../../../../src/core/formats/syslog-envelope';
import { parseSyslogLine } from '../../../../src/core/formats/syslog';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';

const REF = Date.UTC(2026, 0, 1);

function parseMessage(line: string) {
  const envelope = parseSyslogEnvelope(line, REF);
  return envelope === undefined ? undefined : maasLogMessages.parse(envelope);
}

describe('maas.log lines', () => {
  it('reads a status transition: node, from, to, with the offset applied', () => {
    const line = '2022-09-29T15:00:16.553396-05:00 neuromancer maas.node: [info] fun-zebra: Status transition from NEW to COMMISSIONING';
    expect(parseMessage(line)).toEqual({
      dataset: 'maas.log',
      fields: {
        'log.logger': 'maas.node',
        'log.level': 'info',
        'maas.node.hostname': 'fun-zebra',
        'maas.node.status_from': 'NEW',
        'maas.node.status_to': 'COMMISSIONING',
        'event.action': 'node-status-changed',
        message: 'fun-zebra: Status transition from NEW to COMMISSIONING',
      },
    });
    const r = parseSyslogLine(line, REF);
    expect(r.kind === 'event' && Math.floor(r.timestamp)).toBe(Date.UTC(2022, 8, 29, 20, 0, 16, 553));
    expect(r).toMatchObject({ kind: 'event', dataset: 'maas.log', fields: { 'host.name': 'neuromancer', 'maas.node.status_to': 'COMMISSIONING' } });
    expect(r.kind === 'event' && r.inferred).toEqual([]);
  });

  it('reads allocations, power changes, interfaces; keeps uppercase levels as written', () => {
    expect(parseMessage('2022-09-29T16:14:21.793566-05:00 neuromancer maas.node: [info] fun-zebra: allocated to user case')?.fields).toMatchObject({ 'maas.node.hostname': 'fun-zebra', 'user.name': 'case', 'event.action': 'node-allocated' });
    expect(parseMessage('2022-09-29T15:00:16.754265-05:00 neuromancer maas.power: [info] Changing power state (on) of node: fun-zebra (bk7mg8)')?.fields).toMatchObject({ 'maas.power.state': 'on', 'maas.node.hostname': 'fun-zebra', 'maas.node.system_id': 'bk7mg8', 'event.action': 'power-state-changing' });
    expect(parseMessage('2022-09-29T15:00:16.461402-05:00 neuromancer maas.interface: [info] eth0 (physical) on fun-zebra: IP address automatically unlinked: None:type=AUTO')?.fields).toMatchObject({ 'maas.interface.name': 'eth0', 'maas.interface.type': 'physical', 'maas.node.hostname': 'fun-zebra' });
    expect(parseMessage('2016-01-01T00:00:00+00:00 h maas.power: [ERROR] Error changing power state')?.fields).toMatchObject({ 'log.level': 'ERROR', message: 'Error changing power state' });
    expect(parseMessage('2016-01-01T00:00:00+00:00 h maas.power: no level here')).toBeUndefined();
    expect(maasLogMessages.accepts('maasserver')).toBe(false);
  });

  it('samples: each whole line gives its dataset, time and fields', () => {
    for (const sample of MAAS_LOG_SAMPLES) {
      const r = parseSyslogLine(sample.line, REF);
      expect(r.kind, sample.line).toBe('event');
      if (r.kind !== 'event') continue;
      expect(r.dataset).toBe(sample.dataset);
      expect(new Date(r.timestamp).toISOString()).toBe(sample.timestamp);
      expect(r.fields).toMatchObject(sample.fields);
    }
  });

  it('property: never throws on random or mutated maas.log lines', () => {
    const base = fc.constantFrom(...MAAS_LOG_SAMPLES.map((s) => s.line), '2022-09-29T15:00:16.461402-05:00 neuromancer maas.interface: [info] eth0 (physical) on fun-zebra: IP address automatically unlinked');
    const line = fc.oneof(
      fc.string(),
      fc.string().map((m) => `2022-09-29T15:00:16.461402-05:00 h maas.node: ${m}`),
      fc.tuple(base, fc.nat(), fc.nat(), fc.string({ maxLength: 4 })).map(([b, at, cut, ins]) => b.slice(0, at % (b.length + 1)) + ins + b.slice((at % (b.length + 1)) + (cut % 5))),
    );
    fc.assert(
      fc.property(line, (l) => {
        const r = parseSyslogLine(l, REF);
        if (r.kind === 'event' && r.dataset === 'maas.log') expect(typeof r.fields['log.level']).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!hasCorpus)(`maas.log of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('parses every line of the docs maas.log as maas.log events', () => {
    const events: PendingEvent[] = [];
    const ingestor = new FileIngestor({ path: 'var/snap/maas/common/log/maas.log', referenceTime: REF }, (e) => events.push(e));
    ingestor.push(readFileSync(corpusPath('maas/maas/docs-2022-09-29.maas.log')));
    const report = ingestor.end();
    expect(report).toMatchObject({ format: 'syslog', unparsed: 0, continued: 0 });
    expect(report.datasets).toEqual({ 'maas.log': report.lines });
    const transitions = events.filter((e) => e.fields['event.action'] === 'node-status-changed').map((e) => `${e.fields['maas.node.status_from']}>${e.fields['maas.node.status_to']}`);
    expect(transitions.slice(0, 4)).toEqual(['NEW>COMMISSIONING', 'COMMISSIONING>TESTING', 'TESTING>READY', 'READY>ALLOCATED']);
    expect(events.find((e) => e.fields['event.action'] === 'node-allocated')?.fields['user.name']).toBe('case');
    expect(new Set(events.map((e) => e.fields['maas.node.hostname']))).toEqual(new Set(['fun-zebra']));
    expect(report.lines).toBe(37);
    expect(transitions).toHaveLength(14);
    expect(events.filter((e) => e.fields['log.logger'] === 'maas.power').map((e) => e.fields['event.action'])).toHaveLength(14);
    expect(events.every((e) => e.fields['host.name'] === 'neuromancer' && e.fields['loupe.time.inferred'] === undefined)).toBe(true);
    expect(Math.floor(events[0]!.timestamp)).toBe(Date.parse('2022-09-29T20:00:16.461Z'));
    // syslog's format reads maas.log (the maas-log message parser gives its fields): it wins the sniff on MAAS's path.
    expect(sniffFormat({ path: 'var/log/maas/maas.log', lines: corpusLines('maas/maas/docs-2022-09-29.maas.log').slice(0, 32) }).format?.id).toBe('syslog');
  });
});
