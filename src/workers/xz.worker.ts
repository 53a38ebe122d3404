/// <reference lib="webworker" />
/**
 * xz decoding off the ingest worker's thread: the ingest worker posts the compressed stream here
 * and reads the decoded stream back (both transferred, so backpressure holds across the two and
 * memory stays bounded). Parsing, the ingest worker's work, then overlaps with decoding on the
 * other core. The decoder is node-liblzma's wasm build, as in-thread (archive-source.ts).
 */
import { createUnxz, initModule } from 'node-liblzma/wasm';
import createLzmaModule from 'node-liblzma/wasm/liblzma.js';
import lzmaWasmUrl from 'node-liblzma/wasm/liblzma.wasm?url';
import type { XzRequest, XzReply } from './xz-contract';

let ready: Promise<unknown> | undefined;

self.onmessage = (event: MessageEvent<XzRequest>) => {
  const { id, input } = event.data;
  const reply = (message: XzReply, transfer: Transferable[] = []): void => self.postMessage(message, transfer);
  void (async () => {
    try {
      ready ??= initModule(() => createLzmaModule({ locateFile: () => lzmaWasmUrl }));
      await ready;
      const output = input.pipeThrough(createUnxz() as unknown as TransformStream<Uint8Array, Uint8Array>);
      reply({ id, output }, [output]);
    } catch (error) {
      reply({ id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
};
