import 'fake-indexeddb/auto';
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
    // Strictly increasing from 1; numbers are handed out per branch, so a gap can exist until all are merged.
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b).filter((v, i, all) => i === 0 || v !== all[i - 1]));
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
    expect(await db.columns.where('caseId').equals(kase.id).count()).toBe(2);
    expect((await listEvidence(db, kase.id)).map((e) => e.path)).toEqual(['a.log']);
    await deleteCase(db, kase.id);
    expect(await db.blocks.count()).toBe(0);
    expect(await db.cases.count()).toBe(0);
  });
});
