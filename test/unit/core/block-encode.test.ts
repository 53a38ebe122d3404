import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_CAPACITY, BlockBuilder, decodeEvent, type EventBlock, type PendingEvent } from '../../../src/core/model/block';
import type { EventFields, FieldValue, ParsedFields } from '../../../src/core/model/event';

/**
 * The block encoder against the rule it must keep, written plainly: every event decodes to the
 * fields it was given, except that a field whose values change kind within a block (a number,
 * then a string) comes back as the text of each value. Events mix a few key orders (as a file
 * interleaves event shapes) and blocks run past the dictionary probe, so columns change builder
 * (to strings, to joined text, to raw references) in the middle of a block.
 */

const KEYS = ['event.action', 'source.ip', 'user.name', 'message', 'source.port', 'event.category', 'sshd.preauth', 'url.original'] as const;

function textOf(value: FieldValue): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function kindOf(value: FieldValue): string {
  return Array.isArray(value) ? 'list' : typeof value;
}

/** What each event of one block must decode to. */
function expectedFields(events: readonly PendingEvent[]): EventFields[] {
  const kinds = new Map<string, Set<string>>();
  // A field whose value is undefined is absent (ParsedFields): it is not stored.
  for (const e of events) for (const [k, v] of Object.entries(e.fields)) if (v !== undefined) kinds.set(k, (kinds.get(k) ?? new Set()).add(kindOf(v)));
  return events.map((e) => {
    const out: EventFields = {};
    for (const [k, v] of Object.entries(e.fields)) if (v !== undefined) out[k] = kinds.get(k)!.size > 1 ? textOf(v) : v;
    return out;
  });
}

const shortText = fc.constantFrom('root', 'admin', 'ubuntu', 'failure', 'success', '', 'a, b', '<script>');
const longText = fc.string({ minLength: 24, maxLength: 60 });
const value: fc.Arbitrary<FieldValue> = fc.oneof(
  { weight: 4, arbitrary: shortText },
  { weight: 2, arbitrary: longText },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 70000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(shortText, { minLength: 1, maxLength: 3 }) },
);

/**
 * A field set: the keys in one of three orders (shapes), some absent: left out, or (as a parser
 * of fixed-shape objects gives them, ParsedFields) present with the value undefined.
 */
const fields = fc.tuple(fc.nat(2), fc.boolean(), fc.array(fc.option(value, { freq: 3 }), { minLength: KEYS.length, maxLength: KEYS.length })).map(([shape, absentAsUndefined, values]) => {
  const order = shape === 0 ? KEYS : shape === 1 ? [...KEYS].reverse() : [...KEYS.slice(3), ...KEYS.slice(0, 3)];
  const out: ParsedFields = {};
  for (const key of order) {
    const v = values[KEYS.indexOf(key)];
    if (v !== null && v !== undefined) out[key] = v;
    else if (absentAsUndefined) out[key] = undefined;
  }
  return out;
});

/** Some keys keep one kind over a stretch of events, so columns first build and then change kind. */
const stretch = fc.tuple(fields, fc.integer({ min: 1, max: 300 })).map(([f, n]) => Array.from({ length: n }, (_, i) => ({ ...f, 'source.port': i, message: `${String(f['message'] ?? 'm')} ${i} unique enough to be text` })));

function pending(all: readonly ParsedFields[]): PendingEvent[] {
  return all.map((f, i) => {
    const message = f['message'];
    return { timestamp: 1000 + i, line: i + 1, lineCount: 1, offset: i * 100, raw: `raw ${i} ${typeof message === 'string' ? message : ''}`, fields: f };
  });
}

function encodeAll(events: readonly PendingEvent[]): EventBlock[] {
  const builder = new BlockBuilder(7);
  const blocks: EventBlock[] = [];
  for (const e of events) {
    builder.add(e);
    if (builder.size === BLOCK_CAPACITY) blocks.push(builder.build(blocks.length));
  }
  if (builder.size > 0) blocks.push(builder.build(blocks.length));
  return blocks;
}

describe('BlockBuilder', () => {
  it('decodes every event to its fields (values of a kind-changing field as text), over mixed shapes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fields.map((f) => [f]), stretch), { minLength: 1, maxLength: 12 }), (groups) => {
        const events = pending(groups.flat());
        const [block] = encodeAll(events);
        const expected = expectedFields(events);
        for (let i = 0; i < events.length; i++) {
          const decoded = decodeEvent(block!, i);
          expect(decoded.fields).toEqual(expected[i]);
          expect(decoded.raw).toBe(events[i]!.raw);
          expect(decoded.timestamp).toBe(events[i]!.timestamp);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('starts each block afresh: a kind change in one block leaves the next block alone', () => {
    const first = pending(Array.from({ length: BLOCK_CAPACITY }, (_, i) => ({ 'source.port': i % 2 === 0 ? i : `p${i}`, 'user.name': 'root' })));
    const second = pending(Array.from({ length: 10 }, (_, i) => ({ 'user.name': 'admin', 'source.port': i })));
    const blocks = encodeAll([...first, ...second]);
    expect(blocks).toHaveLength(2);
    expect(decodeEvent(blocks[0]!, 2).fields).toEqual({ 'source.port': '2', 'user.name': 'root' });
    expect(blocks[1]!.columns['source.port']!.t).not.toBe('str');
    expect(decodeEvent(blocks[1]!, 3).fields).toEqual({ 'user.name': 'admin', 'source.port': 3 });
  });
});
