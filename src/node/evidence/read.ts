import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';

/**
 * Reads one evidence file for ingest: the decompressed content as chunks, and the SHA-256 and
 * size of the raw bytes as they are on disk (what an analyst compares against a collection
 * manifest), computed in the same pass. Compression is recognized by magic bytes, never by name:
 * rotated logs are often misnamed, and a name is analyst- or attacker-controlled.
 *
 * Reading never throws: a file that cannot be opened, an unsupported archive, a corrupt gzip or a
 * decompression bomb end the chunks early, and `result` says why. What was decoded before a
 * failure is kept, since a truncated rotated log is still evidence.
 */

export type Compression = 'none' | 'gzip';

export interface EvidenceReadResult {
  /** Hex SHA-256 over every raw byte of the file; null when it could not be opened or read. */
  readonly sha256: string | null;
  /** Raw (on-disk) bytes hashed. */
  readonly bytes: number;
  readonly compression: Compression;
  /** Decompressed bytes handed out as chunks. */
  readonly decodedBytes: number;
  /** Set when the file was recognized as an archive that cannot be read yet (e.g. "xz", "tar.gz"). */
  readonly unsupported?: string;
  /** Why the chunks ended before the content did. */
  readonly error?: string;
}

export interface EvidenceStream {
  /** Decompressed content. Must be iterated to its end (or returned) for `result` to settle. */
  readonly chunks: AsyncIterable<Uint8Array>;
  readonly result: Promise<EvidenceReadResult>;
}

export interface ReadEvidenceOptions {
  /** Do not decompress or sniff archives: chunks are the raw bytes (metadata files, hashing). */
  readonly raw?: boolean;
  /** Decompressed output may be at most this many times the compressed size... */
  readonly maxRatio?: number;
  /** ...but at least this (tiny files have a large header overhead)... */
  readonly minOutputCap?: number;
  /** ...and never more than this. */
  readonly maxOutput?: number;
  readonly readChunkBytes?: number;
}

const GIB = 1024 ** 3;
export const DEFAULT_MAX_RATIO = 200;
export const DEFAULT_MIN_OUTPUT_CAP = 16 * 1024 ** 2;
export const DEFAULT_MAX_OUTPUT = 20 * GIB;
const READ_CHUNK = 1 << 20;
/** Enough to see the tar magic at offset 257. */
const SNIFF_BYTES = 262;

/** Archive and compression formats recognized by their first bytes but not readable yet. */
export function sniffArchive(head: Uint8Array): string | undefined {
  const at = (i: number): number => head[i] ?? -1;
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => at(i) === b);
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) return 'zip';
  if (starts(0x42, 0x5a, 0x68) && at(3) >= 0x31 && at(3) <= 0x39) return 'bz2';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zst';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7z';
  if (isTar(head)) return 'tar';
  return undefined;
}

