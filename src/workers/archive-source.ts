// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ?url declaration must reach tests that import this file
/// <reference path="./assets.d.ts" />
/**
 * The worker's side of archive reading: a dropped File or a fetchable URL as an ArchiveSource, the
 * browser decompressors with node-liblzma's wasm xz decoder (the measured choice, see
 * decompressors.ts), and SHA-256 through hash-wasm (in a worker of its own where one starts).
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
import type { HashReply, HashRequest } from './hash-contract';
import { PieceGatherer } from './pieces';

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

/** SHA-256 in this thread. */
async function localSha256(): Promise<Hasher> {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (chunk) => { hasher.update(chunk); }, digest: () => hasher.digest('hex') };
}

/** SHA-256 of the empty input: what the hash worker must answer before it is trusted. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Bytes sent to the hash worker and not yet hashed, per hash, above which update() waits. */
const MAX_UNHASHED = 8 << 20;
/** Bytes gathered before they are sent: one message per MiB, not one per 64 KiB chunk (each message costs ~0.1 ms). */
const HASH_BATCH = 1 << 20;

let hashWorker: Promise<Worker | undefined> | undefined;
/** Set when the hash worker failed after it started: hashing stays in this thread from then on. */
let hashWorkerBroken = false;
let nextHashId = 0;
const hashListeners = new Map<number, (reply: HashReply) => void>();

/**
 * The hash worker (hash.worker.ts), started once and checked with one digest; undefined where a
 * worker cannot start or does not answer right, and hashing stays in this thread.
 */
function startHashWorker(): Promise<Worker | undefined> {
  hashWorker ??= (async () => {
    if (typeof Worker === 'undefined') return undefined;
    let worker: Worker;
    try {
      worker = new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'hash' });
    } catch {
      return undefined;
    }
    worker.onmessage = (event: MessageEvent<HashReply>) => hashListeners.get(event.data.id)?.(event.data);
    worker.onerror = (event) => {
      hashWorkerBroken = true;
      for (const [id, listener] of hashListeners) listener({ id, kind: 'error', error: `the hash worker failed (${event.message})` });
      hashListeners.clear();
    };
    const probe = remoteSha256(worker);
    const answer = await Promise.race([
      Promise.resolve(probe.digest()).catch(() => ''),
      new Promise<string>((resolve) => setTimeout(() => resolve(''), 10_000)),
    ]);
    if (answer === EMPTY_SHA256) return worker;
    worker.terminate();
    return undefined;
  })();
  return hashWorker;
}

/**
 * SHA-256 in the hash worker: chunks are copied into a batch (the parser still reads the
 * originals) that is transferred there when full, and update() waits while more than MAX_UNHASHED
 * bytes are on their way, so memory stays bounded even if hashing falls behind.
 */
function remoteSha256(worker: Worker): Hasher {
  const id = nextHashId++;
  let unhashed = 0;
  let failure: string | undefined;
  let wake: (() => void) | undefined;
  let settle: { resolve: (hex: string) => void; reject: (error: Error) => void } | undefined;
  hashListeners.set(id, (reply) => {
    if (reply.kind === 'ack') {
      unhashed -= reply.bytes;
      if (wake !== undefined && unhashed <= MAX_UNHASHED / 2) {
        wake();
        wake = undefined;
      }
      return;
    }
    hashListeners.delete(id);
    if (reply.kind === 'digest') {
      settle?.resolve(reply.hex);
    } else {
      failure = reply.error;
      settle?.reject(new Error(failure));
    }
    wake?.();
    wake = undefined;
  });
  const batches = new PieceGatherer(HASH_BATCH);
  const send = (batch: Uint8Array): void => {
    worker.postMessage({ id, kind: 'update', bytes: batch.buffer as ArrayBuffer } satisfies HashRequest, [batch.buffer]);
    unhashed += batch.byteLength;
  };
  return {
    update(chunk) {
      if (failure !== undefined) throw new Error(failure);
      batches.push(chunk, send);
      return unhashed > MAX_UNHASHED ? new Promise<void>((resolve) => { wake = resolve; }) : undefined;
    },
    digest() {
      return new Promise<string>((resolve, reject) => {
        if (failure !== undefined) {
          reject(new Error(failure));
          return;
        }
        const rest = batches.rest();
        if (rest !== undefined) send(rest);
        settle = { resolve, reject };
        worker.postMessage({ id, kind: 'digest' } satisfies HashRequest);
      });
    },
  };
}

/** SHA-256 for an evidence file: in the hash worker where it runs, else in this thread. */
export async function sha256Hasher(): Promise<Hasher> {
  const worker = await startHashWorker();
  return worker === undefined || hashWorkerBroken ? localSha256() : remoteSha256(worker);
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
