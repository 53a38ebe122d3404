/**
 * Zip reading over random access: our own end-of-central-directory (and zip64) parse, entries
 * listed lazily from the central directory, each body streamed from its byte range: stored as is,
 * deflate through Decompressors.deflateRaw (native inflate: 68 MB/s against zip.js getData's
 * 31–38, tech-measurements.md §3), CRC-32 and size checked at the end of every entry.
 */
import { crc32 } from './crc32';
import type { ByteStream, Decompressors } from './decompress';
import { ZipError } from './errors';

/** Random reads of a file: Blob.slice().arrayBuffer() in a worker, a file handle in Node. */
export interface RandomAccess {
  readonly size: number;
  /** `length` bytes at `offset` (fewer only past the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ZipEntry {
  /** Decoded name as stored (UTF-8 flag, Info-ZIP Unicode path, valid UTF-8, else CP437); unchecked. */
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isSymlink: boolean;
  readonly method: number;
  readonly flags: number;
  readonly encrypted: boolean;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** Epoch ms: from the extended-timestamp field (UTC), else the DOS date read as UTC (its zone is unknown). */
  readonly mtime: number;
  readonly mtimeSource: 'unix' | 'dos';
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const WINDOW = 1 << 20;

const METHOD_NAMES: Record<number, string> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'lzma',
  93: 'zstd',
  95: 'xz',
  98: 'ppmd',
  99: 'AES encryption',
};

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
function u64(b: Uint8Array, at: number): number {
  const value = u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
  if (!Number.isSafeInteger(value)) throw new ZipError('damaged zip: a 64-bit size or offset is out of range');
  return value;
}

