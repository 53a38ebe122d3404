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
import { PieceGatherer } from './pieces';
import type { XzRequest, XzReply } from './xz-contract';

let ready: Promise<unknown> | undefined;

/**
 * Decoded bytes cross to the ingest worker in pieces of this size, not the decoder's 64 KiB: each
 * crossing costs (~0.1 ms), and each piece waiting in the stream between the two workers is memory
 * (1 MiB pieces doubled the ingest worker's ArrayBuffers).
 */
const PIECE = 256 * 1024;

/** Gathers the decoder's output into PIECE-sized chunks (the last one shorter). */
function inPieces(): TransformStream<Uint8Array, Uint8Array> {
  const pieces = new PieceGatherer(PIECE);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      pieces.push(chunk, (piece) => controller.enqueue(piece));
    },
    flush(controller) {
      const rest = pieces.rest();
      if (rest !== undefined) controller.enqueue(rest);
    },
  });
}

self.onmessage = (event: MessageEvent<XzRequest>) => {
  const { id, input } = event.data;
  const reply = (message: XzReply, transfer: Transferable[] = []): void => self.postMessage(message, transfer);
  void (async () => {
    try {
      ready ??= initModule(() => createLzmaModule({ locateFile: () => lzmaWasmUrl }));
      await ready;
      const output = input.pipeThrough(createUnxz() as unknown as TransformStream<Uint8Array, Uint8Array>).pipeThrough(inPieces());
      reply({ id, output }, [output]);
    } catch (error) {
      reply({ id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
};
