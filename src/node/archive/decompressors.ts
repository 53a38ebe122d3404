/**
 * Node implementations of core's archive capabilities (src/core/archive): zlib for gzip and
 * deflate-raw, xz through a pluggable decoder, and a file on disk as an ArchiveSource.
 *
 * xz: no xz package is in package.json at the moment, so the default decoder runs the system's
 * `xz -dc` (xz-utils) as a child process, streaming through its pipes in constant memory. When
 * node-liblzma 5.1.3 is added, its wasm build is slightly faster and needs no system tool:
 *   createNodeDecompressors({ xz: webXzDecoder(async () => { await initModule(); return createUnxz(); }) })
 * with `import { initModule, createUnxz } from 'node-liblzma/wasm'`. Figures: see the comment at
 * the top of src/workers/decompressors.ts (zlib gzip 153 MB/s, xz -dc 45, wasm xz 55 on a busy VM).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Readable, pipeline, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { ArchiveSource, ByteStream, Decompressors } from '../../core/archive';
import { DecompressionError } from '../../core/archive';

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

/**
 * `input` with its own failures recorded, so they can be told from the decoder's. Pulled by hand:
 * Readable.from ends its source with throw(), which must not count as an input error (and which
 * yield* would hand on to `input`).
 */
function guardInput(input: ByteStream): { readonly stream: AsyncGenerator<Uint8Array>; readonly error: { error: unknown } | undefined } {
  let failure: { error: unknown } | undefined;
  async function* pull(): AsyncGenerator<Uint8Array> {
    const it = input[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await it.next();
        } catch (error) {
          finished = true;
          failure = { error };
          throw error;
        }
        if (step.done === true) {
          finished = true;
          return;
        }
        yield step.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  const stream = pull();
  return {
    stream,
    get error() {
      return failure;
    },
  };
}

/** Runs `input` through a Node transform; decoder errors become DecompressionError, input errors pass as they are. */
function throughNode(input: ByteStream, make: () => Transform, label: string): ByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      const guard = guardInput(input);
      const source = Readable.from(guard.stream, { objectMode: true, highWaterMark: 4 });
      const transform = make();
      pipeline(source, transform, () => undefined);
      try {
        for await (const chunk of transform as AsyncIterable<Uint8Array>) yield chunk;
      } catch (error) {
        if (guard.error !== undefined) throw guard.error.error;
        throw new DecompressionError(`${label} data is damaged or truncated (${message(error)})`);
      } finally {
        source.destroy();
        transform.destroy();
      }
    },
  };
}

/** xz through the system's `xz -dc`: stdin fed from `input`, stdout read back, stderr kept for the error. */
export function xzChildProcess(input: ByteStream, command = 'xz'): ByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      const guard = guardInput(input);
      const child = spawn(command, ['--decompress', '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
        child.once('error', (error) => resolve({ code: null, error }));
        child.once('close', (code) => resolve({ code }));
      });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        if (stderr.length < 4096) stderr += text;
      });
      const source = Readable.from(guard.stream, { objectMode: true, highWaterMark: 4 });
      pipeline(source, child.stdin, () => undefined); // EPIPE when xz stops early is reported by its exit code
      let finished = false;
      try {
        try {
          for await (const chunk of child.stdout as AsyncIterable<Uint8Array>) yield chunk;
        } catch {
          // the exit status below says what went wrong
        }
        const { code, error } = await exited;
        if (guard.error !== undefined) throw guard.error.error;
        if (error !== undefined) throw new DecompressionError(`xz decoder not available (${message(error)})`);
        if (code !== 0) {
          const why = stderr.replace(/^xz: \(stdin\): /, '').trim() || `exit code ${code}`;
          throw new DecompressionError(`xz data is damaged or truncated (${why})`);
        }
        finished = true;
      } finally {
        source.destroy();
        if (!finished) child.kill();
      }
    },
  };
}

/** A web TransformStream decoder (e.g. node-liblzma's wasm `createUnxz()`) as a ByteStream decoder. */
export function webXzDecoder(make: () => Promise<TransformStream<Uint8Array, Uint8Array>>): (input: ByteStream) => ByteStream {
  return (input) => ({
    async *[Symbol.asyncIterator]() {
      let inputError: { error: unknown } | undefined;
      let tail: Uint8Array = new Uint8Array(0);
      const it = input[Symbol.asyncIterator]();
      const readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const step = await it.next();
            if (step.done === true) controller.close();
            else {
              tail = keepTail(tail, step.value);
              controller.enqueue(step.value);
            }
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
            throw new DecompressionError(`xz data is damaged or truncated (${message(error)})`);
          });
          if (step.done) break;
          yield step.value;
        }
        finished = true;
        if (!xzEndsWell(tail)) throw new DecompressionError('xz data is truncated (no end of stream)');
      } finally {
        if (!finished) await reader.cancel().catch(() => undefined);
      }
    },
  });
}

export interface NodeDecompressorOptions {
  /** xz decoder; default: the system `xz -dc`. */
  readonly xz?: (input: ByteStream) => ByteStream;
}

export function createNodeDecompressors(options: NodeDecompressorOptions = {}): Decompressors {
  const chunkSize = 1 << 16;
  return {
    gzip: (input) => throughNode(input, () => zlib.createGunzip({ chunkSize }), 'gzip'),
    deflateRaw: (input) => throughNode(input, () => zlib.createInflateRaw({ chunkSize }), 'deflate'),
    xz: options.xz ?? ((input) => xzChildProcess(input)),
  };
}

/** A file on disk as an ArchiveSource: random reads through a Blob, streams in 1 MiB chunks. */
export async function nodeFileSource(path: string): Promise<ArchiveSource> {
  const [blob, stat] = await Promise.all([fs.openAsBlob(path), fs.promises.stat(path)]);
  return {
    size: stat.size,
    mtime: stat.mtimeMs,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
    stream: () => fs.createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
  };
}

/** Bytes in memory as an ArchiveSource (tests, small inputs). */
export function bytesSource(bytes: Uint8Array, chunkSize = 1 << 16): ArchiveSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(bytes.length, offset + length)),
    stream: async function* () {
      for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, Math.min(bytes.length, at + chunkSize));
    },
  };
}
