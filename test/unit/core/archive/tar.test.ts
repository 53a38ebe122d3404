import fc from 'fast-check';
import { readFileSync, symlinkSync, linkSync, utimesSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar, TarError, type TarEntry } from '../../../../src/core/archive';
import { chunked, collect, lcgText, sameBytes, scratch, sh, write } from './helpers';

const LONG_DIR = `sosreport-host-2026-11-25-abcdefg/${'d'.repeat(60)}/${'e'.repeat(60)}`;
const LONG_FILE = `${'f'.repeat(120)}.log`;
const UTF8_NAME = 'journal-é-中文-🙂.log';
const MTIME_S = 1_700_000_000;

interface Read {
  entry: Omit<TarEntry, 'body'>;
  data?: Uint8Array;
}

async function readAll(bytes: Uint8Array, chunkSize = 997, readBodies = true): Promise<Read[]> {
  const out: Read[] = [];
  for await (const entry of readTar(chunked(bytes, chunkSize))) {
    const { body, ...rest } = entry;
    out.push(readBodies ? { entry: rest, data: await collect(body) } : { entry: rest });
  }
  return out;
}

const box = scratch('tar');
const files = new Map<string, Uint8Array>();

beforeAll(() => {
  const tree = box.path('tree');
  const add = (rel: string, data: Uint8Array): void => {
    write(`${tree}/${rel}`, data);
    files.set(rel, data);
  };
  add(`${LONG_DIR}/short.log`, lcgText(3000, 1));
  add(`sosreport-host-2026-11-25-abcdefg/${LONG_FILE}`, lcgText(700, 2));
  add(`sosreport-host-2026-11-25-abcdefg/var/log/${UTF8_NAME}`, lcgText(512, 3));
  add('sosreport-host-2026-11-25-abcdefg/var/log/empty.log', new Uint8Array(0));
  add('sosreport-host-2026-11-25-abcdefg/var/log/big.log', lcgText(5 * 1024 * 1024 + 17, 4));
  add('sosreport-host-2026-11-25-abcdefg/sos_commands/date/date', lcgText(40, 5));
  symlinkSync('sos_commands/date/date', `${tree}/sosreport-host-2026-11-25-abcdefg/date`);
  linkSync(`${tree}/sosreport-host-2026-11-25-abcdefg/var/log/empty.log`, `${tree}/sosreport-host-2026-11-25-abcdefg/var/log/empty-link.log`);
  sh(tree, 'find', '.', '-exec', 'touch', '-h', '-d', `@${MTIME_S}`, '{}', '+');
  for (const format of ['pax', 'gnu']) sh(tree, 'tar', `--format=${format}`, '-cf', box.path(`${format}.tar`), 'sosreport-host-2026-11-25-abcdefg');
  // ustar: no name over 100 bytes (the long directory goes into the prefix field), no UTF-8 trouble.
  sh(tree, 'tar', '--format=ustar', '-cf', box.path('ustar.tar'), `${LONG_DIR}/short.log`, 'sosreport-host-2026-11-25-abcdefg/var/log/big.log');
  sh(tree, 'tar', '--format=v7', '-cf', box.path('v7.tar'), 'sosreport-host-2026-11-25-abcdefg/var/log/empty.log', 'sosreport-host-2026-11-25-abcdefg/sos_commands/date/date');
  sh(tree, 'tar', '--format=pax', '--pax-option=comment=global header', '-cf', box.path('global.tar'), 'sosreport-host-2026-11-25-abcdefg/sos_commands');
  utimesSync(tree, MTIME_S, MTIME_S);
});
afterAll(() => box.remove());

function tarList(file: string): string[] {
  return sh(box.dir, 'tar', '-tf', file).split('\n').filter((l) => l !== '');
}

