import { readFileSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytesRandomAccess,
  crc32,
  listZipEntries,
  readZipEntry,
  ZipError,
  type Decompressors,
  type RandomAccess,
  type ZipEntry,
} from '../../../../src/core/archive';
import { createNodeDecompressors, nodeFileSource } from '../../../../src/node/archive/decompressors';
import { createWebDecompressors } from '../../../../src/workers/decompressors';
import { collect, enc, lcgText, sameBytes, scratch, sh, write } from './helpers';

const node = createNodeDecompressors();
const box = scratch('zip');
const files = new Map<string, Uint8Array>();

async function list(ra: RandomAccess): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  for await (const e of listZipEntries(ra)) out.push(e);
  return out;
}

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(box.path(name)));
}

/** A minimal zip writer for what the zip tool will not make: raw name bytes, chosen flags and CRC. */
function craftZip(entries: { name: Uint8Array; data: Uint8Array; flags?: number; crc?: number; method?: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const crc = e.crc ?? crc32(e.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, e.flags ?? 0, true);
    local.setUint16(8, e.method ?? 0, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, e.data.length, true);
    local.setUint32(22, e.data.length, true);
    local.setUint16(26, e.name.length, true);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 0x031e, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(8, e.flags ?? 0, true);
    cd.setUint16(10, e.method ?? 0, true);
    cd.setUint16(12, 0x6000, true); // 12:00:00
    cd.setUint16(14, (46 << 9) | (3 << 5) | 4, true); // 2026-03-04
    cd.setUint32(16, crc, true);
    cd.setUint32(20, e.data.length, true);
    cd.setUint32(24, e.data.length, true);
    cd.setUint16(28, e.name.length, true);
    cd.setUint32(38, 0o100644 << 16, true);
    cd.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), e.name, e.data);
    central.push(new Uint8Array(cd.buffer), e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, entries.length, true);
  eocd.setUint16(10, entries.length, true);
  eocd.setUint32(12, cdSize, true);
  eocd.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(eocd.buffer)];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

beforeAll(() => {
  const tree = box.path('tree');
  const add = (rel: string, data: Uint8Array): void => {
    write(`${tree}/${rel}`, data);
    files.set(rel, data);
  };
  add('bundle/var/log/a.log', lcgText(200_000, 1));
  add('bundle/var/log/raw.bin', lcgText(10_000, 2));
  add('bundle/var/log/journal-é-中文.log', lcgText(3000, 3));
  add('bundle/var/log/empty.log', new Uint8Array(0));
  add('bundle/var/log/big.log', lcgText(5 * 1024 * 1024, 4));
  symlinkSync('var/log/a.log', `${tree}/bundle/a-link`);
  sh(tree, 'zip', '-q', '-r', '-y', '-n', '.bin', box.path('all.zip'), 'bundle');
  sh(tree, 'zip', '-q', '-P', 'secret', box.path('enc.zip'), 'bundle/var/log/a.log', 'bundle/var/log/empty.log');
  sh(tree, 'zip', '-q', '-fz', box.path('z64.zip'), 'bundle/var/log/a.log', 'bundle/var/log/raw.bin');
});
afterAll(() => box.remove());

