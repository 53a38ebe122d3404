import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBundleFactFile, orderRotated, parseSosDate, parseSosVersion, parseTimeZone, recognizeBundles, rotationKey } from '../../../../src/core/bundle/recognize';
import { splitBundlePath, parseSosName } from '../../../../src/core/bundle/layout';
import { buildDemoFiles } from '../../../../src/node/demo/demo-files';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../../corpus';

describe('sos facts', () => {
  it('reads both date layouts and timedatectl, trusting only UTC', () => {
    expect(parseSosDate('Thu 12 Mar 2026 18:05:11 UTC\n')).toBe(Date.UTC(2026, 2, 12, 18, 5, 11));
    expect(parseSosDate('Thu 10 Feb 16:19:17 UTC 2022')).toBe(Date.UTC(2022, 1, 10, 16, 19, 17));
    expect(parseSosDate('               Local time: Thu 2022-02-10 09:52:10 UTC\n           Universal time: Thu 2022-02-10 09:52:10 UTC')).toBe(Date.UTC(2022, 1, 10, 9, 52, 10));
    expect(parseSosDate('Thu 10 Feb 16:19:17 CET 2022')).toBeUndefined();
    expect(parseSosDate('garbage')).toBeUndefined();
  });

  it('reads sos versions, zones and host names from sos directory names', () => {
    expect(parseSosVersion('sosreport: 4.2\n')).toBe('4.2');
    expect(parseSosVersion('sos report: 4.9.0\n')).toBe('4.9.0');
    expect(parseTimeZone('Europe/Zurich\n')).toBe('Europe/Zurich');
    expect(parseTimeZone('  Time zone: Etc/UTC (UTC, +0000)')).toBe('Etc/UTC');
    expect(parseSosName('sosreport-maas-region-01-2026-03-12-qwhzbla')).toEqual({ host: 'maas-region-01', date: '2026-03-12' });
    expect(parseSosName('sosreport-tux-20171224185910.tar.xz')).toEqual({ host: 'tux', date: '20171224' });
    expect(parseSosName('notes')).toBeUndefined();
  });

  it('orders rotated logs oldest first, one stream per log', () => {
    expect(rotationKey('var/log/kern.log.2.gz')).toEqual({ base: 'var/log/kern.log', generation: 2 });
    const paths = ['a/kern.log', 'a/syslog', 'a/kern.log.1', 'a/kern.log.10.gz', 'a/kern.log.2.gz', 'a/syslog.1'];
    expect(orderRotated(paths, (p) => p)).toEqual(['a/kern.log.10.gz', 'a/kern.log.2.gz', 'a/kern.log.1', 'a/kern.log', 'a/syslog.1', 'a/syslog']);
  });
});

describe('recognizeBundles', () => {
  it('tells what the demo bundle is and which families it lacks', () => {
    const files = buildDemoFiles();
    const paths = files.map((f) => f.relativePath);
    const texts = new Map(files.filter((f) => isBundleFactFile(splitBundlePath(f.relativePath).inner)).map((f) => [f.relativePath, f.content]));
    const [facts] = recognizeBundles(paths, texts);
    expect(facts).toMatchObject({ kind: 'sos', sosVersion: '4.9.0', host: 'maas-region-01', maasInstall: 'snap', timeZone: 'Etc/UTC', collectedAt: Date.UTC(2026, 2, 12, 18, 5, 11) });
    expect(facts!.families.web).toEqual(expect.arrayContaining(['var/log/apache2/access.log']));
    expect(facts!.families.maas).toEqual(expect.arrayContaining(['var/snap/maas/common/log/regiond.log']));
    // The demo carries the MAAS audit events as `maas events query level=AUDIT` printed them: no family is missing.
    expect(facts!.families.audit?.some((p) => p.endsWith('maas_events_query_level_AUDIT.json'))).toBe(true);
    expect(facts!.missing).toEqual([]);
  });

  it('reports loose files by name and their gaps', () => {
    const [facts] = recognizeBundles(['access.log', 'regiond.log'], new Map());
    expect(facts).toMatchObject({ root: '', kind: 'loose', maasInstall: 'unknown' });
    expect(facts!.missing.map((m) => m.family).sort()).toEqual(['audit', 'firewall', 'system']);
  });

  it.skipIf(!hasCorpus)(`recognizes the real sos 4.2 tree of hotsos (${hasCorpus ? 'corpus present' : CORPUS_MISSING})`, () => {
    const dir = corpusPath('hotsos-vault');
    const paths: string[] = [];
    const texts = new Map<string, string>();
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const full = join(d, name);
        if (statSync(full).isDirectory()) walk(full);
        else {
          const path = `sosreport-juju-vault-2022-02-10-abcdefg/${relative(dir, full)}`;
          paths.push(path);
          if (isBundleFactFile(splitBundlePath(path).inner)) texts.set(path, readFileSync(full, 'utf8'));
        }
      }
    };
    walk(dir);
    const [facts] = recognizeBundles(paths, texts);
    expect(facts).toMatchObject({ kind: 'sos', sosVersion: '4.2', maasInstall: 'unknown', timeZone: 'Etc/UTC' });
    expect(facts!.host).toBe(readFileSync(join(dir, 'sos_commands/host/hostname'), 'utf8').trim());
    expect(facts!.missing.map((m) => m.family)).toContain('maas');
    expect(facts!.missing.map((m) => m.family)).toContain('web');
  });
});

describe('splitBundlePath', () => {
  it('finds a sos report at any depth of a dropped folder', () => {
    expect(splitBundlePath('cases/sosreport-h-2026-03-12-abcdefg/var/log/syslog')).toEqual({ root: 'cases/sosreport-h-2026-03-12-abcdefg', inner: 'var/log/syslog' });
    expect(splitBundlePath('sosreport-h-2026-03-12-abcdefg/etc/hostname')).toEqual({ root: 'sosreport-h-2026-03-12-abcdefg', inner: 'etc/hostname' });
    expect(splitBundlePath('logs/kern.log')).toEqual({ root: 'logs', inner: 'kern.log' });
    expect(splitBundlePath('var/log/kern.log')).toEqual({ root: '', inner: 'var/log/kern.log' });
    expect(splitBundlePath('kern.log')).toEqual({ root: '', inner: 'kern.log' });
    const [facts] = recognizeBundles(['cases/sosreport-maas-r1-2026-03-12-abcdefg/version.txt'], new Map([['cases/sosreport-maas-r1-2026-03-12-abcdefg/version.txt', 'sos report: 4.9.0']]));
    expect(facts).toMatchObject({ kind: 'sos', host: 'maas-r1', sosVersion: '4.9.0' });
  });
});