// CP437 bytes 0x80..0xFF (the original IBM PC code page, zip's default name charset).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function cp437(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!;
  }
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Names: bit 11 says UTF-8; else an Info-ZIP Unicode path field (0x7075) whose CRC matches the raw
 * name; else, because Linux zip tools store UTF-8 without the flag, valid UTF-8 is taken as UTF-8;
 * CP437 (the format's default) for the rest.
 */
function decodeZipName(raw: Uint8Array, flags: number, unicodePath: string | undefined): string {
  if (flags & 0x800) return tryUtf8(raw) ?? cp437(raw);
  if (unicodePath !== undefined) return unicodePath;
  return tryUtf8(raw) ?? cp437(raw);
}

function dosTime(time: number, date: number): number {
  const year = 1980 + (date >>> 9);
  const month = ((date >>> 5) & 0x0f) - 1;
  const day = date & 0x1f;
  return Date.UTC(year, month, day || 1, time >>> 11, (time >>> 5) & 0x3f, (time & 0x1f) * 2);
}

interface Located {
  readonly cdOffset: number;
  readonly cdSize: number;
  readonly entries: number;
  /** Bytes prepended before the zip (self-extractors): added to every stored offset. */
  readonly bias: number;
}

async function locateCentralDirectory(ra: RandomAccess): Promise<Located> {
  const tailLength = Math.min(ra.size, 22 + 0xffff);
  const tailStart = ra.size - tailLength;
  const tail = await ra.read(tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && u32(tail, i) === EOCD && i + 22 + u16(tail, i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError('not a zip file, or truncated: end of central directory not found');
  const eocdOffset = tailStart + at;
  let entries = u16(tail, at + 10);
  let cdSize = u32(tail, at + 12);
  let cdOffset = u32(tail, at + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocdOffset >= 20 ? await ra.read(eocdOffset - 20, 20) : new Uint8Array(0);
    if (locator.length === 20 && u32(locator, 0) === EOCD64_LOCATOR) {
      const record = await ra.read(u64(locator, 8), 56);
      if (record.length < 56 || u32(record, 0) !== EOCD64) throw new ZipError('damaged zip: zip64 end of central directory not found');
      entries = u64(record, 32);
      cdSize = u64(record, 40);
      cdOffset = u64(record, 48);
      return { cdOffset, cdSize, entries, bias: 0 };
    }
  }
  const bias = Math.max(0, eocdOffset - (cdOffset + cdSize));
  if (cdOffset + bias + cdSize > eocdOffset) throw new ZipError('damaged zip: central directory out of bounds');
  return { cdOffset: cdOffset + bias, cdSize, entries, bias };
}

/** Lists the entries of a zip from its central directory, in order, reading it in 1 MiB windows. */
export async function* listZipEntries(ra: RandomAccess): AsyncGenerator<ZipEntry> {
  const { cdOffset, cdSize, bias } = await locateCentralDirectory(ra);
  const cdEnd = cdOffset + cdSize;
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = cdOffset;
  const ensure = async (offset: number, length: number): Promise<number> => {
    if (offset + length > cdEnd) throw new ZipError('damaged zip: central directory record runs past its end');
    if (offset < windowStart || offset + length > windowStart + window.length) {
      window = await ra.read(offset, Math.min(cdEnd - offset, Math.max(length, WINDOW)));
      windowStart = offset;
      if (window.length < length) throw new ZipError('truncated zip: central directory cut short');
    }
    return offset - windowStart;
  };
  let offset = cdOffset;
  while (offset < cdEnd) {
    let p = await ensure(offset, 46);
    if (u32(window, p) !== CENTRAL) throw new ZipError(`damaged zip: bad central directory record at byte ${offset}`);
    const nameLength = u16(window, p + 28);
    const extraLength = u16(window, p + 30);
    const commentLength = u16(window, p + 32);
    const recordLength = 46 + nameLength + extraLength + commentLength;
    p = await ensure(offset, recordLength);
    const madeBy = u16(window, p + 4) >>> 8;
    const flags = u16(window, p + 8);
    const method = u16(window, p + 10);
    const rawName = window.subarray(p + 46, p + 46 + nameLength);
    const extra = window.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    let compressedSize = u32(window, p + 20);
    let uncompressedSize = u32(window, p + 24);
    let localHeaderOffset = u32(window, p + 42);
    const external = u32(window, p + 38);
    let mtime = dosTime(u16(window, p + 12), u16(window, p + 14));
    let mtimeSource: 'unix' | 'dos' = 'dos';
    let unicodePath: string | undefined;
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = u16(extra, e);
      const size = u16(extra, e + 2);
      const data = extra.subarray(e + 4, e + 4 + size);
      if (id === 0x0001) {
        let q = 0;
        const next = (): number => {
          if (q + 8 > data.length) throw new ZipError('damaged zip: zip64 extra field too short');
          const v = u64(data, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      } else if (id === 0x5455 && data.length >= 5 && data[0]! & 1) {
        mtime = (data[1]! | (data[2]! << 8) | (data[3]! << 16) | (data[4]! << 24)) * 1000;
        mtimeSource = 'unix';
      } else if (id === 0x7075 && data.length >= 5 && data[0] === 1 && u32(data, 1) === crc32(rawName)) {
        unicodePath = tryUtf8(data.subarray(5));
      }
      e += 4 + size;
    }
    const name = decodeZipName(rawName, flags, unicodePath);
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    yield {
      name,
      isDirectory: name.endsWith('/') || (unixMode & 0o170000) === 0o040000 || (madeBy === 0 && (external & 0x10) !== 0),
      isSymlink: (unixMode & 0o170000) === 0o120000,
      method,
      flags,
      encrypted: (flags & 1) !== 0,
      crc32: u32(window, p + 16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset: localHeaderOffset + bias,
      mtime,
      mtimeSource,
    };
    offset += recordLength;
  }
}

async function* readRange(ra: RandomAccess, start: number, length: number): AsyncGenerator<Uint8Array> {
  for (let at = start; at < start + length; ) {
    const chunk = await ra.read(at, Math.min(WINDOW, start + length - at));
    if (chunk.length === 0) throw new ZipError('truncated zip: entry data cut short');
    at += chunk.length;
    yield chunk;
  }
}

/**
 * The body of one entry. Errors (raised while iterating, so they belong to this entry only):
 * encrypted, unsupported method, damaged local header, size or CRC-32 mismatch.
 */
export async function* readZipEntry(ra: RandomAccess, entry: ZipEntry, decompressors: Decompressors): AsyncGenerator<Uint8Array> {
  if (entry.encrypted) throw new ZipError('encrypted zip entry: cannot read');
  if (entry.method !== 0 && entry.method !== 8) {
    const name = METHOD_NAMES[entry.method];
    throw new ZipError(`unsupported zip compression method ${entry.method}${name === undefined ? '' : ` (${name})`}: cannot read`);
  }
  const local = await ra.read(entry.localHeaderOffset, 30);
  if (local.length < 30 || u32(local, 0) !== LOCAL) throw new ZipError('damaged zip: local header not found');
  const dataStart = entry.localHeaderOffset + 30 + u16(local, 26) + u16(local, 28);
  if (dataStart + entry.compressedSize > ra.size) throw new ZipError('truncated zip: entry data runs past the end of the file');
  const raw = readRange(ra, dataStart, entry.compressedSize);
  const body: ByteStream = entry.method === 8 ? decompressors.deflateRaw(raw) : raw;
  let crc = 0;
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > entry.uncompressedSize) throw new ZipError(`zip entry is larger than its stated ${entry.uncompressedSize} bytes: damaged`);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (total !== entry.uncompressedSize) throw new ZipError(`zip entry has ${total} bytes, not the stated ${entry.uncompressedSize}: damaged`);
  if (crc !== entry.crc32) throw new ZipError('zip entry CRC-32 mismatch: damaged');
}

/** Random access over bytes already in memory (a nested zip read from a stream). */
export function bytesRandomAccess(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(bytes.length, offset + length)),
  };
}
