import type { PendingEvent } from '../model/block';

/**
 * rsyslog writes each kernel line to kern.log and to syslog (and ufw.log), and the journal holds it
 * too: the same packet would show two or three times. Kernel events are keyed on (host, time,
 * message); a repeat from another file is kept once, its other places listed as duplicates.
 */

const DEDUPLICATED_DATASETS = new Set(['ufw', 'iptables', 'kernel', 'router.firewall']);

/** A line that repeats an event stored earlier from another file. */
export interface DuplicateLine {
  readonly keptId: number;
  readonly fileId: number;
  readonly line: number;
  readonly lineCount: number;
  readonly offset: number;
}

export function duplicateKey(event: PendingEvent): string | undefined {
  const dataset = event.fields['event.dataset'];
  if (typeof dataset !== 'string' || !DEDUPLICATED_DATASETS.has(dataset)) return undefined;
  const message = event.fields['message'];
  if (typeof message !== 'string') return undefined;
  return `${String(event.fields['host.name'] ?? '')}\u0000${Math.floor(event.timestamp / 1000)}\u0000${message}`;
}

export interface DuplicateIndex {
  /**
   * The id of the event stored earlier under `key` from another file, or undefined after
   * registering `id` (from `fileId`) as the event kept for that key.
   */
  seen(key: string, id: number, fileId: number): number | undefined;
}

/** cyrb53: a fast 53-bit string hash, so the index holds numbers rather than whole lines. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * An index over one ingest. It keeps a 53-bit hash per kernel line (tens of bytes each, not the
 * line); the same key within one file is not a duplicate (a file may log a packet twice).
 */
export class HashedDuplicateIndex implements DuplicateIndex {
  private readonly kept = new Map<number, { readonly id: number; readonly fileId: number }>();

  seen(key: string, id: number, fileId: number): number | undefined {
    const hash = hash53(key);
    const earlier = this.kept.get(hash);
    if (earlier !== undefined && earlier.fileId !== fileId) return earlier.id;
    if (earlier === undefined) this.kept.set(hash, { id, fileId });
    return undefined;
  }
}
