import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkArchive, type WalkOptions } from '../../../../src/core/archive';
import { bytesSource, createNodeDecompressors, nodeFileSource } from '../../../../src/node/archive/decompressors';
import { createWebDecompressors } from '../../../../src/workers/decompressors';
import { lcgText, sameBytes, scratch, sh, walkAll, write, type Walked } from './helpers';

const node = createNodeDecompressors();
const box = scratch('walk');
const SOS = 'sosreport-host-2026-11-25-abcdefg';
const originals = new Map<string, Uint8Array>();

async function walkFile(name: string, options: WalkOptions = {}, decompressors = node): Promise<Walked[]> {
  return walkAll(walkArchive(await nodeFileSource(box.path(name)), name, decompressors, options));
}

const files = (w: Walked[]): string[] => w.filter((e) => e.kind === 'file').map((e) => e.path);
const problems = (w: Walked[]): [string, string][] => w.flatMap((e) => (e.kind === 'problem' ? [[e.path, e.problem] as [string, string]] : []));

beforeAll(() => {
  const tree = box.path('tree');
  const add = (rel: string, data: Uint8Array): void => {
    write(`${tree}/${rel}`, data);
    originals.set(rel, data);
  };
  add(`${SOS}/version.txt`, new TextEncoder().encode('sosreport: 4.5.6\n'));
  add(`${SOS}/var/log/syslog`, lcgText(2_000_000, 1));
  add(`${SOS}/var/log/syslog.2.gz`, new Uint8Array(gzipSync(lcgText(50_000, 2))));
  add(`${SOS}/sos_commands/date/date`, lcgText(30, 3));
  symlinkSync('sos_commands/date/date', `${tree}/${SOS}/date`);
  linkSync(`${tree}/${SOS}/var/log/syslog`, `${tree}/${SOS}/var/log/syslog.hard`);
  execFileSync('mkfifo', [`${tree}/${SOS}/var/log/pipe`]);
  // Nested: a .tar.gz, a .zip and an .xz that is not a tar (passed through as stored).
  const inner = box.path('inner');
  write(`${inner}/inner/a.log`, lcgText(1000, 4));
  write(`${inner}/inner/b.log`, lcgText(70_000, 5));
  write(`${inner}/z/c.log`, lcgText(2000, 6));
  mkdirSync(`${tree}/${SOS}/var/tmp`, { recursive: true });
  sh(inner, 'tar', '-czf', `${tree}/${SOS}/var/tmp/inner.tar.gz`, 'inner');
  sh(inner, 'zip', '-q', '-r', `${tree}/${SOS}/var/tmp/inner.zip`, 'z');
  write(`${tree}/${SOS}/var/tmp/rot.log`, lcgText(5000, 7));
  sh(`${tree}/${SOS}/var/tmp`, 'xz', 'rot.log');
  originals.set(`${SOS}/var/tmp/rot.log.xz`, new Uint8Array(readFileSync(`${tree}/${SOS}/var/tmp/rot.log.xz`)));
  originals.set(`${SOS}/var/tmp/inner.tar.gz/inner/a.log`, lcgText(1000, 4));
  originals.set(`${SOS}/var/tmp/inner.tar.gz/inner/b.log`, lcgText(70_000, 5));
  originals.set(`${SOS}/var/tmp/inner.zip/z/c.log`, lcgText(2000, 6));

  sh(tree, 'tar', '--format=pax', '-cf', box.path('sos.tar'), SOS);
  sh(box.dir, 'xz', '-k', '-T1', '-3', 'sos.tar');
  sh(box.dir, 'gzip', '-k', 'sos.tar');
  sh(box.dir, 'bzip2', '-k', 'sos.tar');
  sh(box.dir, 'zstd', '-q', '-k', 'sos.tar');
  sh(tree, 'zip', '-q', '-r', '-y', box.path('sos.zip'), SOS);

  // Unsafe names.
  write(box.path('evil/passwd'), new TextEncoder().encode('root:x:0:0\n'));
  write(box.path('evil/ok.log'), new TextEncoder().encode('fine\n'));
  sh(box.path('evil'), 'tar', '-cf', box.path('evil.tar'), '-P', '--transform', 's,^passwd$,../../etc/passwd,', 'passwd', 'ok.log', box.path('evil/ok.log'));

  // Nesting four deep: l4.tar > l3.tar > l2.tar > l1.tar > deep.log.
  write(box.path('nest/deep.log'), new TextEncoder().encode('deep\n'));
  sh(box.path('nest'), 'tar', '-cf', 'l1.tar', 'deep.log');
  sh(box.path('nest'), 'tar', '-cf', 'l2.tar', 'l1.tar');
  sh(box.path('nest'), 'tar', '-cf', 'l3.tar', 'l2.tar');
  sh(box.path('nest'), 'tar', '-cf', box.path('l4.tar'), 'l3.tar');

  writeFileSync(box.path('plain.log'), lcgText(3000, 8));
  writeFileSync(box.path('plain.log.gz'), gzipSync(lcgText(3000, 8)));
  sh(tree, 'zip', '-q', '-P', 'pw', box.path('locked.zip'), `${SOS}/version.txt`, `${SOS}/sos_commands/date/date`);
});
afterAll(() => box.remove());

