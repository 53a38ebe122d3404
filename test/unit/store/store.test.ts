import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, decodeEvent, type PendingEvent } from '../../../src/core/model/block';
import { LoupeDB, MIGRATIONS, addEvidence, createCase, currentCase, deleteCase, deleteEvidenceFile, listEvidence, loadBlock, loadBlockIndex, loadBlockIndexAfter, maxBlockId, scanBlocks, writeBlocks } from '../../../src/store';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

function open(): LoupeDB {
  const opened = new LoupeDB(`test-${n++}`);
  db = opened;
  return opened;
}

function pending(i: number, fields: PendingEvent['fields'] = {}): PendingEvent {
  return { timestamp: 1_000 + i, line: i + 1, lineCount: 1, offset: i * 10, raw: `line ${i}`, fields: { 'event.dataset': 'ufw', 'host.name': i % 2 ? 'a' : 'b', ...fields } };
}

describe('store', () => {
  it('declares schema versions in order, starting at 1', () => {
    // Numbers are handed out per branch (0006 may land before 0002), so: increasing, not contiguous.
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('round-trips columnar blocks with typed arrays and finds them by case and id', async () => {
    const db = open();
    const kase = await createCase(db, 'c1');
    const other = await createCase(db, 'c2');
    const events = Array.from({ length: 10 }, (_, i) => pending(i, { 'source.port': i, 'event.category': ['network'] }));
    await writeBlocks(db, kase.id, [encodeBlock(0, 1, events.slice(0, 5)), encodeBlock(1, 1, events.slice(5))]);
    await writeBlocks(db, other.id, [encodeBlock(0, 2, events.slice(0, 2))]);
    expect(await maxBlockId(db, kase.id)).toBe(1);
    expect(await maxBlockId(db, 'none')).toBe(-1);
    const index = await loadBlockIndex(db, kase.id);
    expect(index.map((r) => [r.blockId, r.count, r.tsMin, r.tsMax])).toEqual([[0, 5, 1000, 1004], [1, 5, 1005, 1009]]);
    expect(index[0]!.hosts).toEqual(['a', 'b']);
    expect(index[0]!.timestamps).toBeInstanceOf(Float64Array);
    expect((await loadBlockIndexAfter(db, kase.id, 0)).map((r) => r.blockId)).toEqual([1]);
    // A scan for one field reads only that column, with timestamps from the index.
    const seen: unknown[] = [];
    await scanBlocks(db, kase.id, { from: 1003, to: 1006, fields: ['source.port'] }, (b) => seen.push([b.blockId, Object.keys(b.columns), b.raw, [...b.timestamps]]));
    expect(seen).toEqual([[0, ['source.port'], '', [1000, 1001, 1002, 1003, 1004]], [1, ['source.port'], '', [1005, 1006, 1007, 1008, 1009]]]);
    // Packed (host.name, event.category) and own-row (source.port) columns read together; absent fields stay absent.
    const mixed: unknown[] = [];
    await scanBlocks(db, kase.id, { from: 0, to: 2000, fields: ['host.name', 'source.port', 'event.category', 'no.such'] }, (b) => mixed.push([b.blockId, Object.keys(b.columns).sort(), b.columns['host.name']?.t, b.columns['source.port']?.t]));
    expect(mixed).toEqual([[0, ['event.category', 'host.name', 'source.port'], 'str', 'int'], [1, ['event.category', 'host.name', 'source.port'], 'str', 'int']]);
    const block = await loadBlock(db, kase.id, 1);
    expect(block).toBeDefined();
    expect(decodeEvent(block!, 2)).toMatchObject({ id: 4096 + 2, line: 8, raw: 'line 7', fields: { 'source.port': 7, 'event.category': ['network'], 'host.name': 'a' } });
  });

  it('removes a cancelled file whole: its blocks, index rows and evidence row', async () => {
    const db = open();
    const kase = await currentCase(db);
    const keep = await addEvidence(db, { caseId: kase.id, path: 'a.log', bytes: 1, sha256: '', format: 'syslog', host: '', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
    const drop = await addEvidence(db, { caseId: kase.id, path: 'b.log', bytes: 1, sha256: '', format: 'syslog', host: '', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'ingesting', addedAt: 0 });
    await writeBlocks(db, kase.id, [encodeBlock(0, keep, [pending(0)]), encodeBlock(1, drop, [pending(1)]), encodeBlock(2, drop, [pending(2)])]);
    await deleteEvidenceFile(db, kase.id, drop);
    expect((await loadBlockIndex(db, kase.id)).map((r) => r.fileId)).toEqual([keep]);
    expect(await db.blocks.count()).toBe(1);
    expect(await db.blockTimes.count()).toBe(1);
    // Block rows are keyed [case, block, ...] and have no case index: count by key range.
    // Both columns are small dictionaries: they share the block's packed row (field 0).
    expect(await db.columns.where('[caseId+blockId+field]').between([kase.id], [kase.id, Dexie.maxKey]).count()).toBe(1);
    expect((await db.columns.toArray()).map((c) => [c.blockId, c.field, 'columns' in c ? Object.keys(c.columns) : []])).toEqual([[0, 0, ['event.dataset', 'host.name']]]);
    expect((await listEvidence(db, kase.id)).map((e) => e.path)).toEqual(['a.log']);
    await deleteCase(db, kase.id);
    expect(await db.blocks.count()).toBe(0);
    expect(await db.columns.count()).toBe(0);
    expect(await db.blockTimes.count()).toBe(0);
    expect(await db.blockIndex.count()).toBe(0);
    expect(await db.cases.count()).toBe(0);
  });

  it('keeps the blocks of a version 1 database when it opens as version 2, and deletes only its own case', async () => {
    const name = `test-${n++}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(MIGRATIONS[0]!.stores);
    await v1.open();
    const block = encodeBlock(0, 1, [pending(0, { 'source.ip': '203.0.113.9' }), pending(1)]);
    await v1.table('cases').bulkAdd([{ id: 'old', name: 'old', createdAt: 1 }, { id: 'other', name: 'other', createdAt: 2 }]);
    for (const caseId of ['old', 'other']) {
      await v1.table('blocks').add({ caseId, blockId: 0, fileId: 1, block: { ...block, columns: {} } });
      await v1.table('columns').bulkAdd(Object.entries(block.columns).map(([field, column]) => ({ caseId, blockId: 0, fileId: 1, field, column })));
      await v1.table('blockIndex').add({ caseId, blockId: 0, fileId: 1, count: 2, tsMin: 1000, tsMax: 1001, hosts: ['a', 'b'], datasets: ['ufw'] });
      await v1.table('blockTimes').add({ caseId, blockId: 0, fileId: 1, timestamps: block.timestamps });
    }
    v1.close();
    const v2 = new LoupeDB(name);
    db = v2;
    const loaded = await loadBlock(v2, 'old', 0);
    expect(decodeEvent(loaded!, 0).fields).toEqual({ 'event.dataset': 'ufw', 'host.name': 'b', 'source.ip': '203.0.113.9' });
    expect(v2.tables.find((t) => t.name === 'columns')!.schema.indexes.map((i) => i.name)).toEqual([]);
    await deleteCase(v2, 'old');
    expect(await loadBlock(v2, 'old', 0)).toBeUndefined();
    expect(decodeEvent((await loadBlock(v2, 'other', 0))!, 1).raw).toBe('line 1');
    expect(await v2.columns.count()).toBe(3);
  });
});
