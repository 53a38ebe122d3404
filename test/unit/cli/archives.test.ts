import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, sh } from '../core/archive/helpers';
import { ZONE_SOS, writeZoneSos, zoneSosFiles } from '../../support/sos-fixture';
import { tarBytes } from '../../support/tar-writer';
import { parseDocument, run } from './helpers';

const box = scratch('cli-archives');
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

beforeAll(() => {
  writeZoneSos(box.path('tree'));
  sh(box.path('tree'), 'tar', '--sort=name', '-cJf', box.path('rack02.tar.xz'), ZONE_SOS.topDir);
  sh(box.path('tree'), 'zip', '-q', '-r', box.path('rack02.zip'), ZONE_SOS.topDir);
});
afterAll(() => box.remove());

function ndjsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('loupe analyze on archives', () => {
  for (const name of ['rack02.tar.xz', 'rack02.zip']) {
    it(`${name}: members listed with their paths inside the bundle, hashes, host and formats; Berlin stamps in UTC`, async () => {
      const out = box.path(`${name}.ndjson`);
      const r = await run('analyze', box.path(name), '--json', '--ndjson', out);
      expect(r.code).toBe(0);
      const doc = parseDocument(r.stdout);
      expect(doc.evidence[0]).toMatchObject({ path: name, format: 'archive', sha256: sha(readFileSync(box.path(name))), errors: [] });
      for (const f of zoneSosFiles()) {
        expect(doc.evidence.find((e) => e.path === f.path), f.path).toMatchObject({ sha256: sha(f.data), bytes: f.data.length, host: ZONE_SOS.host });
      }
      expect(doc.evidence.find((e) => e.path.endsWith('var/log/syslog.2.gz'))).toMatchObject({ format: 'syslog', lines: 1, parsed: 1 });
      expect(doc.hosts).toEqual([ZONE_SOS.host]);
      expect(doc.events).toBe(6);
      const failed = ndjsonLines(out).find((e) => e['source.ip'] === ZONE_SOS.failedLogin.ip && e['log.file.line'] === ZONE_SOS.failedLogin.line);
      expect(failed).toMatchObject({ '@timestamp': ZONE_SOS.failedLogin.utcIso, 'log.file.path': `${ZONE_SOS.topDir}/${ZONE_SOS.failedLogin.file}` });
    });
  }

  it('--tz overrides the zone the bundle names', async () => {
    const out = box.path('tz.ndjson');
    const r = await run('analyze', box.path('rack02.tar.xz'), '--tz', 'UTC', '--ndjson', out);
    expect(r.code).toBe(0);
    const failed = ndjsonLines(out).find((e) => e['source.ip'] === ZONE_SOS.failedLogin.ip && e['log.file.line'] === ZONE_SOS.failedLogin.line);
    expect(failed?.['@timestamp']).toBe('2026-03-12T11:00:00.000Z');
  });

  it('hostile members get their own errors and the rest is read', async () => {
    const t = ZONE_SOS.topDir;
    const syslog = zoneSosFiles().find((f) => f.path.endsWith('var/log/syslog'))!;
    const tar = tarBytes([
      { path: '../../etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
      { path: `${t}/var/log/link`, type: '2', linkpath: '/etc/shadow' },
      { path: `${t}/var/log/kern.log.2.gz`, data: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...new Array<number>(64).fill(0x5a)]) },
      { path: `${t}/var/log/syslog`, data: syslog.data },
    ]);
    const path = box.path('hostile.tar');
    (await import('node:fs')).writeFileSync(path, tar);
    const r = await run('analyze', path, '--json');
    expect(r.code).toBe(0);
    const doc = parseDocument(r.stdout);
    const by = new Map(doc.evidence.map((e) => [e.path, e]));
    expect(by.get('../../etc/passwd')?.errors).toEqual([expect.stringMatching(/^unsafe path \(.*\): not read$/)]);
    expect(by.get(`${t}/var/log/link`)?.errors).toEqual(['symlink not followed (-> /etc/shadow)']);
    expect(by.get(`${t}/var/log/kern.log.2.gz`)?.errors).toEqual([expect.stringMatching(/^ingest failed: gzip data is damaged or truncated/)]);
    expect(by.get(`${t}/var/log/syslog`)).toMatchObject({ format: 'syslog', lines: 3, parsed: 3, errors: [], sha256: sha(syslog.data) });
    expect(by.get('hostile.tar')).toMatchObject({ format: 'archive', errors: [] });
  });
});