function expectSosWalk(walked: Walked[], kind: 'tar' | 'zip'): void {
  const expected = [
    // zip has no hardlinks: the second name is a copy.
    ...(kind === 'zip' ? [`${SOS}/var/log/syslog.hard`] : []),
    `${SOS}/version.txt`,
    `${SOS}/var/log/syslog`,
    `${SOS}/var/log/syslog.2.gz`,
    `${SOS}/sos_commands/date/date`,
    `${SOS}/var/tmp/rot.log.xz`,
    `${SOS}/var/tmp/inner.tar.gz/inner/a.log`,
    `${SOS}/var/tmp/inner.tar.gz/inner/b.log`,
    `${SOS}/var/tmp/inner.zip/z/c.log`,
  ];
  expect(files(walked).sort()).toEqual(expected.sort());
  for (const entry of walked) {
    if (entry.kind !== 'file') continue;
    expect(entry.error, entry.path).toBeUndefined();
    const original = originals.get(entry.path.replace(/syslog\.hard$/, 'syslog'))!;
    expect(sameBytes(entry.data, original), entry.path).toBe(true);
    expect(entry.size).toBe(original.length);
  }
  const nested = walked.find((e) => e.path.endsWith('inner/b.log'));
  expect(nested?.archive).toEqual([expect.any(String), `${SOS}/var/tmp/inner.tar.gz`]);
  const reported = Object.fromEntries(problems(walked));
  expect(reported[`${SOS}/date`]).toMatch(/^symlink not followed/);
  if (kind === 'tar') {
    expect(reported[`${SOS}/date`]).toBe('symlink not followed (-> sos_commands/date/date)');
    expect(reported[`${SOS}/var/log/syslog.hard`]).toBe(`hardlink not followed (-> ${SOS}/var/log/syslog)`);
    expect(reported[`${SOS}/var/log/pipe`]).toBe('fifo: skipped');
  }
}

