/**
 * One evidence file's bytes on their way to the parser: the stored bytes are hashed and counted
 * as they pass (SHA-256 of the file as stored, what `sha256sum` of the extracted member gives), and
 * decoded when they are gzip or xz (found by magic bytes, never by name: a rotated `kern.log.2.gz`
 * inside a tar is still gzip). Used for archive members and dropped files alike, in the worker and
 * the CLI. Memory: one chunk at a time.
 */
import { peekHead } from './bytes';
import { bombLimit, decompress, detectCompression, SNIFF_BYTES, type BombGuard, type ByteStream, type Compression, type Decompressors } from './decompress';
import { errorMessage } from './errors';

/** An incremental SHA-256 (hash-wasm in the worker, node:crypto in Node): core has no hashing of its own. */
export interface Hasher {
  /** May return a promise (a hasher in another thread that is behind): wait for it before the next chunk. */
  update(chunk: Uint8Array): void | Promise<void>;
  /** Lowercase hex. */
  digest(): string | Promise<string>;
}

export interface EvidenceStreamEnd {
  /** Hex SHA-256 of every stored byte; null when the stored bytes could not be read to their end. */
  readonly sha256: string | null;
  /** Stored bytes hashed. */
  readonly bytes: number;
  /** Why the stored bytes could not be read to their end (a truncated archive under this member). */
  readonly error?: string;
}

export interface EvidenceStream {
  /** Decoded content. Iterate it (or stop early); then call finish(). */
  readonly chunks: ByteStream;
  readonly compression: Compression;
  /** Reads what the parser left of the stored bytes (for the hash) and gives the digest. Never throws. */
  finish(): Promise<EvidenceStreamEnd>;
}

export interface EvidenceStreamOptions {
  readonly bomb?: BombGuard;
  /** Pass the bytes on as stored (metadata files are hashed, not decoded). */
  readonly raw?: boolean;
}

/**
 * Wraps a stored byte stream. `size` is its stored size (for the bomb limit). A compression with
 * no decoder here (bzip2, zstd) makes iterating `chunks` throw a DecompressionError that names it.
 */
export async function openEvidenceStream(
  stored: ByteStream,
  size: number,
  decompressors: Decompressors,
  hasher: Hasher,
  options: EvidenceStreamOptions = {},
): Promise<EvidenceStream> {
  const source = stored[Symbol.asyncIterator]();
  let bytes = 0;
  let ended = false;
  let failure: string | undefined;
  const pull = async (): Promise<IteratorResult<Uint8Array>> => {
    if (ended) return { done: true, value: undefined };
    try {
      const step = await source.next();
      if (step.done === true) ended = true;
      else {
        const hashed = hasher.update(step.value);
        if (hashed !== undefined) await hashed;
        bytes += step.value.length;
      }
      return step;
    } catch (error) {
      ended = true;
      failure = errorMessage(error);
      throw error;
    }
  };
  // The parser side may stop early (or the decoder may): that must not end the stored stream,
  // which is still read to its end for the hash. So return() here does not reach `source`.
  const hashed: ByteStream = {
    [Symbol.asyncIterator]: () => ({ next: pull, return: () => Promise.resolve({ done: true, value: undefined }) }),
  };
  const peeked = options.raw === true ? undefined : await peekHead(hashed, SNIFF_BYTES).catch(() => undefined);
  const kind = peeked === undefined ? 'none' : detectCompression(peeked.head);
  const body = peeked?.stream ?? hashed;
  let chunks: ByteStream = body;
  let compression: Compression = 'none';
  if (kind === 'gzip' || kind === 'xz' || kind === 'bzip2' || kind === 'zstd') {
    compression = kind;
    chunks = {
      [Symbol.asyncIterator]: () => decompress(kind, body, decompressors, bombLimit(size, options.bomb))[Symbol.asyncIterator](),
    };
  }
  return {
    chunks,
    compression,
    async finish() {
      try {
        while (!(await pull()).done) { /* hashing only */ }
      } catch {
        // recorded in `failure`
      }
      await Promise.resolve(source.return?.()).catch(() => undefined);
      if (failure !== undefined) return { sha256: null, bytes, error: failure };
      try {
        return { sha256: await hasher.digest(), bytes };
      } catch (error) {
        return { sha256: null, bytes, error: `SHA-256 not computed (${errorMessage(error)})` };
      }
    },
  };
}
