/**
 * Browser (web worker) implementations of core's archive capabilities (src/core/archive): the
 * native DecompressionStream for gzip and deflate-raw, xz through a wasm TransformStream passed in,
 * and a Blob (a dropped File) as an ArchiveSource.
 *
 * xz: the measured choice is node-liblzma 5.1.3's wasm build (liblzma compiled to wasm; its
 * `node-liblzma/wasm` entry loads the .wasm by URL in a browser and from disk in Node):
 *   import { initModule, createUnxz } from 'node-liblzma/wasm';
 *   createWebDecompressors({ xz: async () => { await initModule(); return createUnxz(); } })
 * It is not in package.json right now, so nothing is imported here and an xz stream raises
 * 'xz decoder not available' until a factory is passed. Its decoder ends quietly on input that is
 * cut short and stops after the first of concatenated xz streams: the footer check below catches
 * the first; the second is rare (xz -T and pixz write one stream of many blocks).
 *
 * Measured 2026-11-25 in Node 20.20.2 on this 2-core VM while other jobs ran (load average 4–5, so
 * expect about twice these figures on an idle machine; best of 3, range in brackets, output MB/s).
 * Input: a 104.9 MB pax tar of three sos-like text logs (seeded LCG); xz -T2 -6 -> 16.4 MB,
 * gzip -6 -> 22.5 MB, zip -r -> 22.5 MB. Peak RSS stayed at 78–106 MiB in every case (constant memory).
 *   xz    node-liblzma 5.1.3 wasm, createUnxz() ..... 55 (34–55)   <- chosen (also fastest in Chromium: 112)
 *   xz    `xz -dc` child process (xzChildProcess) .... 45 (41–45)
 *   xz    xz-decompress 0.2.3 XzReadableStream ....... 34 (30–34)
 *   gzip  zlib createGunzip ........................ 153 (104–153)
 *   gzip  DecompressionStream (Node's) ............... 87 (56–87)
 *   walk  .tar 295, .tar.gz (zlib) 157, .tar.xz (xz -dc 47, wasm 49), .zip (zlib 137, DecompressionStream 95)
 *   tar   readTar 5,000 × 10 kB members in memory: ~1,000; walkArchive over the same: ~520
 */
import type { ArchiveSource, ByteStream, Decompressors } from '../core/archive';
import { DecompressionError } from '../core/archive';
import { iterate } from './byte-streams';

export type TransformFactory = () => TransformStream<Uint8Array, Uint8Array> | Promise<TransformStream<Uint8Array, Uint8Array>>;

/** The last 64 bytes seen so far, for a check of the stream's end. */
function keepTail(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 64) return chunk.slice(chunk.length - 64);
  const joined = new Uint8Array(Math.min(64, tail.length + chunk.length));
  const fromTail = joined.length - chunk.length;
  joined.set(tail.subarray(tail.length - fromTail), 0);
  joined.set(chunk, fromTail);
  return joined;
}

/**
 * An xz stream ends with the footer magic 'YZ', then only zero padding. The wasm decoder ends
 * quietly on input cut short, so a missing footer is how truncation is noticed.
 */
export function xzEndsWell(tail: Uint8Array): boolean {
  let end = tail.length;
  while (end > 0 && tail[end - 1] === 0) end--;
  return end >= 2 && tail[end - 2] === 0x59 && tail[end - 1] === 0x5a;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `input` through a web TransformStream; decoder errors become DecompressionError, input errors pass as they are. */
export function throughTransform(
  input: ByteStream,
  make: TransformFactory,
  label: string,
  endsWell: (tail: Uint8Array) => boolean = () => true,
): ByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      let inputError: { error: unknown } | undefined;
      let tail: Uint8Array = new Uint8Array(0);
      const it = input[Symbol.asyncIterator]();
      const readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          let step: IteratorResult<Uint8Array>;
          try {
            step = await it.next();
          } catch (error) {
            inputError = { error };
            controller.error(error);
            return;
          }
          try {
            if (step.done === true) controller.close();
            else {
              tail = keepTail(tail, step.value);
              controller.enqueue(step.value);
            }
          } catch {
            // The decoder failed while this read was under way and the pipe cancelled this stream:
            // its reader reports the decoder's error, which is the one to tell.
          }
        },
        async cancel() {
          await it.return?.();
        },
      });
      let transform: TransformStream<Uint8Array, Uint8Array>;
      try {
        transform = await make();
      } catch (error) {
        throw new DecompressionError(`${label} decoder not available (${message(error)})`);
      }
      const reader = readable.pipeThrough(transform).getReader();
      let finished = false;
      try {
        for (;;) {
          const step = await reader.read().catch((error: unknown) => {
            if (inputError !== undefined) throw inputError.error;
            throw new DecompressionError(`${label} data is damaged or truncated (${message(error)})`);
          });
          if (step.done) break;
          yield step.value;
        }
        finished = true;
        if (!endsWell(tail)) throw new DecompressionError(`${label} data is truncated (no end of stream)`);
      } finally {
        if (!finished) await reader.cancel().catch(() => undefined);
      }
    },
  };
}

function native(format: 'gzip' | 'deflate-raw'): TransformFactory {
  // DecompressionStream is typed as BufferSource -> Uint8Array<ArrayBuffer>; our chunks are plain Uint8Arrays.
  return () => new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>;
}

export interface WebDecompressorOptions {
  /** A wasm xz decoder as a TransformStream (node-liblzma's `createUnxz()` after `initModule()`). */
  readonly xz?: TransformFactory;
}

export function createWebDecompressors(options: WebDecompressorOptions = {}): Decompressors {
  const xz = options.xz;
  return {
    gzip: (input) => throughTransform(input, native('gzip'), 'gzip'),
    deflateRaw: (input) => throughTransform(input, native('deflate-raw'), 'deflate'),
    xz: (input) =>
      xz === undefined
        ? {
            [Symbol.asyncIterator]: () => ({
              next: () => Promise.reject(new DecompressionError('xz decoder not available')),
            }),
          }
        : throughTransform(input, xz, 'xz', xzEndsWell),
  };
}


/** A Blob (a dropped File) as an ArchiveSource: slices for random reads, its stream for the rest. */
export function blobArchiveSource(blob: Blob, mtime?: number): ArchiveSource {
  return {
    size: blob.size,
    ...(mtime === undefined ? {} : { mtime }),
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
    stream: () => iterate(blob.stream()),
  };
}
