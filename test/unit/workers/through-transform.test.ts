import { describe, expect, it } from 'vitest';
import { DecompressionError } from '../../../src/core/archive';
import { throughTransform } from '../../../src/workers/decompressors';

/** A stored stream: one chunk now, the end only after `endAfterMs` (a read still under way). */
async function* slowInput(endAfterMs: number): AsyncGenerator<Uint8Array> {
  yield new Uint8Array([1, 2, 3]);
  await new Promise((resolve) => setTimeout(resolve, endAfterMs));
}

/**
 * A decoder that fails on its first chunk, as liblzma does on damaged data, in another worker: its
 * output stream tells of the failure only later (a message away), while the pipe has already
 * cancelled the input and a read of it is still under way.
 */
const failingRemoteDecoder = (): TransformStream<Uint8Array, Uint8Array> => {
  const local = new TransformStream<Uint8Array, Uint8Array>({
    transform() {
      throw new Error('LZMA_DATA_ERROR');
    },
  });
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      controller.error(new Error('LZMA_DATA_ERROR'));
    },
  });
  return { writable: local.writable, readable };
};

describe('throughTransform', () => {
  it('a decoder that fails while the input is still being read is reported as the decoder\'s error', async () => {
    const decoded = throughTransform(slowInput(10), failingRemoteDecoder, 'xz');
    const read = (async () => {
      for await (const chunk of decoded) void chunk;
    })();
    await expect(read).rejects.toBeInstanceOf(DecompressionError);
    await expect(read).rejects.toThrow(/xz data is damaged or truncated \(.*LZMA_DATA_ERROR/);
    // Let the input's late end arrive: nothing else goes wrong afterwards.
    await new Promise((resolve) => setTimeout(resolve, 30));
  });

  it('an input that fails is reported as it is', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1]);
      throw new Error('the archive is unreadable');
    }
    const decoded = throughTransform(broken(), () => new TransformStream<Uint8Array, Uint8Array>(), 'xz');
    await expect((async () => { for await (const chunk of decoded) void chunk; })()).rejects.toThrow('the archive is unreadable');
  });
});
