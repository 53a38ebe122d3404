import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createUnxz, initModule } from 'node-liblzma/wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '../../../src/core/model/block';
import { LoupeDB, createCase, listEvidence, loadBlockIndex, loadBlocks, type EvidenceRecord } from '../../../src/store';
import { createWebDecompressors } from '../../../src/workers/decompressors';
import { IngestService } from '../../../src/workers/ingest-service';
import type { IngestSource } from '../../../src/workers/contract';
import { scratch, sh } from '../core/archive/helpers';
import { ZONE_SOS, writeZoneSos, zoneSosFiles } from '../../support/sos-fixture';
import { tarBytes } from '../../support/tar-writer';

const decompressors = createWebDecompressors({ xz: async () => { await initModule(); return createUnxz(); } });
const box = scratch('ingest-archives');
let db: LoupeDB | undefined;
let n = 0;

beforeAll(() => {
  writeZoneSos(box.path('tree'));
  sh(box.path('tree'), 'tar', '--sort=name', '-cJf', box.path('rack02.tar.xz'), ZONE_SOS.topDir);
  sh(box.path('tree'), 'tar', '-czf', box.path('rack02.tgz'), ZONE_SOS.topDir);
  sh(box.path('tree'), 'zip', '-q', '-r', box.path('rack02.zip'), ZONE_SOS.topDir);
});
afterAll(() => box.remove());
afterEach(async () => {
  if (db === undefined) return;
  db.close();
  await LoupeDB.delete(db.name);
  db = undefined;
});

function fileOf(path: string, name = path.split('/').pop()!): IngestSource {
  return { kind: 'file', file: new File([readFileSync(path)], name, { lastModified: Date.UTC(2026, 2, 12, 18) }), path: name };
}

function bytesOf(name: string, bytes: Uint8Array): IngestSource {
  return { kind: 'file', file: new File([new Uint8Array(bytes)], name, { lastModified: Date.UTC(2026, 2, 12, 18) }), path: name };
}

async function run(sources: IngestSource[]) {
  const opened = new LoupeDB(`ingest-archives-${n++}`);
  db = opened;
  const kase = await createCase(opened, 'c');
  const service = new IngestService(() => opened, () => performance.now(), { decompressors });
  const result = await service.ingest(kase.id, sources, () => undefined);
  return { db: opened, caseId: kase.id, service, result, evidence: await listEvidence(opened, kase.id) };
}

