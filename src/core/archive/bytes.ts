/**
 * Byte plumbing over AsyncIterable<Uint8Array> (core has no web-stream types): a pull reader that
 * hands out views of the current chunk (no copy unless a read spans chunks), and a head peek that
 * replays what it read. Memory stays at one source chunk plus what the caller asked for.
 */

const EMPTY = new Uint8Array(0);

export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  private ended = false;
  /** Bytes handed out or skipped so far. */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** True once the current chunk is used up; pulls the next non-empty chunk. False at the end. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const step = await this.iterator.next();
      if (step.done === true) {
        this.ended = true;
        this.chunk = EMPTY;
        this.pos = 0;
        return false;
      }
      this.chunk = step.value;
      this.pos = 0;
    }
    return true;
  }

  /** Up to `max` bytes (max > 0) as a view of the current chunk; an empty array at the end of the stream. */
  async read(max: number): Promise<Uint8Array> {
    if (!(await this.fill())) return EMPTY;
    const end = Math.min(this.chunk.length, this.pos + max);
    const out = this.chunk.subarray(this.pos, end);
    this.offset += end - this.pos;
    this.pos = end;
    return out;
  }

  /** Exactly `n` bytes, or fewer if the stream ends first. A view when they sit in one chunk, else a copy. */
  async readExact(n: number): Promise<Uint8Array> {
    const first = await this.read(n);
    if (first.length === n || first.length === 0) return first;
    const out = new Uint8Array(n);
    out.set(first, 0);
    let filled = first.length;
    while (filled < n) {
      const part = await this.read(n - filled);
      if (part.length === 0) return out.subarray(0, filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Skips `n` bytes; returns how many were skipped (fewer at the end of the stream). */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) break;
      const take = Math.min(left, this.chunk.length - this.pos);
      this.pos += take;
      this.offset += take;
      left -= take;
    }
    return n - left;
  }

  /** Reads to the end, discarding; returns the byte count. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const skipped = await this.skip(1 << 30);
      total += skipped;
      if (skipped < 1 << 30) return total;
    }
  }

  /** Stops the source early (its `return()`), e.g. to cancel a decompressor. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.chunk = EMPTY;
    await this.iterator.return?.();
  }
}

export interface Peeked {
  /** The first bytes (at most the number asked for; fewer only if the stream is shorter). */
  readonly head: Uint8Array;
  /** The whole stream again, head included. Iterate it once. */
  readonly stream: AsyncIterable<Uint8Array>;
}

/** Reads the first `n` bytes of a stream and hands back a stream that still starts with them. */
export async function peekHead(source: AsyncIterable<Uint8Array>, n: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const step = await iterator.next();
    if (step.done === true) {
      ended = true;
      break;
    }
    if (step.value.length === 0) continue;
    held.push(step.value);
    have += step.value.length;
  }
  const head = held.length === 1 ? held[0]!.subarray(0, n) : concatBytes(held, n);
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = ended;
    try {
      while (held.length > 0) yield held.shift()!;
      while (!finished) {
        const step = await iterator.next();
        if (step.done === true) {
          finished = true;
          return;
        }
        yield step.value;
      }
    } finally {
      if (!finished) await iterator.return?.();
    }
  }
  return { head, stream: replay() };
}

/** Concatenates chunks, keeping at most `limit` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], limit = Number.POSITIVE_INFINITY): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads a whole stream into one array; throws `onTooLarge()` past `limit` bytes. */
export async function collectBytes(
  source: AsyncIterable<Uint8Array>,
  limit: number,
  onTooLarge: () => Error,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw onTooLarge();
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** One array as a stream of chunks of at most `chunkSize` bytes (views, no copy). */
export async function* bytesToStream(bytes: Uint8Array, chunkSize = 1 << 16): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, Math.min(bytes.length, at + chunkSize));
}
