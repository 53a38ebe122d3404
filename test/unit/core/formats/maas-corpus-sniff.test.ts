import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';

/**
 * Every MAAS file of the corpus, under the paths it has in a sos report or snap, is sniffed as the
 * format that reads it and gives the expected datasets with no line left over. maas.log and the
 * 3.5+ journal are syslog-family files: the syslog format reads their envelope and the MAAS
 * message parsers (maas-log.ts, maas-journal.ts) give the dataset.
 */
const CASES: readonly [file: string, path: string, format: string, datasets: Record<string, number>][] = [
  ['docs-2020-03-31.regiond-http-login.log', 'var/snap/maas/common/log/regiond.log', 'maas-service', { 'maas.regiond': 3 }],
  ['docs-2020-03-31.regiond-http-login.log', 'var/log/maas/regiond.log.1', 'maas-service', { 'maas.regiond': 3 }],
  ['docs-2020-03-31.regiond-http-login.log', 'var/log/maas/regiond.log.2.gz', 'maas-service', { 'maas.regiond': 3 }],
  ['docs-2022-09-29.regiond.log', 'var/log/maas/regiond.log', 'maas-service', { 'maas.regiond': 13 }],
  ['issue-cloud-init-3949.rackd.log', 'var/log/maas/rackd.log', 'maas-service', { 'maas.rackd': 1 }],
  ['issue-cloud-init-3770.rackd.log', 'var/snap/maas/common/log/rackd.log', 'maas-service', { 'maas.rackd': 6 }],
  ['issue-cloud-init-3770.rackd.log', 'pasted.txt', 'maas-service', { 'maas.rackd': 6 }],
  ['docs-2022-09-29.maas.log', 'var/snap/maas/common/log/maas.log', 'syslog', { 'maas.log': 37 }],
  ['docs-2022-09-29.maas.log', 'var/log/maas/maas.log.1', 'syslog', { 'maas.log': 37 }],
  ['docs-events-query-level-AUDIT.cli-output.txt', 'maas-events-query-level-AUDIT.txt', 'maas-audit', { 'maas.audit': 14 }],
  ['maas-src-api-examples-events.json', 'src/maasserver/api/examples/events.json', 'maas-audit', { 'maas.event': 5 }],
  ['hotsos-test.maas-proxy.access.log', 'var/snap/maas/common/log/proxy/access.log', 'squid-access', { 'maas.proxy': 1 }],
  ['hotsos-test.maas-proxy.access.log', 'var/log/maas/proxy/access.log.1', 'squid-access', { 'maas.proxy': 1 }],
  ['issue-maas-ui-5782.syslog-deb-regiond.log', 'var/log/syslog', 'syslog', { 'maas.regiond': 4 }],
  ['issue-terraform-provider-juju-783.journal-snap-pebble-maas-regiond.log', 'sos_commands/logs/journalctl_--no-pager', 'syslog', { 'maas.regiond': 3 }],
];

describe.skipIf(!hasCorpus)(`MAAS corpus files are sniffed as their format (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it.each(CASES)('%s as %s -> %s', (file, path, format, datasets) => {
    const lines = corpusLines(`maas/maas/${file}`);
    const sniffed = sniffFormat({ path, lines: lines.filter((l) => l.trim() !== '').slice(0, 32) });
    expect(sniffed.format?.id).toBe(format);
    const ingestor = new FileIngestor({ path, referenceTime: Date.UTC(2026, 0, 1) }, () => undefined);
    ingestor.push(readFileSync(corpusPath(`maas/maas/${file}`)));
    const report = ingestor.end();
    expect(report).toMatchObject({ format, unparsed: 0, lines: lines.length, datasets, warnings: [] });
    expect(report.parsed + report.continued).toBe(report.lines);
  });
});