async function events(db: LoupeDB, caseId: string) {
  const index = await loadBlockIndex(db, caseId);
  const blocks = await loadBlocks(db, caseId, index.map((b) => b.blockId));
  return blocks.flatMap((b) => (b === undefined ? [] : Array.from({ length: b.count }, (_, i) => decodeEvent(b, i))));
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const byPath = (evidence: EvidenceRecord[], path: string) => evidence.find((e) => e.path === path);

describe('IngestService with archives', () => {
  for (const name of ['rack02.tar.xz', 'rack02.tgz', 'rack02.zip']) {
    it(`${name}: every member is evidence with its path inside the bundle and its own SHA-256; the bundle is recognized; Berlin stamps stored in UTC`, async () => {
      const { db, caseId, result, evidence } = await run([fileOf(box.path(name))]);
      const archive = byPath(evidence, name)!;
      expect(archive).toMatchObject({ format: 'archive', status: 'done', errors: [], sha256: sha(readFileSync(box.path(name))) });
      for (const f of zoneSosFiles()) {
        const record = byPath(evidence, f.path);
        expect(record, f.path).toBeDefined();
        expect(record).toMatchObject({ sha256: sha(f.data), bytes: f.data.length, host: ZONE_SOS.host, archive: [name], status: 'done' });
      }
      expect(evidence).toHaveLength(zoneSosFiles().length + 1);
      expect(byPath(evidence, `${ZONE_SOS.topDir}/var/log/syslog`)).toMatchObject({ format: 'syslog', lines: 3, parsed: 3, timeZone: ZONE_SOS.zone });
      expect(byPath(evidence, `${ZONE_SOS.topDir}/var/log/syslog.2.gz`)).toMatchObject({ format: 'syslog', lines: 1, parsed: 1 });
      expect(byPath(evidence, `${ZONE_SOS.topDir}/etc/hostname`)?.format).toBe('metadata');
      expect(result.bundles).toEqual([expect.objectContaining({
        root: ZONE_SOS.topDir, kind: 'sos', host: ZONE_SOS.host, sosVersion: ZONE_SOS.sosVersion, timeZone: ZONE_SOS.zone,
        collectedAt: Date.UTC(2026, 2, 12, 18, 5, 11), maasInstall: 'unknown',
      })]);
      const all = await events(db, caseId);
      const failed = all.find((e) => e.fields['source.ip'] === ZONE_SOS.failedLogin.ip);
      expect(new Date(failed!.timestamp).toISOString()).toBe(ZONE_SOS.failedLogin.utcIso);
      expect(failed!.fields['loupe.time.inferred']).toEqual(['year', 'zone']);
      expect(all.find((e) => e.fields['url.original'] === ZONE_SOS.apache.url)?.timestamp).toBe(Date.parse(ZONE_SOS.apache.utcIso));
      expect(all.some((e) => new Date(e.timestamp).toISOString() === ZONE_SOS.oldest.utcIso)).toBe(true);
    });
  }

  it('a folder drop and its tarball give the same evidence hashes and event times', async () => {
    const folder = zoneSosFiles().map((f) => bytesOf(f.path.split('/').pop()!, f.data)).map((s, i) => ({ ...s, path: zoneSosFiles()[i]!.path }));
    const a = await run(folder);
    const folderTimes = (await events(a.db, a.caseId)).map((e) => e.timestamp).sort();
    const folderHashes = a.evidence.map((e) => [e.path, e.sha256]).sort();
    a.db.close();
    db = undefined;
    const b = await run([fileOf(box.path('rack02.tar.xz'))]);
    expect((await events(b.db, b.caseId)).map((e) => e.timestamp).sort()).toEqual(folderTimes);
    expect(b.evidence.filter((e) => e.format !== 'archive').map((e) => [e.path, e.sha256]).sort()).toEqual(folderHashes);
  });

  it('a zone file after the logs (an unsorted tar) re-times what was read before it', async () => {
    const files = zoneSosFiles();
    const late = [...files.filter((f) => !f.path.endsWith('etc/timezone')), files.find((f) => f.path.endsWith('etc/timezone'))!];
    const { db, caseId, evidence } = await run([bytesOf('late.tar', tarBytes(late.map((f) => ({ path: f.path, data: f.data }))))]);
    expect(byPath(evidence, `${ZONE_SOS.topDir}/var/log/syslog`)?.timeZone).toBe(ZONE_SOS.zone);
    const failed = (await events(db, caseId)).find((e) => e.fields['source.ip'] === ZONE_SOS.failedLogin.ip);
    expect(new Date(failed!.timestamp).toISOString()).toBe(ZONE_SOS.failedLogin.utcIso);
  });

  it('hostile members each get a clear message on their own record; the rest is ingested', async () => {
    const t = ZONE_SOS.topDir;
    const goodSyslog = zoneSosFiles().find((f) => f.path.endsWith('var/log/syslog'))!;
    const corruptGz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...new Array<number>(200).fill(0x5a)]);
    const invalidUtf8 = new Uint8Array([...new TextEncoder().encode('Mar 12 11:05:00 rack02 kernel: bad byte '), 0xff, 0xfe, 0x0a]);
    const tar = tarBytes([
      { path: '../../etc/passwd', data: 'root:x:0:0:root:/root:/bin/bash\n' },
      { path: `${t}/var/log/kern.log.2.gz`, data: corruptGz },
      { path: `${t}/var/log/link`, type: '2', linkpath: '/etc/shadow' },
      { path: `${t}/var/log/syslog`, data: goodSyslog.data },
      { path: `${t}/var/log/kern.log`, data: invalidUtf8 },
      { path: `${t}/var/log/long.log`, data: `Mar 12 11:06:00 rack02 app: ${'x'.repeat(10 * 2 ** 20)}\n` },
    ]);
    const { db, caseId, evidence } = await run([bytesOf('hostile.tar', tar)]);
    expect(byPath(evidence, '../../etc/passwd')).toMatchObject({ status: 'failed', errors: [expect.stringMatching(/^unsafe path \(.*\): not read$/)], archive: ['hostile.tar'] });
    expect(byPath(evidence, `${t}/var/log/kern.log.2.gz`)).toMatchObject({ status: 'failed', errors: [expect.stringMatching(/^gzip data is damaged or truncated/)] });
    expect(byPath(evidence, `${t}/var/log/link`)).toMatchObject({ status: 'failed', errors: ['symlink not followed (-> /etc/shadow)'] });
    expect(byPath(evidence, `${t}/var/log/syslog`)).toMatchObject({ status: 'done', parsed: 3, sha256: sha(goodSyslog.data) });
    expect(byPath(evidence, `${t}/var/log/kern.log`)?.errors).toEqual([expect.stringMatching(/^1 line\(s\) are not valid UTF-8 \(first at line 1\)/)]);
    expect(byPath(evidence, `${t}/var/log/long.log`)?.errors).toEqual([expect.stringMatching(/^1 line\(s\) longer than \d+ bytes were cut \(first at line 1\)$/)]);
    expect(byPath(evidence, 'hostile.tar')).toMatchObject({ format: 'archive', status: 'done' });
    expect((await events(db, caseId)).filter((e) => e.fields['source.ip'] === ZONE_SOS.failedLogin.ip)).toHaveLength(2);
  });

  it('a truncated .tar.xz keeps the members read before the cut and says so on the archive', async () => {
    const whole = readFileSync(box.path('rack02.tar.xz'));
    const { evidence } = await run([bytesOf('cut.tar.xz', whole.subarray(0, whole.length - 40))]);
    const archive = byPath(evidence, 'cut.tar.xz')!;
    expect(archive.status).toBe('failed');
    expect(archive.errors.join(' ')).toMatch(/xz data is (damaged or )?truncated/);
    expect(evidence.filter((e) => e.status === 'done' && e.format !== 'archive').length).toBeGreaterThan(0);
  });

  it('nested archives are opened to the depth limit and no further', async () => {
    const inner = tarBytes([{ path: 'inner/var/log/syslog', data: zoneSosFiles().find((f) => f.path.endsWith('var/log/syslog'))!.data }]);
    const middle = tarBytes([{ path: 'inner.tar', data: inner }]);
    const outer = tarBytes([{ path: 'middle.tar', data: middle }]);
    const opened = await run([bytesOf('outer.tar', outer)]);
    expect(byPath(opened.evidence, 'middle.tar/inner.tar/inner/var/log/syslog')).toMatchObject({ status: 'done', parsed: 3, archive: ['outer.tar', 'middle.tar', 'middle.tar/inner.tar'] });
    opened.db.close();
    db = undefined;
    const limited = new LoupeDB(`ingest-archives-${n++}`);
    db = limited;
    const kase = await createCase(limited, 'c');
    await new IngestService(() => limited, () => performance.now(), { decompressors, walkLimits: { maxDepth: 2 } }).ingest(kase.id, [bytesOf('outer.tar', outer)], () => undefined);
    expect(byPath(await listEvidence(limited, kase.id), 'middle.tar/inner.tar')).toMatchObject({ status: 'failed', errors: ['nested too deep (more than 2 archives): not opened'] });
  });

  it("overriding a host's zone re-times its zone-inferred events only, and removing it restores them", async () => {
    const { db, caseId, service } = await run([fileOf(box.path('rack02.tar.xz'))]);
    const before = await events(db, caseId);
    const result = await service.setHostZone(caseId, ZONE_SOS.host, 'America/New_York');
    expect(result).toEqual({ host: ZONE_SOS.host, zone: 'America/New_York', files: 4, events: 5 });
    const after = await events(db, caseId);
    const failed = after.find((e) => e.fields['source.ip'] === ZONE_SOS.failedLogin.ip)!;
    // 11:00 New York (EDT from 8 March) = 15:00 UTC.
    expect(new Date(failed.timestamp).toISOString()).toBe('2026-03-12T15:00:00.000Z');
    expect(after.find((e) => e.fields['url.original'] === ZONE_SOS.apache.url)?.timestamp).toBe(Date.parse(ZONE_SOS.apache.utcIso));
    expect((await db.cases.get(caseId))?.zoneOverrides).toEqual({ [ZONE_SOS.host]: 'America/New_York' });
    const index = await loadBlockIndex(db, caseId);
    expect(Math.max(...index.map((b) => b.tsMax))).toBe(Date.parse('2026-03-12T15:00:03.000Z'));
    await service.setHostZone(caseId, ZONE_SOS.host, undefined);
    expect((await events(db, caseId)).map((e) => e.timestamp)).toEqual(before.map((e) => e.timestamp));
    await expect(service.setHostZone(caseId, ZONE_SOS.host, 'Mars/Olympus')).rejects.toThrow(/unknown time zone/);
  });
});
