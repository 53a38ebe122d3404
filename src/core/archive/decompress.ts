/**
 * Compression as core sees it: a capability passed in (core has no web-stream or Node types), the
 * magic-byte sniffing that picks a decoder, and the bomb guard on decoded output.
 * Implementations: src/workers/decompressors.ts (DecompressionStream + wasm xz) and
 * src/node/archive/decompressors.ts (zlib + xz).
 */
import { DecompressionBombError, DecompressionError } from './errors';
import { tarChecksumOk } from './tar';

export type ByteStream = AsyncIterable<Uint8Array>;

/** Decoders, each compressed stream in, decoded stream out; errors surface while iterating. */
export interface Decompressors {
  gzip(input: ByteStream): ByteStream;
  xz(input: ByteStream): ByteStream;
  deflateRaw(input: ByteStream): ByteStream;
}

export type Compression = 'gzip' | 'xz' | 'bzip2' | 'zstd' | 'zip' | 'tar' | 'none';

/** How many leading bytes detectCompression() wants to see (a tar header is 512). */
export const SNIFF_BYTES = 512;

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (head.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[at + i] !== magic[i]) return false;
  return true;
}

/** The compression or container of a stream, by its magic bytes (never by its name). */
export function detectCompression(head: Uint8Array): Compression {
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x42, 0x5a, 0x68]) && head.length > 3 && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0x50, 0x4b]) && (startsWith(head, [3, 4], 2) || startsWith(head, [5, 6], 2) || startsWith(head, [7, 8], 2))) {
    return 'zip';
  }
  if (startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], 257) && tarChecksumOk(head)) return 'tar';
  if (head.length >= 512 && tarChecksumOk(head)) return 'tar'; // old v7: no magic, the checksum decides
  return 'none';
}

export interface BombGuard {
  /** Largest output allowed per input byte. Default 200. */
  readonly ratio?: number;
  /** Output always allowed, whatever the input size. Default 1 GiB. */
  readonly floor?: number;
}

export const DEFAULT_BOMB_RATIO = 200;
export const DEFAULT_BOMB_FLOOR = 1 << 30;

/** The most output a compressed input of `inputBytes` may decode to: max(floor, ratio × input). */
export function bombLimit(inputBytes: number, guard: BombGuard = {}): number {
  return Math.max(guard.floor ?? DEFAULT_BOMB_FLOOR, (guard.ratio ?? DEFAULT_BOMB_RATIO) * inputBytes);
}

/** Passes a decoded stream through, raising DecompressionBombError once it passes `maxBytes`. */
export async function* limitOutput(source: ByteStream, maxBytes: number, what = 'decompressed data'): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw new DecompressionBombError(maxBytes, what);
    yield chunk;
  }
}

/**
 * Decodes `input` of a known compression with the bomb guard applied. bzip2 and zstd have no
 * decoder here and raise a DecompressionError naming the format.
 */
export function decompress(
  kind: 'gzip' | 'xz' | 'bzip2' | 'zstd',
  input: ByteStream,
  decompressors: Decompressors,
  maxBytes: number,
): ByteStream {
  if (kind === 'bzip2' || kind === 'zstd') throw new DecompressionError(`${kind} is not supported`);
  const decoded = kind === 'gzip' ? decompressors.gzip(input) : decompressors.xz(input);
  return limitOutput(decoded, maxBytes, `${kind} output`);
}
