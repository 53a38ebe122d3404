/**
 * Streaming tar reader: ustar, pax ('x' and 'g'), GNU long names ('L'/'K'), old v7; checksums
 * verified. Entries come one at a time; a file's body is read from the same stream, so it must be
 * read (or left: the reader skips what is left) before asking for the next entry. Memory: one
 * source chunk plus long-name/pax metadata (capped).
 */
import { ByteReader } from './bytes';
import { TarError } from './errors';

export type TarEntryType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'other';

export interface TarEntry {
  /** As stored (pax `path` or GNU long name applied); not yet checked: see safeEntryPath(). */
  readonly path: string;
  readonly type: TarEntryType;
  /** Body bytes (for 'file'; other types have no body to read). */
  readonly size: number;
  /** Modification time, epoch milliseconds (UTC). */
  readonly mtime: number;
  readonly mode: number;
  /** Link target for symlinks and hardlinks, else ''. */
  readonly linkpath: string;
  /** The raw type flag character ('0', '5', 'S', ...). */
  readonly typeflag: string;
  /** Byte offset of this entry's header in the tar stream. */
  readonly offset: number;
  /** The file's bytes; empty for every type but 'file'. Valid only until the next entry is asked for. */
  readonly body: AsyncIterable<Uint8Array>;
}

export interface TarOptions {
  /** Largest pax or GNU long-name header accepted (bytes). Default 1 MiB. */
  readonly maxMetaBytes?: number;
}

const BLOCK = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8, or Latin-1 when the bytes are not valid UTF-8 (old tars store names in the local charset). */
export function decodeName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
}

function cString(block: Uint8Array, at: number, length: number): Uint8Array {
  const field = block.subarray(at, at + length);
  const nul = field.indexOf(0);
  return nul < 0 ? field : field.subarray(0, nul);
}

/** An octal (space/NUL terminated) or GNU base-256 number field. */
function parseNumber(block: Uint8Array, at: number, length: number, field: string): number {
  const first = block[at]!;
  if (first & 0x80) {
    const negative = first === 0xff;
    let value = negative ? 0 : first & 0x7f;
    for (let i = 1; i < length; i++) {
      const byte = block[at + i]!;
      value = value * 256 + (negative ? 255 - byte : byte);
    }
    if (!Number.isSafeInteger(value)) throw new TarError(`tar header ${field} field is out of range`);
    return negative ? -(value + 1) : value;
  }
  let i = at;
  const end = at + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) throw new TarError(`tar header ${field} field is not a number`);
    value = value * 8 + (c - 0x30);
  }
  return value;
}

/** True when the 512-byte block's checksum field matches (unsigned or historic signed sum). */
export function tarChecksumOk(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  // The stored value: octal digits, padded with spaces or NULs (parsed here without throwing: this
  // also runs on every member's first bytes to sniff for a nested tar).
  let stored = 0;
  let digits = 0;
  for (let i = 148; i < 156; i++) {
    const c = block[i]!;
    if (c >= 0x30 && c <= 0x37) {
      if (digits > 0 && (block[i - 1] === 0x20 || block[i - 1] === 0)) return false;
      stored = stored * 8 + (c - 0x30);
      digits++;
    } else if (c !== 0x20 && c !== 0) return false;
  }
  if (digits === 0) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

interface PaxAttributes {
  path?: string;
  linkpath?: string;
  size?: number;
  mtime?: number;
}

/** pax records `<len> <key>=<value>\n`, where len counts BYTES: parsed on bytes, decoded per value. */
function parsePax(data: Uint8Array, into: PaxAttributes): void {
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // NUL padding after the last record
    let j = i;
    let length = 0;
    while (j < data.length && data[j]! >= 0x30 && data[j]! <= 0x39 && j - i < 12) length = length * 10 + (data[j++]! - 0x30);
    const end = i + length;
    if (j === i || data[j] !== 0x20 || end > data.length || end <= j + 1 || data[end - 1] !== 0x0a) {
      throw new TarError('damaged pax header record');
    }
    const record = data.subarray(j + 1, end - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new TarError('damaged pax header record');
    const key = decodeName(record.subarray(0, eq));
    const value = decodeName(record.subarray(eq + 1));
    if (key === 'path') into.path = value;
    else if (key === 'linkpath') into.linkpath = value;
    else if (key === 'size') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new TarError('damaged pax size record');
      into.size = n;
    } else if (key === 'mtime') {
      const n = Number(value);
      if (value.length > 0 && Number.isFinite(n)) into.mtime = Math.round(n * 1000);
    }
    i = end;
  }
}

