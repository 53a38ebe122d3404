import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PieceGatherer } from '../../../src/workers/pieces';

describe('PieceGatherer', () => {
  it('gives the bytes pushed, in order, in full pieces and one shorter rest, whatever the chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300_000 }), { maxLength: 12 }), fc.constantFrom(1, 7, 65_536, 200_000, 1 << 20), (chunks, size) => {
        const gatherer = new PieceGatherer(size);
        const pieces: Uint8Array[] = [];
        for (const chunk of chunks) gatherer.push(chunk, (piece) => pieces.push(piece));
        const rest = gatherer.rest();
        for (const piece of pieces) expect(piece.length).toBe(size);
        if (rest !== undefined) expect(rest.length).toBeGreaterThan(0);
        if (rest !== undefined) expect(rest.length).toBeLessThan(size);
        const joined = Buffer.concat([...pieces, ...(rest === undefined ? [] : [rest])]);
        expect(joined.equals(Buffer.concat(chunks))).toBe(true);
        expect(gatherer.rest()).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('pieces are copies: changing a chunk afterwards changes nothing', () => {
    const gatherer = new PieceGatherer(4);
    const pieces: Uint8Array[] = [];
    const chunk = new Uint8Array([1, 2, 3, 4, 5, 6]);
    gatherer.push(chunk, (piece) => pieces.push(piece));
    chunk.fill(0);
    expect([...pieces[0]!]).toEqual([1, 2, 3, 4]);
    expect([...gatherer.rest()!]).toEqual([5, 6]);
  });
});
