/**
 * Gathers byte chunks into pieces of one size (copied in), for bytes that cross between workers:
 * each message costs about the same whatever its size, so fewer, larger ones are cheaper.
 */
/** The room a piece starts with. */
const FIRST_ROOM = 64 * 1024;

export class PieceGatherer {
  /** Grown as bytes come, up to the size: a hasher per small file should not cost a whole piece. */
  private piece: Uint8Array | undefined;
  private filled = 0;

  constructor(private readonly size: number) {}

  /** Copies `chunk` in; `emit` gets each piece as it fills (the gatherer starts a new one). */
  push(chunk: Uint8Array, emit: (piece: Uint8Array) => void): void {
    for (let from = 0; from < chunk.length; ) {
      this.piece ??= new Uint8Array(Math.min(this.size, Math.max(FIRST_ROOM, chunk.length - from)));
      if (this.filled === this.piece.length) {
        const grown = new Uint8Array(Math.min(this.size, this.piece.length * 2));
        grown.set(this.piece);
        this.piece = grown;
      }
      const n = Math.min(chunk.length - from, this.piece.length - this.filled);
      this.piece.set(chunk.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === this.size) {
        emit(this.piece);
        this.piece = undefined;
        this.filled = 0;
      }
    }
  }

  /** What was gathered since the last full piece, as a piece of its own (undefined when nothing). */
  rest(): Uint8Array | undefined {
    if (this.filled === 0 || this.piece === undefined) return undefined;
    const rest = this.piece.slice(0, this.filled);
    this.filled = 0;
    return rest;
  }
}