function entryType(flag: string, path: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return path.endsWith('/') ? 'directory' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'character-device';
    case '4':
      return 'block-device';
    case '5':
    case 'D':
      return 'directory';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

const NO_BODY: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) };

/** Reads a tar stream entry by entry. Throws TarError when the archive is truncated or damaged. */
export async function* readTar(source: AsyncIterable<Uint8Array>, options: TarOptions = {}): AsyncGenerator<TarEntry> {
  const maxMeta = options.maxMetaBytes ?? 1 << 20;
  const reader = new ByteReader(source);
  const global: PaxAttributes = {};
  let local: PaxAttributes = {};
  let toSkip = 0; // body bytes not read by the caller, plus padding
  let generation = 0;
  let failed: unknown;

  const truncated = (what: string): TarError => new TarError(`truncated archive: ${what} ends at byte ${reader.offset}`);

  async function readMeta(size: number, kind: string): Promise<Uint8Array> {
    if (size > maxMeta) throw new TarError(`${kind} header of ${size} bytes is larger than the ${maxMeta} allowed`);
    const data = await reader.readExact(size);
    if (data.length < size) throw truncated(`${kind} header`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if ((await reader.skip(pad)) < pad) throw truncated(`${kind} header`);
    return data;
  }

  try {
    for (;;) {
      if (failed !== undefined) throw failed;
      if (toSkip > 0) {
        const want = toSkip;
        toSkip = 0;
        if ((await reader.skip(want)) < want) throw truncated('an entry body');
      }
      generation++;
      const offset = reader.offset;
      const block = await reader.readExact(BLOCK);
      if (block.length === 0) return; // ended on a block boundary without the end marker: accepted, as GNU tar does
      if (block.length < BLOCK) throw truncated('a header');
      if (isZeroBlock(block)) {
        await reader.drain(); // the end marker; read the rest so a compressed stream's trailer is checked
        return;
      }
      if (!tarChecksumOk(block)) {
        throw new TarError(`bad tar header checksum at byte ${offset} (not a tar archive, or damaged)`);
      }
      const flag = String.fromCharCode(block[156]!);
      const headerSize = parseNumber(block, 124, 12, 'size');
      const ustar = block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72;
      const posix = ustar && block[262] === 0; // 'ustar\0' (POSIX) vs 'ustar  \0' (old GNU: no prefix field)

      if (flag === 'x' || flag === 'g') {
        parsePax(await readMeta(headerSize, 'pax'), flag === 'x' ? local : global);
        continue;
      }
      if (flag === 'L' || flag === 'K') {
        const data = await readMeta(headerSize, 'GNU long name');
        const nul = data.indexOf(0);
        const text = decodeName(nul < 0 ? data : data.subarray(0, nul));
        if (flag === 'L') local.path = text;
        else local.linkpath = text;
        continue;
      }

      let path = local.path;
      if (path === undefined) {
        const name = cString(block, 0, 100);
        const prefix = posix ? cString(block, 345, 155) : new Uint8Array(0);
        path = prefix.length > 0 ? `${decodeName(prefix)}/${decodeName(name)}` : decodeName(name);
      }
      const linkpath = local.linkpath ?? decodeName(cString(block, 157, 100));
      const size = local.size ?? headerSize;
      const mtime = local.mtime ?? global.mtime ?? parseNumber(block, 136, 12, 'mtime') * 1000;
      const mode = parseNumber(block, 100, 8, 'mode') & 0o7777;
      const type = entryType(flag, path);
      local = {};
      // Hardlinks and the like carry no data in tar, but a size field is honoured so the stream stays in step.
      toSkip = size + ((BLOCK - (size % BLOCK)) % BLOCK);

      let body = NO_BODY;
      if (type === 'file') {
        const mine = generation;
        let remaining = size;
        body = {
          async *[Symbol.asyncIterator]() {
            while (remaining > 0) {
              if (mine !== generation) throw new TarError('tar entry body read after the reader moved on');
              let chunk: Uint8Array;
              try {
                chunk = await reader.read(remaining);
              } catch (error) {
                failed = error;
                throw error;
              }
              if (chunk.length === 0) {
                failed = truncated(`the body of ${path}`);
                throw failed;
              }
              remaining -= chunk.length;
              toSkip -= chunk.length;
              yield chunk;
            }
          },
        };
      }
      yield { path, type, size: type === 'file' ? size : 0, mtime, mode, linkpath, typeflag: flag, offset, body };
    }
  } finally {
    generation++;
    await reader.close();
  }
}
