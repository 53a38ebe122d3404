import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { collectEvidence, readEvidence, sniffArchive, type ReadEvidenceOptions } from '../../../src/node/evidence/index';
import { KERN_TEXT, TempDir } from './helpers';

const temps: TempDir[] = [];
function temp(): TempDir {
  const dir = new TempDir();
  temps.push(dir);
  return dir;
}
afterAll(() => { for (const dir of temps) dir.remove(); });

async function readAll(path: string, options?: ReadEvidenceOptions): Promise<{ text: string; result: Awaited<ReturnType<typeof readEvidence>['result']> }> {
  const stream = readEvidence(path, options);
  const parts: Uint8Array[] = [];
  for await (const chunk of stream.chunks) parts.push(chunk);
  return { text: Buffer.concat(parts).toString('utf8'), result: await stream.result };
}

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('readEvidence', () => {
  it('hashes the raw bytes of plain and gzip files while decompressing, in small reads', async () => {
    const dir = temp();
    const text = KERN_TEXT.repeat(5000);
    const gz = gzipSync(text);
    const plainPath = dir.file('kern.log', text);
    const gzPath = dir.file('kern.log.1', gz);
    const plain = await readAll(plainPath, { readChunkBytes: 4096 });
    expect(plain.text).toBe(text);
    expect(plain.result).toEqual({ sha256: sha(Buffer.from(text)), bytes: Buffer.byteLength(text), compression: 'none', decodedBytes: Buffer.byteLength(text) });
    const unzipped = await readAll(gzPath, { readChunkBytes: 100 });
    expect(unzipped.text).toBe(text);
    expect(unzipped.result).toEqual({ sha256: sha(gz), bytes: gz.length, compression: 'gzip', decodedBytes: Buffer.byteLength(text) });
  });

  it('reads concatenated gzip members (as `cat a.gz b.gz` makes)', async () => {
    const dir = temp();
    const path = dir.file('two.gz', Buffer.concat([gzipSync('one\n'), gzipSync('two\n')]));
    expect((await readAll(path)).text).toBe('one\ntwo\n');
  });

  it('keeps what a truncated gzip held and says it is corrupt; the hash still covers the file', async () => {
    const dir = temp();
    const text = Array.from({ length: 20000 }, (_, i) => `line ${i} ${Math.sin(i)}`).join('\n');
    const gz = gzipSync(text);
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const path = dir.file('cut.gz', cut);
    const { text: out, result } = await readAll(path);
    expect(out.length).toBeGreaterThan(0);
    expect(text.startsWith(out)).toBe(true);
    expect(result.error).toMatch(/^corrupt gzip after .* decoded: .*unexpected end of file/);
    expect(result.sha256).toBe(sha(cut));
    expect(result.bytes).toBe(cut.length);
  });

  it('stops a decompression bomb at the cap', async () => {
    const dir = temp();
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const gz = gzipSync(zeros);
    const path = dir.file('bomb.log.gz', gz);
    const { result } = await readAll(path, { maxRatio: 200, minOutputCap: 0 });
    expect(result.error).toMatch(/^decompression bomb: /);
    expect(result.decodedBytes).toBeLessThanOrEqual(gz.length * 200);
    expect(result.sha256).toBe(sha(gz));
    // The default floor (16 MiB) lets a small, very repetitive but honest file through.
    expect((await readAll(path)).result.error).toBeUndefined();
  });

  it('recognizes archives by magic bytes, not names', () => {
    const tar = new Uint8Array(512);
    tar.set(Buffer.from('ustar  \u0000'), 257);
    expect(sniffArchive(tar)).toBe('tar');
    expect(sniffArchive(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe('xz');
    expect(sniffArchive(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]))).toBe('zip');
    expect(sniffArchive(Buffer.from('BZh91AY'))).toBe('bz2');
    expect(sniffArchive(Buffer.from('Mar 12 08:00:01 host kernel: x'))).toBeUndefined();
    expect(sniffArchive(new Uint8Array(0))).toBeUndefined();
  });

  it('reports a file it cannot open without throwing', async () => {
    const dir = temp();
    const { text, result } = await readAll(dir.path('gone.log'));
    expect(text).toBe('');
    expect(result.sha256).toBeNull();
    expect(result.error).toMatch(/ENOENT/);
  });

  it('settles the hash when the reader stops early', async () => {
    const dir = temp();
    const text = KERN_TEXT.repeat(1000);
    const path = dir.file('kern.log', text);
    const stream = readEvidence(path, { readChunkBytes: 1000 });
    for await (const chunk of stream.chunks) { void chunk; break; }
    expect((await stream.result).sha256).toBe(sha(Buffer.from(text)));
  });
});

describe('collectEvidence', () => {
  it('walks folders in sorted order with paths inside the bundle; reports missing args', async () => {
    const dir = temp();
    dir.file('sosreport-h-2026-03-12-abcdefg/var/log/syslog', 'x\n');
    dir.file('sosreport-h-2026-03-12-abcdefg/etc/hostname', 'h\n');
    dir.file('sosreport-h-2026-03-12-abcdefg/var/log/kern.log', 'x\n');
    const loose = dir.file('elsewhere/auth.log', 'x\n');
    mkdirSync(dir.path('sosreport-h-2026-03-12-abcdefg/empty'));
    symlinkSync('/etc/passwd', dir.path('sosreport-h-2026-03-12-abcdefg/var/log/passwd'));
    const { entries, missing } = await collectEvidence([
      dir.path('sosreport-h-2026-03-12-abcdefg'), loose, dir.path('nope'),
      // Named twice: listed once.
      dir.path('sosreport-h-2026-03-12-abcdefg/var/log/kern.log'),
    ]);
    expect(entries.map((e) => [e.bundlePath, e.kind])).toEqual([
      ['auth.log', 'file'],
      ['sosreport-h-2026-03-12-abcdefg/etc/hostname', 'file'],
      ['sosreport-h-2026-03-12-abcdefg/var/log/kern.log', 'file'],
      ['sosreport-h-2026-03-12-abcdefg/var/log/passwd', 'skipped'],
      ['sosreport-h-2026-03-12-abcdefg/var/log/syslog', 'file'],
    ]);
    expect(entries[3]).toMatchObject({ error: 'symlink not followed' });
    expect(missing).toEqual([{ arg: dir.path('nope'), error: 'no such file or folder' }]);
    expect(readFileSync(entries[0]!.path, 'utf8')).toBe('x\n');
  });
});
