/// <reference lib="webworker" />
/**
 * SHA-256 of evidence files off the ingest worker's thread: the ingest worker sends copies of the
 * stored bytes here as it reads them and asks for the digest at the end. Hashing (~9 % of the
 * ingest worker's time in a profile of a 200 MB sos report) then runs on the other core, beside
 * parsing. Several hashes may be open at once (an archive and its members), told apart by id.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import type { HashReply, HashRequest } from './hash-contract';

const open = new Map<number, Promise<IHasher>>();
/** Hashes that failed: their later messages (sent before the sender heard) are dropped, not begun anew. */
const failed = new Set<number>();

function hasherOf(id: number): Promise<IHasher> {
  let hasher = open.get(id);
  if (hasher === undefined) {
    hasher = createSHA256().then((h) => h.init());
    open.set(id, hasher);
  }
  return hasher;
}

// Messages are handled one after another, so a hash's updates are applied in the order sent.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<HashRequest>) => {
  const request = event.data;
  queue = queue.then(async () => {
    const reply = (message: HashReply): void => self.postMessage(message);
    if (failed.has(request.id)) {
      if (request.kind === 'digest') failed.delete(request.id);
      return;
    }
    try {
      const hasher = await hasherOf(request.id);
      if (request.kind === 'update') {
        hasher.update(new Uint8Array(request.bytes));
        reply({ id: request.id, kind: 'ack', bytes: request.bytes.byteLength });
      } else {
        open.delete(request.id);
        reply({ id: request.id, kind: 'digest', hex: hasher.digest('hex') });
      }
    } catch (error) {
      open.delete(request.id);
      if (request.kind === 'update') failed.add(request.id);
      reply({ id: request.id, kind: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  });
};