describe('walkArchive', () => {
  for (const name of ['sos.tar', 'sos.tar.gz', 'sos.tar.xz']) {
    it(`${name}: regular files with their bytes, nested archives opened, links and fifos reported`, async () => {
      const walked = await walkFile(name);
      expectSosWalk(walked, 'tar');
      // Compared with tar -tf: every listed non-directory is a file or a problem.
      const listed = sh(box.dir, 'tar', '-tf', 'sos.tar').split('\n').filter((l) => l !== '' && !l.endsWith('/'));
      const seen = new Set(walked.map((e) => e.path));
      for (const path of listed) expect(seen.has(path) || path.endsWith('inner.tar.gz') || path.endsWith('inner.zip'), path).toBe(true);
      expect(walked.every((e) => e.kind === 'file' ? e.archive[0] === name : true)).toBe(true);
    });
  }

  it('sos.zip (random access) walks the same, with the nested .tar.gz opened', async () => {
    expectSosWalk(await walkFile('sos.zip'), 'zip');
  });

  it('the web decompressors (DecompressionStream) walk a .tar.gz the same; xz without a decoder is a clear problem', async () => {
    const web = createWebDecompressors();
    const gz = await walkFile('sos.tar.gz', {}, web);
    expectSosWalk(gz, 'tar');
    expect(problems(await walkFile('sos.tar.xz', {}, web))).toEqual([['sos.tar.xz', 'xz decoder not available']]);
  });

  it('refuses unsafe paths and reads the rest', async () => {
    const walked = await walkFile('evil.tar');
    expect(sh(box.dir, 'tar', '-tPf', 'evil.tar').split('\n')).toContain('../../etc/passwd');
    expect(files(walked)).toEqual(['ok.log']);
    expect(problems(walked)).toEqual([
      ['../../etc/passwd', "unsafe path (path has a '..' segment): not read"],
      [box.path('evil/ok.log'), 'unsafe path (absolute path): not read'],
    ]);
  });

  it('bzip2 and zstd are reported as not supported', async () => {
    expect(await walkFile('sos.tar.bz2')).toEqual([{ kind: 'problem', path: 'sos.tar.bz2', problem: 'bzip2 is not supported', archive: [] }]);
    expect(problems(await walkFile('sos.tar.zst'))).toEqual([['sos.tar.zst', 'zstd is not supported']]);
  });

  it('a file that is no archive comes through whole, as stored (a .gz log stays gzip)', async () => {
    const plain = await walkFile('plain.log');
    expect(plain).toMatchObject([{ kind: 'file', path: 'plain.log', size: 3000, archive: [] }]);
    expect(sameBytes((plain[0] as { data: Uint8Array }).data, lcgText(3000, 8))).toBe(true);
    const gz = await walkFile('plain.log.gz');
    expect(sameBytes((gz[0] as { data: Uint8Array }).data, new Uint8Array(readFileSync(box.path('plain.log.gz'))))).toBe(true);
  });

  it('a truncated .tar.xz: the entries before the cut, then a problem for the archive', async () => {
    const xz = readFileSync(box.path('sos.tar.xz'));
    writeFileSync(box.path('cut.tar.xz'), xz.subarray(0, Math.floor(xz.length * 0.6)));
    const walked = await walkFile('cut.tar.xz');
    const order = sh(box.dir, 'tar', '-tf', 'sos.tar').split('\n');
    expect(order.indexOf(files(walked)[0]!)).toBeGreaterThan(0);
    expect(files(walked).length).toBeGreaterThanOrEqual(2);
    const last = walked[walked.length - 1]!;
    expect(last).toMatchObject({ kind: 'problem', path: 'cut.tar.xz' });
    expect((last as { problem: string }).problem).toMatch(/^xz data is damaged or truncated \(Unexpected end of input\)$/);
    // The member being read when the data ran out fails too; the ones before are whole.
    const failed = walked.filter((e) => e.kind === 'file' && e.error !== undefined);
    expect(failed).toEqual([expect.objectContaining({ path: `${SOS}/var/log/syslog`, error: expect.stringMatching(/^xz data is damaged/) })]);
    for (const e of walked) if (e.kind === 'file' && e.error === undefined) expect(sameBytes(e.data, originals.get(e.path)!)).toBe(true);
  });

  it('a corrupt .tar.gz is a problem for the archive, not an exception', async () => {
    const gz = new Uint8Array(readFileSync(box.path('sos.tar.gz')));
    for (let i = 0; i < 64; i++) gz[Math.floor(gz.length / 2) + i]! ^= 0x5a;
    writeFileSync(box.path('bad.tar.gz'), gz);
    const walked = await walkFile('bad.tar.gz');
    const last = walked[walked.length - 1]!;
    expect(last).toMatchObject({ kind: 'problem', path: 'bad.tar.gz' });
    expect((last as { problem: string }).problem).toMatch(/gzip data is damaged or truncated|bad tar header checksum/);
    const header = new Uint8Array(readFileSync(box.path('sos.tar.gz')));
    header[3] = 0xff; // reserved gzip flag bits set
    expect(problems(await walkAll(walkArchive(bytesSource(header), 'hdr.tar.gz', node)))).toEqual([
      ['hdr.tar.gz', expect.stringMatching(/^gzip data is damaged or truncated \(.+\)$/)],
    ]);
  });

  it('an encrypted zip entry is a problem for that entry; the others are read', async () => {
    const walked = await walkFile('locked.zip');
    expect(problems(walked)).toEqual([
      [`${SOS}/version.txt`, 'encrypted zip entry: cannot read'],
      [`${SOS}/sos_commands/date/date`, 'encrypted zip entry: cannot read'],
    ]);
  });

  it('nesting deeper than 3 archives is reported, not opened', async () => {
    const walked = await walkFile('l4.tar');
    expect(walked).toEqual([
      { kind: 'problem', path: 'l3.tar/l2.tar/l1.tar', problem: 'nested too deep (more than 3 archives): not opened', archive: ['l4.tar', 'l3.tar', 'l3.tar/l2.tar'] },
    ]);
    expect(files(await walkFile('l4.tar', { maxDepth: 4 }))).toEqual(['l3.tar/l2.tar/l1.tar/deep.log']);
  });

  it('limits: entries, member size, nested zip size, total decompressed bytes', async () => {
    const few = await walkFile('sos.tar', { maxEntries: 4 });
    expect(few[few.length - 1]).toEqual({ kind: 'problem', path: 'sos.tar', problem: 'more than 4 entries: stopped', archive: [] });
    expect(few.length).toBeLessThanOrEqual(5);
    const small = await walkFile('sos.tar', { maxMemberBytes: 100_000 });
    expect(Object.fromEntries(problems(small))[`${SOS}/var/log/syslog`]).toBe('member too large (2000000 bytes; at most 100000): not read');
    const zipCap = await walkFile('sos.tar', { maxNestedZipBytes: 100 });
    expect(Object.fromEntries(problems(zipCap))[`${SOS}/var/tmp/inner.zip`]).toMatch(/^nested zip too large to open/);
    const total = await walkFile('sos.tar.gz', { maxTotalBytes: 1_000_000 });
    expect(total[total.length - 1]).toEqual({ kind: 'problem', path: 'sos.tar.gz', problem: 'more than 1000000 bytes decompressed in all: stopped', archive: [] });
    expect(total.filter((e) => e.kind === 'file' && e.error !== undefined)).toHaveLength(1);
  });

  it('a decompression bomb (1 GiB of zeros in a tar.gz) is stopped at the limit', async () => {
    const header = new Uint8Array(execFileSync('bash', ['-c', 'truncate -s 1G zeros.bin && tar --format=gnu -cf - zeros.bin | head -c 512; rm -f zeros.bin'], { cwd: box.dir }));
    const member = gzipSync(new Uint8Array(64 << 20), { level: 9 });
    const members = [gzipSync(header), ...Array.from({ length: 16 }, () => member), gzipSync(new Uint8Array(1024 + 9 * 1024))];
    writeFileSync(box.path('bomb.tar.gz'), Buffer.concat(members));
    const size = members.reduce((n, m) => n + m.length, 0);
    expect(size).toBeLessThan(2_000_000);
    const started = performance.now();
    const walked = await walkFile('bomb.tar.gz', { bomb: { floor: 16 << 20, ratio: 20 } });
    expect(walked).toHaveLength(2);
    expect(walked[0]).toMatchObject({ kind: 'file', path: 'zeros.bin', size: 2 ** 30, error: expect.stringMatching(/decompression bomb/) });
    const limit = Math.max(16 << 20, 20 * size);
    expect(walked[1]).toEqual({ kind: 'problem', path: 'bomb.tar.gz', problem: `gzip output passed ${limit} bytes: looks like a decompression bomb; stopped`, archive: [] });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('memory stays flat while 256 MiB stream through (bodies read chunk by chunk)', async () => {
    const header = new Uint8Array(execFileSync('bash', ['-c', 'truncate -s 256M z.bin && tar --format=gnu -cf - z.bin | head -c 512; rm -f z.bin'], { cwd: box.dir }));
    const member = gzipSync(new Uint8Array(64 << 20), { level: 9 });
    writeFileSync(box.path('zeros.tar.gz'), Buffer.concat([gzipSync(header), member, member, member, member, gzipSync(new Uint8Array(10 * 1024))]));
    const before = process.memoryUsage();
    let peak = 0;
    let bytes = 0;
    for await (const entry of walkArchive(await nodeFileSource(box.path('zeros.tar.gz')), 'zeros.tar.gz', node)) {
      if (entry.kind !== 'file') continue;
      for await (const chunk of entry.body) {
        bytes += chunk.length;
        const now = process.memoryUsage();
        peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
      }
    }
    expect(bytes).toBe(256 << 20);
    expect(peak).toBeLessThan(96 << 20);
  });

  it('stopping early cancels the decoder (xz child process) without hanging', async () => {
    const started = performance.now();
    for await (const entry of walkArchive(await nodeFileSource(box.path('sos.tar.xz')), 'sos.tar.xz', node)) {
      if (entry.kind === 'file') break;
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('bodies left unread are skipped, nested archives included', async () => {
    const paths: string[] = [];
    for await (const entry of walkArchive(await nodeFileSource(box.path('sos.tar.gz')), 'sos.tar.gz', node)) paths.push(entry.path);
    expect(paths).toContain(`${SOS}/var/tmp/inner.tar.gz/inner/b.log`);
    expect(paths).toContain(`${SOS}/var/tmp/rot.log.xz`);
  });

  it('property: damaged archives (tar, tar.gz, zip) never hang and never throw out of the walk', async () => {
    const inputs = ['evil.tar', 'locked.zip'].map((n) => new Uint8Array(readFileSync(box.path(n))));
    inputs.push(new Uint8Array(gzipSync(readFileSync(box.path('evil.tar')))));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: inputs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (which, edits, cut) => {
          const data = inputs[which]!.slice(0, Math.max(1, inputs[which]!.length - (cut % 64)));
          for (const [at, value] of edits) data[at % data.length] = value;
          const walked = await walkAll(walkArchive(bytesSource(data, 97), `fuzz${which}`, node));
          for (const e of walked) expect(['file', 'problem']).toContain(e.kind);
        },
      ),
      { numRuns: 150 },
    );
  });
});
