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

/** The key of a kernel event: (host, second, message), as text (see duplicateHash for what the index holds). */
export function duplicateKey(event: PendingEvent): string | undefined {
  const dataset = event.fields['event.dataset'];
  if (typeof dataset !== 'string' || !DEDUPLICATED_DATASETS.has(dataset)) return undefined;
  const message = event.fields['message'];
  if (typeof message !== 'string') return undefined;
  return `${String(event.fields['host.name'] ?? '')}\u0000${Math.floor(event.timestamp / 1000)}\u0000${message}`;
}

/** hash53 of duplicateKey(event), computed over its parts without building the key text. */
export function duplicateHash(event: PendingEvent): number | undefined {
  const dataset = event.fields['event.dataset'];
  if (typeof dataset !== 'string' || !DEDUPLICATED_DATASETS.has(dataset)) return undefined;
  const message = event.fields['message'];
  if (typeof message !== 'string') return undefined;
  const state = keyHash.reset();
  const host = event.fields['host.name'];
  state.add(typeof host === 'string' ? host : String(host ?? ''));
  state.addCode(0);
  state.addDecimal(Math.floor(event.timestamp / 1000));
  state.addCode(0);
  state.add(message);
  return state.digest();
}

export interface DuplicateIndex {
  /**
   * The id of the event stored earlier under `hash` (duplicateHash) from another file, or
   * undefined after registering `id` (from `fileId`) as the event kept for that hash.
   */
  seen(hash: number, id: number, fileId: number): number | undefined;
}

/**
 * cyrb53 over 32-bit words (two UTF-16 units each, so half the multiplies of the per-character
 * form): a fast 53-bit string hash, so the index holds numbers rather than whole lines. Parts
 * added one after the other hash as their concatenation (an odd unit waits for the next part).
 */
class Hash53 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  /** A unit waiting for its pair, or -1. */
  private pending = -1;
  private length = 0;
  private readonly digits = new Uint8Array(16);

  reset(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    this.pending = -1;
    this.length = 0;
    return this;
  }

  /** add(String(n)) without making the string: a kernel line's second is hashed once per line. */
  addDecimal(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.add(String(n));
      return;
    }
    let count = 0;
    do {
      this.digits[count++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    while (count > 0) this.addCode(this.digits[--count]!);
  }

  add(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    let i = 0;
    const n = text.length;
    this.length += n;
    if (this.pending >= 0 && n > 0) {
      const w = this.pending | (text.charCodeAt(0) << 16);
      h1 = Math.imul(h1 ^ w, 2654435761);
      h2 = Math.imul(h2 ^ w, 1597334677);
      this.pending = -1;
      i = 1;
    }
    for (; i + 1 < n; i += 2) {
      const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ w, 2654435761);
      h2 = Math.imul(h2 ^ w, 1597334677);
    }
    if (i < n) this.pending = text.charCodeAt(i);
    this.h1 = h1;
    this.h2 = h2;
  }

  addCode(c: number): void {
    this.length++;
    if (this.pending < 0) {
      this.pending = c;
      return;
    }
    const w = this.pending | (c << 16);
    this.pending = -1;
    this.h1 = Math.imul(this.h1 ^ w, 2654435761);
    this.h2 = Math.imul(this.h2 ^ w, 1597334677);
  }

  digest(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    if (this.pending >= 0) {
      h1 = Math.imul(h1 ^ this.pending, 2654435761);
      h2 = Math.imul(h2 ^ this.pending, 1597334677);
    }
    // The length tells a lone last unit ("a") from a pair with a zero unit ("a\u0000").
    h1 = Math.imul(h1 ^ this.length, 2654435761);
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

/** Reused for every key: one hash is computed at a time. */
const keyHash = new Hash53();

export function hash53(text: string): number {
  const state = new Hash53();
  state.add(text);
  return state.digest();
}

/**
 * An index over one ingest. It keeps a 53-bit hash per kernel line, not the line: an open-addressing
 * table in typed arrays (20 bytes a slot, no object per entry, so a million kernel lines cost the
 * garbage collector nothing). The same key within one file is not a duplicate (a file may log a
 * packet twice).
 */
export class HashedDuplicateIndex implements DuplicateIndex {
  /** hash + 1 per slot; 0 = empty. */
  private hashes = new Float64Array(1 << 12);
  private ids = new Float64Array(1 << 12);
  private files = new Uint32Array(1 << 12);
  private size = 0;

  seen(hash: number, id: number, fileId: number): number | undefined {
    const slot = this.find(hash);
    if (this.hashes[slot] !== 0) return this.files[slot] !== fileId ? this.ids[slot] : undefined;
    this.hashes[slot] = hash + 1;
    this.ids[slot] = id;
    this.files[slot] = fileId;
    if (++this.size * 2 > this.hashes.length) this.grow();
    return undefined;
  }

  /** The slot holding `hash`, or the empty slot where it would go (linear probing). */
  private find(hash: number): number {
    const mask = this.hashes.length - 1;
    const stored = hash + 1;
    // The low 32 bits of a cyrb53 hash are well mixed.
    let slot = (hash >>> 0) & mask;
    for (;;) {
      const at = this.hashes[slot]!;
      if (at === 0 || at === stored) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { hashes, ids, files } = this;
    this.hashes = new Float64Array(hashes.length * 2);
    this.ids = new Float64Array(hashes.length * 2);
    this.files = new Uint32Array(hashes.length * 2);
    for (let i = 0; i < hashes.length; i++) {
      if (hashes[i] === 0) continue;
      const slot = this.find(hashes[i]! - 1);
      this.hashes[slot] = hashes[i]!;
      this.ids[slot] = ids[i]!;
      this.files[slot] = files[i]!;
    }
  }
}