function isTar(head: Uint8Array): boolean {
  // "ustar" at 257: POSIX ("ustar\0") and old GNU ("ustar  ") headers alike.
  return head.length >= SNIFF_BYTES && [0x75, 0x73, 0x74, 0x61, 0x72].every((b, i) => head[257 + i] === b);
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** Sequential raw reads that feed the hash; keeps going after decoding stops, for the hash. */
class RawReader {
  bytes = 0;
  private eof = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly hash: Hash,
    private readonly chunkBytes: number,
    private readonly expectedSize: number,
  ) {}

  async read(): Promise<Uint8Array | undefined> {
    if (this.eof) return undefined;
    // A fresh buffer each time: downstream (the line splitter) may keep a chunk across calls.
    // Sized to what is left (+1 to see the end): a 1 MiB buffer per small file was mostly GC.
    const size = Math.min(this.chunkBytes, Math.max(this.expectedSize - this.bytes, 0) + 1);
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.handle.read(buffer, 0, size, null);
    if (bytesRead === 0) {
      this.eof = true;
      return undefined;
    }
    const chunk = buffer.subarray(0, bytesRead);
    this.hash.update(chunk);
    this.bytes += bytesRead;
    return chunk;
  }

  /** Reads until at least `n` bytes are gathered or the file ends. */
  async readAtLeast(n: number): Promise<Uint8Array | undefined> {
    const parts: Uint8Array[] = [];
    let length = 0;
    while (length < n) {
      const chunk = await this.read();
      if (chunk === undefined) break;
      parts.push(chunk);
      length += chunk.length;
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
  }

  async drain(): Promise<void> {
    while ((await this.read()) !== undefined) { /* hashing only */ }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function readEvidence(path: string, options: ReadEvidenceOptions = {}): EvidenceStream {
  let settle!: (result: EvidenceReadResult) => void;
  const result = new Promise<EvidenceReadResult>((resolve) => { settle = resolve; });
  return { chunks: generate(path, options, settle), result };
}

async function* generate(path: string, options: ReadEvidenceOptions, settle: (result: EvidenceReadResult) => void): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let handle: FileHandle | undefined;
  let reader: RawReader | undefined;
  let compression: Compression = 'none';
  let decodedBytes = 0;
  let unsupported: string | undefined;
  let error: string | undefined;
  try {
    handle = await open(path, 'r');
    const size = (await handle.stat()).size;
    reader = new RawReader(handle, hash, options.readChunkBytes ?? READ_CHUNK, size);
    const head = await reader.readAtLeast(SNIFF_BYTES);
    if (head === undefined) return;
    if (options.raw === true) {
      decodedBytes += head.length;
      yield head;
      for (let chunk = await reader.read(); chunk !== undefined; chunk = await reader.read()) {
        decodedBytes += chunk.length;
        yield chunk;
      }
      return;
    }
    if (!isGzip(head)) {
      unsupported = sniffArchive(head);
      if (unsupported !== undefined) return;
      decodedBytes += head.length;
      yield head;
      for (let chunk = await reader.read(); chunk !== undefined; chunk = await reader.read()) {
        decodedBytes += chunk.length;
        yield chunk;
      }
      return;
    }
    compression = 'gzip';
    const cap = Math.min(
      options.maxOutput ?? DEFAULT_MAX_OUTPUT,
      Math.max(size * (options.maxRatio ?? DEFAULT_MAX_RATIO), options.minOutputCap ?? DEFAULT_MIN_OUTPUT_CAP),
    );
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    const stop = new AbortController();
    const pump = feed(gunzip, reader, head, stop.signal);
    // The head of the decompressed stream, held back until a tar header can be ruled out.
    let pending: Uint8Array[] | undefined = [];
    let pendingLength = 0;
    try {
      try {
        for await (const out of gunzip as AsyncIterable<Buffer>) {
          if (decodedBytes + pendingLength + out.length > cap) {
            error = `decompression bomb: ${formatBytes(size)} of gzip expands past ${formatBytes(cap)}; stopped after ${formatBytes(decodedBytes + pendingLength)}`;
            break;
          }
          if (pending !== undefined) {
            pending.push(out);
            pendingLength += out.length;
            if (pendingLength < SNIFF_BYTES) continue;
            const first = Buffer.concat(pending, pendingLength);
            pending = undefined;
            pendingLength = 0;
            if (isTar(first)) {
              unsupported = 'tar.gz';
              break;
            }
            decodedBytes += first.length;
            yield first;
            continue;
          }
          decodedBytes += out.length;
          yield out;
        }
      } catch (e) {
        error = `corrupt gzip after ${formatBytes(decodedBytes + pendingLength)} decoded: ${describeError(e)}`;
      }
      // A short file (or one cut short) never filled the sniff window: it cannot be a tar.
      if (pending !== undefined && pendingLength > 0 && unsupported === undefined && !error?.startsWith('decompression bomb')) {
        const first = Buffer.concat(pending, pendingLength);
        decodedBytes += first.length;
        yield first;
      }
    } finally {
      stop.abort();
      gunzip.destroy();
      await pump;
    }
  } catch (e) {
    error = describeError(e);
  } finally {
    let sha256: string | null = null;
    try {
      if (reader !== undefined) {
        await reader.drain();
        sha256 = hash.digest('hex');
      }
    } catch (e) {
      error ??= `read failed while hashing: ${describeError(e)}`;
    }
    await handle?.close().catch(() => undefined);
    settle({
      sha256,
      bytes: reader?.bytes ?? 0,
      compression,
      decodedBytes,
      ...(unsupported !== undefined ? { unsupported } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }
}

/** Writes raw chunks into gunzip with backpressure; stops writing (not reading) when aborted. */
async function feed(gunzip: Gunzip, reader: RawReader, head: Uint8Array, signal: AbortSignal): Promise<void> {
  try {
    let chunk: Uint8Array | undefined = head;
    while (chunk !== undefined && !signal.aborted) {
      if (!gunzip.write(chunk)) await once(gunzip, 'drain', { signal });
      chunk = await reader.read();
    }
    if (!signal.aborted) gunzip.end();
  } catch {
    // Aborted or gunzip failed: the consumer sees gunzip's own error; the hash is finished by drain().
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
