import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/core/text/line-splitter';

interface Line { text: string; line: number; offset: number }

function split(chunks: Uint8Array[], max?: number): { lines: Line[]; stats: ReturnType<LineSplitter['end']> } {
  const lines: Line[] = [];
  const splitter = new LineSplitter((text, line, offset) => lines.push({ text, line, offset }), max);
  for (const c of chunks) splitter.push(c);
  const stats = splitter.end();
  return { lines, stats };
}

const enc = new TextEncoder();

/** Cuts bytes into chunks at the given positions. */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) { chunks.push(bytes.subarray(prev, p)); prev = p; }
  chunks.push(bytes.subarray(prev));
  return chunks;
}

describe('LineSplitter', () => {
  it('gives each line its number and byte offset, across chunk borders, with multi-byte text', () => {
    const bytes = enc.encode('héllo\nwörld ✓\r\n\nlast');
    const { lines } = split(cut(bytes, [2, 3, 9, 15]));
    expect(lines).toEqual([
      { text: 'héllo', line: 1, offset: 0 },
      { text: 'wörld ✓', line: 2, offset: 7 },
      { text: '', line: 3, offset: 19 },
      { text: 'last', line: 4, offset: 20 },
    ]);
  });

  it('does not invent a line after a final newline, and an empty stream has none', () => {
    expect(split([enc.encode('a\nb\n')]).lines.map((l) => l.text)).toEqual(['a', 'b']);
    expect(split([]).lines).toEqual([]);
    expect(split([new Uint8Array(0)]).stats.lines).toBe(0);
  });

  it('cuts an over-long line, counts it, and goes on with the next line intact', () => {
    const long = 'x'.repeat(5000);
    for (const chunks of [[enc.encode(`${long}\nnext\n`)], cut(enc.encode(`${long}\nnext\n`), [100, 2000, 4999, 5001])]) {
      const { lines, stats } = split(chunks, 1000);
      expect(lines.map((l) => l.text.length)).toEqual([1000, 4]);
      expect(lines[1]).toEqual({ text: 'next', line: 2, offset: 5001 });
      expect(stats.truncatedLines).toBe(1);
      expect(stats.firstTruncatedLine).toBe(1);
    }
  });

  it('replaces invalid UTF-8 and says which line had it', () => {
    const bytes = new Uint8Array([...enc.encode('ok\nD'), 0xe9, ...enc.encode('c\nfine\n')]);
    const { lines, stats } = split([bytes]);
    expect(lines.map((l) => l.text)).toEqual(['ok', 'D\uFFFDc', 'fine']);
    expect(stats.invalidUtf8Lines).toBe(1);
    expect(stats.firstInvalidUtf8Line).toBe(2);
    expect(lines[2]!.offset).toBe(7);
  });

  it('property: any bytes cut anywhere give the same lines as splitting the whole text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('\n', '\r\n', 'é', '✓', '😀')), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const text = parts.join('');
        const bytes = enc.encode(text);
        const { lines, stats } = split(cut(bytes, cuts));
        const expected = text.split('\n');
        if (expected[expected.length - 1] === '') expected.pop();
        expect(lines.map((l) => l.text)).toEqual(expected.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
        expect(stats.lines).toBe(expected.length);
        expect(stats.bytes).toBe(bytes.length);
        // Offsets point at the first byte of each line.
        let offset = 0;
        for (let i = 0; i < lines.length; i++) {
          expect(lines[i]!.offset).toBe(offset);
          offset += enc.encode(expected[i]!).length + 1;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a chunk of several 64 KiB regions gives what small chunks give (lines across region borders, multi-byte chars cut, long and invalid lines)', () => {
    let seed = 5;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const pieces = ['abc', 'é', '✓', '😀', ' ', '\n', '\r\n', 'x'.repeat(3000)];
    let text = '';
    while (text.length < 400_000) text += pieces[next(pieces.length)]!;
    const bytes = enc.encode(text);
    // An invalid UTF-8 byte inside a line, past the first region.
    bytes[100_000] = 0xff;
    const whole = split([bytes], 5000);
    const small = split(cut(bytes, Array.from({ length: 200 }, (_, i) => i * 2_003)), 5000);
    expect(whole.lines).toEqual(small.lines);
    expect(whole.stats).toEqual(small.stats);
    expect(whole.stats.invalidUtf8Lines).toBe(1);
    expect(whole.stats.truncatedLines).toBeGreaterThan(0);
  });
});