describe('listZipEntries / readZipEntry', () => {
  it('lists what unzip lists and reads every body back (stored and deflate), from a file on disk', async () => {
    const source = await nodeFileSource(box.path('all.zip'));
    const entries = await list(source);
    expect(entries.map((e) => e.name)).toEqual(sh(box.dir, 'unzip', '-Z1', 'all.zip').split('\n').filter((l) => l !== ''));
    for (const entry of entries) {
      if (entry.isDirectory || entry.isSymlink) continue;
      const data = await collect(readZipEntry(source, entry, node));
      expect(sameBytes(data, files.get(entry.name)!), entry.name).toBe(true);
    }
    expect(entries.find((e) => e.name.endsWith('raw.bin'))?.method).toBe(0);
    expect(entries.find((e) => e.name.endsWith('a.log'))?.method).toBe(8);
    expect(entries.find((e) => e.name === 'bundle/a-link')).toMatchObject({ isSymlink: true, isDirectory: false });
    expect(entries.find((e) => e.name === 'bundle/var/')).toMatchObject({ isDirectory: true });
    expect(entries.find((e) => e.name.endsWith('a.log'))?.mtimeSource).toBe('unix');
  });

  it('the web decompressors (DecompressionStream) give the same bytes', async () => {
    const ra = bytesRandomAccess(bytesOf('all.zip'));
    const web: Decompressors = createWebDecompressors();
    for (const entry of await list(ra)) {
      if (entry.isDirectory || entry.isSymlink) continue;
      expect(sameBytes(await collect(readZipEntry(ra, entry, web)), files.get(entry.name)!), entry.name).toBe(true);
    }
  });

  it('zip64 end of central directory', async () => {
    const bytes = bytesOf('z64.zip');
    expect(Buffer.from(bytes).indexOf(Buffer.from([0x50, 0x4b, 6, 6]))).toBeGreaterThan(0);
    const ra = bytesRandomAccess(bytes);
    const entries = await list(ra);
    expect(entries.map((e) => e.name)).toEqual(['bundle/var/log/a.log', 'bundle/var/log/raw.bin']);
    expect(sameBytes(await collect(readZipEntry(ra, entries[0]!, node)), files.get('bundle/var/log/a.log')!)).toBe(true);
  });

  it('an encrypted entry is a clear error for that entry only', async () => {
    const ra = bytesRandomAccess(bytesOf('enc.zip'));
    const entries = await list(ra);
    expect(entries[0]!.encrypted).toBe(true);
    await expect(collect(readZipEntry(ra, entries[0]!, node))).rejects.toThrow('encrypted zip entry: cannot read');
    // Crafted: flag bit 0 on a stored entry, next to a readable one.
    const crafted = bytesRandomAccess(
      craftZip([
        { name: enc.encode('locked.log'), data: enc.encode('secret'), flags: 1 },
        { name: enc.encode('open.log'), data: enc.encode('hello') },
      ]),
    );
    const [locked, open] = await list(crafted);
    await expect(collect(readZipEntry(crafted, locked!, node))).rejects.toThrow(new ZipError('encrypted zip entry: cannot read'));
    expect(new TextDecoder().decode(await collect(readZipEntry(crafted, open!, node)))).toBe('hello');
  });

  it('a bad CRC-32 is an error at the end of the entry', async () => {
    const bytes = bytesOf('all.zip');
    const ra = bytesRandomAccess(bytes);
    const raw = (await list(ra)).find((e) => e.name.endsWith('raw.bin'))!;
    const local = new DataView(bytes.buffer, bytes.byteOffset + raw.localHeaderOffset, 30);
    bytes[raw.localHeaderOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true) + 5]! ^= 0xff;
    await expect(collect(readZipEntry(ra, raw, node))).rejects.toThrow('zip entry CRC-32 mismatch: damaged');
    const crafted = bytesRandomAccess(craftZip([{ name: enc.encode('x.log'), data: enc.encode('data'), crc: 1234 }]));
    await expect(collect(readZipEntry(crafted, (await list(crafted))[0]!, node))).rejects.toThrow(/CRC-32 mismatch/);
  });

  it('an unsupported method is named', async () => {
    const ra = bytesRandomAccess(craftZip([{ name: enc.encode('x.log.bz'), data: enc.encode('BZh9'), method: 12 }]));
    await expect(collect(readZipEntry(ra, (await list(ra))[0]!, node))).rejects.toThrow(
      'unsupported zip compression method 12 (bzip2): cannot read',
    );
  });

  it('names: CP437 without the UTF-8 flag, UTF-8 with it, DOS time when there is no unix time', async () => {
    const ra = bytesRandomAccess(
      craftZip([
        { name: new Uint8Array([0x80, 0x81, 0x82, 0x2e, 0x74, 0x78, 0x74]), data: new Uint8Array(0) },
        { name: enc.encode('中文.log'), data: new Uint8Array(0), flags: 0x800 },
      ]),
    );
    const entries = await list(ra);
    expect(entries.map((e) => e.name)).toEqual(['Çüé.txt', '中文.log']);
    expect(entries[0]).toMatchObject({ mtime: Date.UTC(2026, 2, 4, 12, 0, 0), mtimeSource: 'dos' });
  });

  it('bytes before the zip (a self-extractor stub) are allowed for', async () => {
    const zip = bytesOf('all.zip');
    const withStub = new Uint8Array(zip.length + 1000);
    withStub.set(lcgText(1000, 9), 0);
    withStub.set(zip, 1000);
    const ra = bytesRandomAccess(withStub);
    const entry = (await list(ra)).find((e) => e.name.endsWith('journal-é-中文.log'))!;
    expect(sameBytes(await collect(readZipEntry(ra, entry, node)), files.get(entry.name)!)).toBe(true);
  });

  it('a truncated zip has no end of central directory', async () => {
    const zip = bytesOf('all.zip');
    await expect(list(bytesRandomAccess(zip.subarray(0, zip.length - 30)))).rejects.toThrow(
      'not a zip file, or truncated: end of central directory not found',
    );
  });

  it('crc32 matches the check value and continues across chunks', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    const data = lcgText(100_003, 5);
    expect(crc32(data.subarray(50_001), crc32(data.subarray(0, 50_001)))).toBe(crc32(data));
  });
});
