/**
 * Browser (web worker) implementations of core's archive capabilities (src/core/archive): the
 * native DecompressionStream for gzip and deflate-raw, xz through a wasm TransformStream passed in,
 * and a Blob (a dropped File) as an ArchiveSource.
 *
 * xz: the measured choice is node-liblzma 5.1.3's browser build (liblzma compiled to wasm):
 *   import { initModule, createUnxz } from 'node-liblzma';   // "browser" export condition
 *   createWebDecompressors({ xz: async () => { await initModule(); return createUnxz(); } })
 * It is not in package.json right now (dropped as unused), so nothing is imported here yet and
 * an xz stream raises 'xz decoder not available' until a factory is passed.
 * XZ_FIGURES: see the report of issue 3 and the comment in src/node/archive/decompressors.ts.
 */
import type { ArchiveSource, ByteStream, Decompressors } from '../core/archive';
import { DecompressionError } from '../core/archive';

export type TransformFactory = () => TransformStream<Uint8Array, Uint8Array> | Promise<TransformStream<Uint8Array, Uint8Array>>;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `input` through a web TransformStream; decoder errors become DecompressionError, input errors pass as they are. */
export function throughTransform(input: ByteStream, make: TransformFactory, label: string): ByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      let inputError: { error: unknown } | undefined;
      const it = input[Symbol.asyncIterator]();
      const readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const step = await it.next();
            if (step.done === true) controller.close();
            else controller.enqueue(step.value);
          } catch (error) {
            inputError = { error };
            controller.error(error);
          }
        },
        async cancel() {
          await it.return?.();
        },
      });
      const reader = readable.pipeThrough(await make()).getReader();
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
        : throughTransform(input, xz, 'xz'),
  };
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
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
