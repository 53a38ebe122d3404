import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostIndex } from '../../../../src/core/detect/runner';
import { BLOCK_CAPACITY } from '../../../../src/core/model/block';

/** The rule written plainly: an event's own host when it differs from its block's first, else the block's first. */
class PlainHostIndex {
  private readonly byBlock = new Map<number, string>();
  private readonly exceptions = new Map<number, string>();
  add(id: number, host: string | undefined): void {
    if (host === undefined) return;
    const block = Math.floor(id / BLOCK_CAPACITY);
    const first = this.byBlock.get(block);
    if (first === undefined) this.byBlock.set(block, host);
    else if (first !== host) this.exceptions.set(id, host);
  }
  hostOf(id: number): string | undefined {
    return this.exceptions.get(id) ?? this.byBlock.get(Math.floor(id / BLOCK_CAPACITY));
  }
}

describe('HostIndex', () => {
  it('gives every event the host the plain rule gives, blocks of one host and mixed, interleaved, with host-less events', () => {
    const push = fc.record({
      block: fc.integer({ min: 0, max: 5 }),
      index: fc.integer({ min: 0, max: BLOCK_CAPACITY - 1 }),
      host: fc.option(fc.constantFrom('region-1', 'rack-1', 'rack-2', 'maas.example'), { nil: undefined, freq: 4 }),
    });
    fc.assert(fc.property(fc.array(push, { maxLength: 300 }), (pushes) => {
      const index = new HostIndex();
      const plain = new PlainHostIndex();
      const seen = new Set<number>();
      for (const p of pushes) {
        const id = p.block * BLOCK_CAPACITY + p.index;
        if (seen.has(id)) continue;
        seen.add(id);
        index.add(id, p.host);
        plain.add(id, p.host);
      }
      for (const id of seen) expect(index.hostOf(id)).toBe(plain.hostOf(id));
      expect(index.hostOf(9 * BLOCK_CAPACITY)).toBeUndefined();
    }), { numRuns: 500 });
  });
});
