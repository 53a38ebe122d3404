/**
 * Walks a dropped file: finds its compression and container by magic bytes, reads tar (plain,
 * gzip, xz) and zip, opens archives nested inside (up to a depth), and yields every regular file
 * with its bytes as a stream, or a problem for what it will not or cannot read (links, devices,
 * unsafe paths, damaged or unsupported data, limits). One member is read at a time; a member's
 * body must be read (or left) before the next entry is asked for.
 *
 * Members are passed through as stored: a rotated `syslog.2.gz` inside a tar stays gzip (the
 * ingest pipeline decodes each evidence file); only a compressed *tar* is opened here.
 */
import { ByteReader, collectBytes, peekHead } from './bytes';
import {
  bombLimit,
  decompress,
  detectCompression,
  SNIFF_BYTES,
  type BombGuard,
  type ByteStream,
  type Decompressors,
} from './decompress';
import { ArchiveLimitError, errorMessage } from './errors';
import { safeEntryPath, type SafePathOptions } from './paths';
import { readTar, type TarEntry } from './tar';
import { bytesRandomAccess, listZipEntries, readZipEntry, type RandomAccess } from './zip';

/** A dropped file: random reads for zip, a fresh stream from the start for everything else. */
export interface ArchiveSource extends RandomAccess {
  stream(): ByteStream;
  /** The file's own modification time (epoch ms), given to a dropped file that is not an archive. */
  readonly mtime?: number;
}

export interface WalkOptions {
  /** Archives opened one inside another, the dropped one counting 1. Default 3. */
  readonly maxDepth?: number;
  /** Entries (of any type, all levels) before the walk stops. Default 200,000. */
  readonly maxEntries?: number;
  /** Bytes produced by decompression (all levels) before the walk stops. Default 64 GiB. */
  readonly maxTotalBytes?: number;
  /** Largest member accepted. Default 8 GiB. */
  readonly maxMemberBytes?: number;
  /** A zip inside a stream is read into memory to open it: at most this big. Default 256 MiB. */
  readonly maxNestedZipBytes?: number;
  /** Decoded output per compressed stream: max(floor, ratio × compressed size). */
  readonly bomb?: BombGuard;
  readonly paths?: SafePathOptions;
}

export interface WalkFile {
  readonly kind: 'file';
  /** Path inside the dropped file, as stored (a sos report's start with `sosreport-…/`); nested members under their archive's path. */
  readonly path: string;
  readonly size: number;
  /** Epoch ms. */
  readonly mtime: number;
  /** The dropped file's name, then each nested archive's path, outermost first. */
  readonly archive: readonly string[];
  /** The member's bytes as stored. Read it (or leave it) before asking for the next entry. */
  readonly body: ByteStream;
}

export interface WalkProblem {
  readonly kind: 'problem';
  /** The member's path (as stored when it was refused), or the archive's when the archive itself failed. */
  readonly path: string;
  readonly problem: string;
  readonly archive: readonly string[];
}

export type WalkEntry = WalkFile | WalkProblem;

export const DEFAULT_WALK_LIMITS = {
  maxDepth: 3,
  maxEntries: 200_000,
  maxTotalBytes: 64 * 2 ** 30,
  maxMemberBytes: 8 * 2 ** 30,
  maxNestedZipBytes: 256 * 2 ** 20,
} as const;

/** Raw bytes kept while looking through a compressed member for a tar header. */
const SNIFF_RAW_CAP = 4 << 20;
const EMPTY = new Uint8Array(0);

interface Sniffed {
  /** The first decoded bytes (fewer than asked if the data is short, damaged or the cap was hit). */
  readonly decodedHead: Uint8Array;
  /** The raw stream again, from its start. */
  readonly raw: ByteStream;
  /** Why decoding stopped before SNIFF_BYTES were seen, if it failed. */
  readonly error?: unknown;
}

/**
 * Decodes just enough of a gzip/xz stream to see whether a tar is inside, recording the raw chunks
 * it pulled so the stream can be replayed from the start. Decoding errors leave an empty head.
 */
