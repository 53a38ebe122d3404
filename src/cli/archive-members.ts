import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import zlib from 'node:zlib';
import { detectCompression, SNIFF_BYTES, walkArchive, type Decompressors, type Hasher, type WalkEntry, type WalkOptions } from '../core/archive/index';
import { createNodeDecompressors, nodeFileSource } from '../node/archive/decompressors';

/**
 * Which evidence files the CLI opens as archives (tar, tar.gz, tar.xz, zip, nested), and their
 * members through the core's walker, as the ingest worker does. A plain or gzip-compressed log
 * stays with readEvidence (its own messages for corrupt gzip and bombs).
 */

/** Raw bytes decoded to see whether a gzip file holds a tar. */
const GZIP_PROBE_BYTES = 64 * 1024;

let shared: Decompressors | undefined;
export function cliDecompressors(): Decompressors {
  shared ??= createNodeDecompressors();
  return shared;
}

export function nodeHasher(): Hasher {
  const hash = createHash('sha256');
  return { update: (chunk) => { hash.update(chunk); }, digest: () => hash.digest('hex') };
}

/** True when the file must go through the archive walker rather than be read as one log. */
export async function needsWalk(path: string): Promise<boolean> {
  let head: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(GZIP_PROBE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, GZIP_PROBE_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return false; // readEvidence says why it cannot be read
  }
  const kind = detectCompression(head.subarray(0, SNIFF_BYTES));
  if (kind === 'none') return false;
  if (kind !== 'gzip') return true;
  try {
    // Sync flush: decodes what is there of a stream cut at the probe size, without an error.
    const decoded = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return detectCompression(decoded.subarray(0, SNIFF_BYTES)) === 'tar';
  } catch {
    return false;
  }
}

export async function walkFile(path: string, bundlePath: string, options: WalkOptions = {}): Promise<AsyncGenerator<WalkEntry>> {
  return walkArchive(await nodeFileSource(path), bundlePath, cliDecompressors(), options);
}
