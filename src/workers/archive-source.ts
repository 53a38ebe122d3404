// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ?url declaration must reach tests that import this file
/// <reference path="./assets.d.ts" />
/**
 * The worker's side of archive reading: a dropped File or a fetchable URL as an ArchiveSource, the
 * browser decompressors with node-liblzma's wasm xz decoder (the measured choice, see
 * decompressors.ts), and SHA-256 through hash-wasm.
 */
import { createSHA256 } from 'hash-wasm';
import { createUnxz, initModule } from 'node-liblzma/wasm';
import createLzmaModule from 'node-liblzma/wasm/liblzma.js';
import lzmaWasmUrl from 'node-liblzma/wasm/liblzma.wasm?url';
import type { ArchiveSource, ByteStream, Decompressors, Hasher } from '../core/archive';
import type { IngestSource } from './contract';
import { blobArchiveSource, createWebDecompressors } from './decompressors';
import { iterate } from './byte-streams';
import type { XzReply, XzRequest } from './xz-contract';

let decompressors: Decompressors | undefined;

/** xz decoded in this thread: the wasm module is loaded on the first xz stream. */
async function localXz(): Promise<TransformStream<Uint8Array, Uint8Array>> {
  // The glue finds its .wasm by URL; Vite gives the built asset's URL.
  await initModule(() => createLzmaModule({ locateFile: () => lzmaWasmUrl }));
  return createUnxz();
}

let xzWorker: Worker | undefined;
/** Set when the xz worker failed to start: decoding stays in this thread from then on. */
let xzWorkerBroken = false;
let nextXzId = 0;
const xzReplies = new Map<number, (reply: XzReply) => void>();

/**
 * xz decoded in a worker of its own (xz.worker.ts), so that decoding and parsing run on two cores:
 * the compressed stream goes there and the decoded one comes back, both transferred. Where a
 * worker cannot start (or streams cannot be transferred), decoding stays in this thread.
 */
async function remoteXz(): Promise<TransformStream<Uint8Array, Uint8Array>> {
  if (xzWorker === undefined) {
    xzWorker = new Worker(new URL('./xz.worker.ts', import.meta.url), { type: 'module', name: 'xz' });
    xzWorker.onmessage = (event: MessageEvent<XzReply>) => {
      const resolve = xzReplies.get(event.data.id);
      xzReplies.delete(event.data.id);
      resolve?.(event.data);
    };
    xzWorker.onerror = (event) => {
      xzWorkerBroken = true;
      xzWorker = undefined;
      for (const [id, resolve] of xzReplies) resolve({ id, error: `the xz worker failed (${event.message})` });
      xzReplies.clear();
    };
  }
  const worker = xzWorker;
  const bridge = new TransformStream<Uint8Array, Uint8Array>();
  const id = nextXzId++;
  const reply = new Promise<XzReply>((resolve) => xzReplies.set(id, resolve));
  worker.postMessage({ id, input: bridge.readable } satisfies XzRequest, [bridge.readable]);
  const answer = await reply;
  if ('error' in answer) throw new Error(answer.error);
  return { writable: bridge.writable, readable: answer.output };
}

let streamsTransfer: boolean | undefined;

/** Whether this context can start a worker and transfer a stream to it (checked once). */
function canTransferStreams(): boolean {
  streamsTransfer ??= probeStreamTransfer();
  return streamsTransfer;
}

function probeStreamTransfer(): boolean {
  if (typeof Worker === 'undefined' || typeof MessageChannel === 'undefined') return false;
  try {
    const stream = new ReadableStream();
    const channel = new MessageChannel();
    channel.port1.postMessage(stream, [stream as unknown as Transferable]);
    channel.port1.close();
    channel.port2.close();
    return true;
  } catch {
    return false;
  }
}

/** gzip and deflate natively, xz in wasm (in its own worker where one can start). */
export function workerDecompressors(): Decompressors {
  decompressors ??= createWebDecompressors({
    xz: async () => {
      if (xzWorkerBroken || !canTransferStreams()) return localXz();
      try {
        return await remoteXz();
      } catch {
        return localXz();
      }
    },
  });
  return decompressors;
}

export async function sha256Hasher(): Promise<Hasher> {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (chunk) => { hasher.update(chunk); }, digest: () => hasher.digest('hex') };
}


/**
 * A URL (the demo, or a file the desktop shell serves) as an ArchiveSource: streamed with fetch;
 * random reads (zip) with Range requests, or, from a server that ignores Range, a Blob of the whole.
 */
function urlArchiveSource(url: string, size: number, mtime: number): ArchiveSource {
  let whole: Promise<Blob> | undefined;
  const fetchOk = async (init?: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    if (!response.ok || response.body === null) throw new Error(`could not read ${url}: HTTP ${response.status}`);
    return response;
  };
  return {
    size,
    mtime,
    async read(offset, length) {
      if (length <= 0 || offset >= size) return new Uint8Array(0);
      if (whole === undefined) {
        const response = await fetchOk({ headers: { Range: `bytes=${offset}-${Math.min(size, offset + length) - 1}` } });
        if (response.status === 206) return new Uint8Array(await response.arrayBuffer());
        whole = response.blob();
      }
      return new Uint8Array(await (await whole).slice(offset, offset + length).arrayBuffer());
    },
    stream: (): ByteStream => ({
      async *[Symbol.asyncIterator]() {
        yield* iterate((await fetchOk()).body!);
      },
    }),
  };
}

export function archiveSourceOf(source: IngestSource): ArchiveSource {
  return source.kind === 'file' ? blobArchiveSource(source.file, source.file.lastModified) : urlArchiveSource(source.url, source.bytes, source.lastModified);
}