describe('readTar on archives written by GNU tar 1.34', () => {
  for (const format of ['pax', 'gnu']) {
    it(`${format}: every name tar -tf lists, long and UTF-8 names, bodies equal the files`, async () => {
      const bytes = new Uint8Array(readFileSync(box.path(`${format}.tar`)));
      const read = await readAll(bytes);
      expect(read.map((r) => r.entry.path)).toEqual(tarList(`${format}.tar`));
      for (const r of read.filter((x) => x.entry.type === 'file')) {
        const original = files.get(r.entry.path);
        expect(original, r.entry.path).toBeDefined();
        expect(r.entry.size).toBe(original!.length);
        expect(sameBytes(r.data, original!), r.entry.path).toBe(true);
        expect(r.entry.mtime).toBe(MTIME_S * 1000);
      }
      expect(read.filter((r) => r.entry.type === 'file')).toHaveLength(files.size);
      expect(read.some((r) => r.entry.path.endsWith(LONG_FILE))).toBe(true);
      expect(read.some((r) => r.entry.path.endsWith(UTF8_NAME))).toBe(true);
      const link = read.find((r) => r.entry.path.endsWith('abcdefg/date'));
      expect(link?.entry).toMatchObject({ type: 'symlink', linkpath: 'sos_commands/date/date', size: 0 });
      const hard = read.filter((r) => r.entry.type === 'hardlink');
      expect(hard).toHaveLength(1);
      expect(hard[0]!.entry.linkpath).toMatch(/var\/log\/empty(-link)?\.log$/);
      expect(read.filter((r) => r.entry.type === 'directory').length).toBeGreaterThan(3);
    });
  }

  it('ustar: the prefix field is joined to the name', async () => {
    const read = await readAll(new Uint8Array(readFileSync(box.path('ustar.tar'))));
    expect(read.map((r) => r.entry.path)).toEqual(tarList('ustar.tar'));
    expect(read[0]!.entry.path).toBe(`${LONG_DIR}/short.log`);
    expect(sameBytes(read[0]!.data, files.get(`${LONG_DIR}/short.log`)!)).toBe(true);
  });

  it('old v7 headers (no magic) are read by checksum', async () => {
    const read = await readAll(new Uint8Array(readFileSync(box.path('v7.tar'))), 100);
    expect(read.map((r) => r.entry.path)).toEqual(tarList('v7.tar'));
    expect(sameBytes(read[1]!.data, files.get('sosreport-host-2026-11-25-abcdefg/sos_commands/date/date')!)).toBe(true);
  });

  it("pax global ('g') headers are consumed, not reported as entries", async () => {
    const bytes = new Uint8Array(readFileSync(box.path('global.tar')));
    expect(String.fromCharCode(bytes[156]!)).toBe('g');
    const read = await readAll(bytes);
    expect(read.map((r) => r.entry.path)).toEqual(tarList('global.tar'));
  });

  it('the 5 MB file arrives in the small chunks it was fed in, never as one buffer', async () => {
    const bytes = new Uint8Array(readFileSync(box.path('gnu.tar')));
    for await (const entry of readTar(chunked(bytes, 4096))) {
      if (!entry.path.endsWith('big.log')) continue;
      let chunks = 0;
      let largest = 0;
      for await (const c of entry.body) {
        chunks++;
        largest = Math.max(largest, c.length);
      }
      expect(chunks).toBeGreaterThan(1000);
      expect(largest).toBeLessThanOrEqual(4096);
    }
  });

  it('bodies left unread are skipped; reading one after moving on is refused', async () => {
    const bytes = new Uint8Array(readFileSync(box.path('pax.tar')));
    const skipped = await readAll(bytes, 8192, false);
    expect(skipped.map((r) => r.entry.path)).toEqual(tarList('pax.tar'));
    const iterator = readTar(chunked(bytes, 8192));
    let first: TarEntry | undefined;
    for await (const entry of iterator) {
      if (entry.type === 'file' && entry.size > 0 && first === undefined) first = entry;
      else if (first !== undefined) break;
    }
    await expect(collect(first!.body)).rejects.toThrow(TarError);
  });

  it('a truncated archive: entries before the cut stay valid, then a clear TarError', async () => {
    const bytes = new Uint8Array(readFileSync(box.path('gnu.tar')));
    const list = tarList('gnu.tar');
    const bigAt = list.findIndex((p) => p.endsWith('big.log'));
    // Cut inside big.log's body.
    let cut = 0;
    for await (const e of readTar(chunked(bytes, 65536))) if (e.path.endsWith('big.log')) cut = e.offset + 512 + 1_000_000;
    const seen: string[] = [];
    let bodyError: unknown;
    let readerError: unknown;
    try {
      for await (const entry of readTar(chunked(bytes.subarray(0, cut), 5000))) {
        seen.push(entry.path);
        try {
          await collect(entry.body);
        } catch (error) {
          bodyError = error;
        }
      }
    } catch (error) {
      readerError = error;
    }
    expect(seen).toEqual(list.slice(0, bigAt + 1));
    expect(bodyError).toBeInstanceOf(TarError);
    expect((bodyError as Error).message).toMatch(/^truncated archive: the body of .*big\.log ends at byte 1\d{6}/);
    expect(readerError).toBe(bodyError);
    // Cut inside a header.
    await expect(readAll(bytes.subarray(0, 700))).rejects.toThrow(/truncated archive: a header ends at byte 700/);
  });

  it('a damaged header fails its checksum', async () => {
    const bytes = new Uint8Array(readFileSync(box.path('ustar.tar')));
    bytes[10]! ^= 0x01;
    await expect(readAll(bytes)).rejects.toThrow(/bad tar header checksum at byte 0/);
  });

  it('property: random bytes never hang and throw nothing but TarError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 600 }), async (data, chunk) => {
        try {
          await readAll(data, chunk);
        } catch (error) {
          if (!(error instanceof TarError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a valid tar with random bytes changed never hangs and throws nothing but TarError', async () => {
    const base = new Uint8Array(readFileSync(box.path('v7.tar'))).subarray(0, 4096);
    const global = new Uint8Array(readFileSync(box.path('global.tar'))).subarray(0, 6144);
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 2048 }),
        async (useGlobal, edits, chunk) => {
          const data = (useGlobal ? global : base).slice();
          for (const [at, value] of edits) data[at % data.length] = value;
          try {
            await readAll(data, chunk);
          } catch (error) {
            if (!(error instanceof TarError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
