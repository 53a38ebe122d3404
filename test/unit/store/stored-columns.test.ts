import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, type Column, type PendingEvent } from '../../../src/core/model/block';
import { LoupeDB, createCase, loadBlock, loadFieldColumns, writeBlocks } from '../../../src/store';
import { columnOf, storedColumn } from '../../../src/store/events';
import { PACKED_COLUMNS } from '../../../src/store/records';

let db: LoupeDB | undefined;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

describe('stored dictionary columns', () => {
  it('a dictionary joined for storage reads back value for value (empty strings, astral and lone surrogates, lists)', () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\ud800', '\udc00x', '😀', '\u0000'));
    fc.assert(fc.property(fc.uniqueArray(value, { maxLength: 300 }), fc.constantFrom<'str' | 'list'>('str', 'list'), (dict, t) => {
      const codes = Uint16Array.from(dict.map((_, i) => i + 1));
      const column: Column = { t, dict, codes };
      const stored = storedColumn(column);
      expect('joined' in stored).toBe(true);
      expect(columnOf(stored)).toEqual(column);
    }), { numRuns: 300 });
    const numbers: Column = { t: 'int', values: Int32Array.of(1, 2) };
    expect(storedColumn(numbers)).toBe(numbers);
  });

  it('blocks written read back whole and by field, packed and own-row columns; rows of the older form still read', async () => {
    db = new LoupeDB('stored-columns');
    const kase = await createCase(db, 'c');
    // 300 distinct addresses: a column of its own row; the dataset: packed.
    const events: PendingEvent[] = Array.from({ length: 600 }, (_, i) => ({
      timestamp: 1000 + i, line: i + 1, lineCount: 1, offset: i * 20, raw: `line ${i} from 10.0.${i % 300 >> 8}.${i % 256}`,
      fields: { 'event.dataset': i % 2 === 0 ? 'ufw' : 'kernel', 'source.ip': `10.0.${(i % 300) >> 8}.${i % 256}`, 'event.category': ['network'] },
    }));
    const block = encodeBlock(0, 7, events);
    await writeBlocks(db, kase.id, [block]);
    const back = await loadBlock(db, kase.id, 0);
    expect(back?.columns).toEqual(block.columns);
    const [ip, dataset, missing] = await loadFieldColumns(db, kase.id, [[0, 'source.ip'], [0, 'event.dataset'], [0, 'user.name']]);
    expect(ip).toEqual(block.columns['source.ip']);
    expect(dataset).toEqual(block.columns['event.dataset']);
    expect(missing).toBeUndefined();
    // A row as an earlier version wrote it: the dictionary as an array.
    await db.columns.put({ caseId: kase.id, blockId: 0, fileId: 7, field: 'source.ip', column: block.columns['source.ip']! });
    await db.columns.put({ caseId: kase.id, blockId: 0, fileId: 7, field: PACKED_COLUMNS, columns: { 'event.dataset': block.columns['event.dataset']!, 'event.category': block.columns['event.category']! } });
    expect((await loadBlock(db, kase.id, 0))?.columns).toEqual(block.columns);
  });
});
