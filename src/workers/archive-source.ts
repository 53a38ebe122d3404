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

let decompressors: Decompressors | undefined;

/** gzip and deflate natively, xz in wasm; the wasm module is loaded on the first xz stream. */
export function workerDecompressors(): Decompressors {
  decompressors ??= createWebDecompressors({
    xz: async () => {
      // The glue finds its .wasm by URL; Vite gives the built asset's URL.
      await initModule(() => createLzmaModule({ locateFile: () => lzmaWasmUrl }));
      return createUnxz();
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