async function sniffThrough(kind: 'gzip' | 'xz', stream: ByteStream, decompressors: Decompressors): Promise<Sniffed> {
  const it = stream[Symbol.asyncIterator]();
  const recorded: Uint8Array[] = [];
  let recordedBytes = 0;
  let stopped = false;
  let ended = false;
  let sourceError: { error: unknown } | undefined;
  let inflight: Promise<unknown> = Promise.resolve();
  const done = { done: true, value: undefined } as const;
  const tap: ByteStream = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        if (stopped || ended || sourceError !== undefined || recordedBytes >= SNIFF_RAW_CAP) return Promise.resolve(done);
        const step = it.next().then(
          (s) => {
            if (s.done === true) ended = true;
            else {
              recorded.push(s.value);
              recordedBytes += s.value.length;
            }
            return s;
          },
          (error: unknown) => {
            sourceError = { error };
            throw error;
          },
        );
        inflight = step.catch(() => undefined);
        return step;
      },
      return: () => Promise.resolve(done),
    }),
  };
  let decodedHead: Uint8Array = EMPTY;
  let failure: { error: unknown } | undefined;
  try {
    const reader = new ByteReader(decompress(kind, tap, decompressors, Number.POSITIVE_INFINITY));
    decodedHead = await reader.readExact(SNIFF_BYTES);
    await reader.close();
  } catch (error) {
    failure = { error };
  }
  stopped = true;
  await inflight;
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = ended;
    try {
      while (recorded.length > 0) yield recorded.shift()!;
      if (sourceError !== undefined) throw sourceError.error;
      while (!finished) {
        const s = await it.next();
        if (s.done === true) {
          finished = true;
          return;
        }
        yield s.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  return failure === undefined ? { decodedHead, raw: replay() } : { decodedHead, raw: replay(), error: failure.error };
}

/** Walks a dropped file (see the module comment). `name` is its file name, used for problems about it. */
export async function* walkArchive(
  source: ArchiveSource,
  name: string,
  decompressors: Decompressors,
  options: WalkOptions = {},
): AsyncGenerator<WalkEntry> {
  const limits = { ...DEFAULT_WALK_LIMITS, ...options };
  let entries = 0;
  let decodedBytes = 0;
  let stop: string | undefined;

  /** Counts decoded bytes against maxTotalBytes. */
  async function* meter(stream: ByteStream): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      decodedBytes += chunk.length;
      if (decodedBytes > limits.maxTotalBytes) {
        stop = `more than ${limits.maxTotalBytes} bytes decompressed in all: stopped`;
        throw new ArchiveLimitError(stop);
      }
      yield chunk;
    }
  }

  const problem = (path: string, text: string, archive: readonly string[]): WalkProblem => ({ kind: 'problem', path, problem: text, archive });

  /** One more entry; false (and the walk stops) past maxEntries. */
  function countEntry(): boolean {
    entries++;
    if (entries > limits.maxEntries) stop ??= `more than ${limits.maxEntries} entries: stopped`;
    return stop === undefined;
  }

  /** A member's bytes: a nested archive is opened, anything else passed through as stored. */
  async function* member(body: ByteStream, size: number, mtime: number, path: string, chain: readonly string[], depth: number): AsyncGenerator<WalkEntry> {
    let peeked;
    try {
      peeked = await peekHead(body, SNIFF_BYTES);
    } catch (error) {
      yield problem(path, errorMessage(error), chain);
      return;
    }
    const kind = detectCompression(peeked.head);
    let stream = peeked.stream;
    let container: 'tar' | 'zip' | undefined;
    let compressed: 'gzip' | 'xz' | undefined;
    if (kind === 'tar' || kind === 'zip') container = kind;
    else if (kind === 'gzip' || kind === 'xz') {
      const sniffed = await sniffThrough(kind, stream, decompressors);
      stream = sniffed.raw;
      if (detectCompression(sniffed.decodedHead) === 'tar') {
        container = 'tar';
        compressed = kind;
      }
    }
    if (container === undefined) {
      yield { kind: 'file', path, size, mtime, archive: chain, body: stream };
      return;
    }
    if (depth + 1 > limits.maxDepth) {
      yield problem(path, `nested too deep (more than ${limits.maxDepth} archives): not opened`, chain);
      return;
    }
    const inner = [...chain, path];
    if (container === 'zip') {
      if (size > limits.maxNestedZipBytes) {
        yield problem(path, `nested zip too large to open (${size} bytes; at most ${limits.maxNestedZipBytes})`, chain);
        return;
      }
      let bytes: Uint8Array;
      try {
        bytes = await collectBytes(stream, limits.maxNestedZipBytes, () => new ArchiveLimitError('nested zip too large to open'));
      } catch (error) {
        yield problem(path, errorMessage(error), chain);
        return;
      }
      yield* zipEntries(bytesRandomAccess(bytes), inner, `${path}/`, depth + 1);
      return;
    }
    const tarStream = compressed === undefined ? stream : meter(decompress(compressed, stream, decompressors, bombLimit(size, options.bomb)));
    yield* tarEntries(tarStream, inner, `${path}/`, depth + 1);
  }

  /** A checked member path, or a problem (undefined for the archive's own `./`). */
  function checkPath(raw: string, prefix: string, chain: readonly string[]): string | WalkProblem | undefined {
    const safe = safeEntryPath(raw, options.paths);
    if (safe.ok) return prefix + safe.path;
    if (safe.reason === 'empty path') return undefined;
    return problem(prefix + raw, `unsafe path (${safe.reason}): not read`, chain);
  }

  function skipReason(entry: TarEntry): string {
    switch (entry.type) {
      case 'symlink':
        return `symlink not followed (-> ${entry.linkpath})`;
      case 'hardlink':
        return `hardlink not followed (-> ${entry.linkpath})`;
      case 'character-device':
        return 'character device: skipped';
      case 'block-device':
        return 'block device: skipped';
      case 'fifo':
        return 'fifo: skipped';
      default:
        return `tar entry of type '${entry.typeflag}' not supported: skipped`;
    }
  }

  async function* tarEntries(stream: ByteStream, chain: readonly string[], prefix: string, depth: number): AsyncGenerator<WalkEntry> {
    try {
      for await (const entry of readTar(stream)) {
        if (!countEntry()) return;
        const path = checkPath(entry.path, prefix, chain);
        if (path === undefined || entry.type === 'directory') continue;
        if (typeof path !== 'string') {
          yield path;
          continue;
        }
        if (entry.type !== 'file') {
          yield problem(path, skipReason(entry), chain);
          continue;
        }
        if (entry.size > limits.maxMemberBytes) {
          yield problem(path, `member too large (${entry.size} bytes; at most ${limits.maxMemberBytes}): not read`, chain);
          continue;
        }
        yield* member(entry.body, entry.size, entry.mtime, path, chain, depth);
        if (stop !== undefined) return;
      }
    } catch (error) {
      if (stop === undefined) yield problem(chain[chain.length - 1]!, errorMessage(error), chain.slice(0, -1));
    }
  }

  async function* zipEntries(ra: RandomAccess, chain: readonly string[], prefix: string, depth: number): AsyncGenerator<WalkEntry> {
    try {
      for await (const entry of listZipEntries(ra)) {
        if (!countEntry()) return;
        const path = checkPath(entry.name, prefix, chain);
        if (path === undefined || entry.isDirectory) continue;
        if (typeof path !== 'string') {
          yield path;
          continue;
        }
        if (entry.isSymlink) {
          yield problem(path, 'symlink not followed', chain);
          continue;
        }
        if (entry.uncompressedSize > limits.maxMemberBytes) {
          yield problem(path, `member too large (${entry.uncompressedSize} bytes; at most ${limits.maxMemberBytes}): not read`, chain);
          continue;
        }
        const body = readZipEntry(ra, entry, decompressors);
        yield* member(entry.method === 0 ? body : meter(body), entry.uncompressedSize, entry.mtime, path, chain, depth);
        if (stop !== undefined) return;
      }
    } catch (error) {
      if (stop === undefined) yield problem(chain[chain.length - 1]!, errorMessage(error), chain.slice(0, -1));
    }
  }

  const chain = [name];
  try {
    const kind = detectCompression(await source.read(0, SNIFF_BYTES));
    if (kind === 'zip') yield* zipEntries(source, chain, '', 1);
    else if (kind === 'bzip2' || kind === 'zstd') yield problem(name, `${kind} is not supported`, []);
    else if (kind === 'tar') yield* tarEntries(source.stream(), chain, '', 1);
    else if (kind === 'gzip' || kind === 'xz') {
      const sniffed = await sniffThrough(kind, source.stream(), decompressors);
      if (detectCompression(sniffed.decodedHead) === 'tar') {
        yield* tarEntries(meter(decompress(kind, sniffed.raw, decompressors, bombLimit(source.size, options.bomb))), chain, '', 1);
      } else if (sniffed.error !== undefined) {
        // Not even a tar header could be decoded: say why, rather than pass on data nobody can read.
        await sniffed.raw[Symbol.asyncIterator]().return?.();
        yield problem(name, errorMessage(sniffed.error), []);
      } else {
        yield { kind: 'file', path: name, size: source.size, mtime: source.mtime ?? Number.NaN, archive: [], body: sniffed.raw };
      }
    } else {
      yield { kind: 'file', path: name, size: source.size, mtime: source.mtime ?? Number.NaN, archive: [], body: source.stream() };
    }
  } catch (error) {
    if (stop === undefined) yield problem(name, errorMessage(error), []);
  }
  if (stop !== undefined) yield problem(name, stop, []);
}
