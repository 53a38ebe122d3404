/**
 * Stream plumbing of the ingest worker: open a source, hash and count its raw bytes as they
 * pass, decompress gzip (found by its magic bytes, not its name), and guard against bombs.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import type { IngestSource } from './contract';

export interface OpenedSource {
  /** Decompressed bytes. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Resolves once the raw stream has been read to its end. */
  readonly sha256: () => string;
  readonly compression: 'gzip' | 'none';
}

/** Decompressed output may be at most this many times the compressed size (plus a floor). */
export const MAX_EXPANSION_RATIO = 200;
export const EXPANSION_FLOOR_BYTES = 1 << 30;

export class DecompressionBombError extends Error {
  constructor(limit: number) {
    super(`decompressed size passed ${limit} bytes (more than ${MAX_EXPANSION_RATIO}× the file): looks like a decompression bomb; stopped`);
    this.name = 'DecompressionBombError';
  }
}

async function rawStream(source: IngestSource): Promise<ReadableStream<Uint8Array>> {
  if (source.kind === 'file') return source.file.stream();
  const response = await fetch(source.url);
  if (!response.ok || response.body === null) throw new Error(`could not read ${source.path}: HTTP ${response.status}`);
  return response.body;
}

/** Reads the first chunk and hands back a stream that still starts with it. */
async function peek(stream: ReadableStream<Uint8Array>): Promise<[Uint8Array, ReadableStream<Uint8Array>]> {
  const reader = stream.getReader();
  const first = await reader.read();
  const head = first.done ? new Uint8Array(0) : first.value;
  let sentHead = first.done;
  const rest = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return [head, rest];
}

export async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function openSource(source: IngestSource, sizeHint: number, onRawBytes: (n: number) => void): Promise<OpenedSource> {
  const hasher: IHasher = await createSHA256();
  hasher.init();
  let digest = '';
  const [head, stream] = await peek(await rawStream(source));
  const hashing = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hasher.update(chunk);
      onRawBytes(chunk.length);
      controller.enqueue(chunk);
    },
    flush() {
      digest = hasher.digest('hex');
    },
  });
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  let output = stream.pipeThrough(hashing);
  if (gzip) {
    const limit = Math.max(EXPANSION_FLOOR_BYTES, sizeHint * MAX_EXPANSION_RATIO);
    let produced = 0;
    const guard = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        produced += chunk.length;
        if (produced > limit) controller.error(new DecompressionBombError(limit));
        else controller.enqueue(chunk);
      },
    });
    output = output.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>).pipeThrough(guard);
  }
  return {
    chunks: iterate(output),
    sha256: () => digest,
    compression: gzip ? 'gzip' : 'none',
  };
}

/** Reads a small text file whole (hostname files). */
export async function readSmallText(source: IngestSource, maxBytes = 4096): Promise<string> {
  const stream = await rawStream(source);
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for await (const chunk of iterate(stream)) {
    read += chunk.length;
    text += decoder.decode(chunk, { stream: true });
    if (read >= maxBytes) break;
  }
  return text;
}
