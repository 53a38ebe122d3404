import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectBytes, openEvidenceStream, type Hasher } from '../../../../src/core/archive';
import { cliDecompressors } from '../../../../src/cli/archive-members';
import { chunked, lcgText } from './helpers';

/**
 * A hasher in another thread (the ingest worker's hash worker) answers later: update() may return a
 * promise while it is behind, and digest() a promise. The evidence stream waits for both, in order.
 */
function laggingHasher(log: string[]): Hasher {
  const hash = createHash('sha256');
  let pending = 0;
  return {
    update(chunk) {
      const copy = chunk.slice();
      pending++;
      log.push(`update ${copy.length}`);
      // Every other chunk is hashed "later", as a worker that fell behind would.
      if (pending % 2 === 0) {
        return new Promise<void>((resolve) => setTimeout(() => { hash.update(copy); resolve(); }, 1));
      }
      hash.update(copy);
      return undefined;
    },
    digest: () => new Promise<string>((resolve) => setTimeout(() => resolve(hash.digest('hex')), 2)),
  };
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('openEvidenceStream with a hasher that answers later', () => {
  it('hashes every stored byte in order and gives the digest of the file as stored', async () => {
    const text = lcgText(300_000, 3);
    const stored = gzipSync(text);
    const log: string[] = [];
    const stream = await openEvidenceStream(chunked(stored, 4_099), stored.length, cliDecompressors(), laggingHasher(log));
    expect(stream.compression).toBe('gzip');
    expect(await collectBytes(stream.chunks, 1 << 30, () => new Error('too large'))).toEqual(text);
    const end = await stream.finish();
    expect(end).toEqual({ sha256: sha(stored), bytes: stored.length });
    expect(log.length).toBe(Math.ceil(stored.length / 4_099));
  });

  it('hashes what the parser did not read when it stops early', async () => {
    const text = lcgText(100_000, 5);
    const stream = await openEvidenceStream(chunked(text, 1_000), text.length, cliDecompressors(), laggingHasher([]));
    for await (const chunk of stream.chunks) if (chunk.length > 0) break;
    expect(await stream.finish()).toEqual({ sha256: sha(text), bytes: text.length });
  });

  it('a digest that fails gives no SHA-256 and says why, and does not throw', async () => {
    const text = lcgText(10_000, 9);
    const failing: Hasher = { update: () => undefined, digest: () => Promise.reject(new Error('the hash worker failed')) };
    const stream = await openEvidenceStream(chunked(text, 512), text.length, cliDecompressors(), failing);
    await collectBytes(stream.chunks, 1 << 30, () => new Error('too large'));
    expect(await stream.finish()).toEqual({ sha256: null, bytes: text.length, error: 'SHA-256 not computed (the hash worker failed)' });
  });
});
