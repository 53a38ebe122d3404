import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LoupeDB, annotate, createCase, exportAnnotations, getAnnotation, importAnnotations, listAnnotations, listSavedSearches, saveSearch, deleteSavedSearch,
  validateAnnotationExport, type EventReference,
} from '../../../src/store';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

async function open() {
  db = new LoupeDB(`annotations-${n++}`);
  return db;
}

describe('annotations', () => {
  it('are saved at once, merged change by change, and removed when they say nothing', async () => {
    const db = await open();
    const kase = await createCase(db, 'c');
    await annotate(db, kase.id, { eventId: 7 }, { starred: true }, 10);
    await annotate(db, kase.id, { eventId: 7 }, { tags: ['malicious', ' malicious', 'scanner', ''] }, 20);
    expect(await getAnnotation(db, kase.id, { eventId: 7 })).toMatchObject({ caseId: kase.id, eventId: 7, starred: true, tags: ['malicious', 'scanner'], comment: '', updatedAt: 20 });
    await annotate(db, kase.id, { findingId: 3 }, { comment: 'the port scan' }, 30);
    expect((await listAnnotations(db, kase.id)).map((a) => [a.eventId, a.findingId])).toEqual([[undefined, 3], [7, undefined]]);
    await annotate(db, kase.id, { eventId: 7 }, { starred: false, tags: [] }, 40);
    expect(await getAnnotation(db, kase.id, { eventId: 7 })).toBeUndefined();
    expect(await listAnnotations(db, kase.id)).toHaveLength(1);
  });

  it('export to JSON and import into another case by evidence reference, newer winning', async () => {
    const db = await open();
    const a = await createCase(db, 'first', 1);
    const b = await createCase(db, 'second', 2);
    await annotate(db, a.id, { eventId: 5 }, { starred: true, tags: ['follow-up'], comment: 'check this' }, 100);
    await annotate(db, a.id, { eventId: 6 }, { tags: ['benign'] }, 100);
    const ref5: EventReference = { sha256: 'ab', path: 'x/kern.log', line: 12, timestamp: 1000 };
    const doc = await exportAnnotations(db, a.id, async (ids) => ids.map((id) => (id === 5 ? ref5 : undefined)), 500);
    expect(doc).toMatchObject({ format: 'loupe.annotations', version: 1, case: { id: a.id, name: 'first' }, exportedAt: 500 });
    expect(doc.annotations).toContainEqual({ eventId: 5, event: ref5, starred: true, tags: ['follow-up'], comment: 'check this', updatedAt: 100 });
    const parsed = validateAnnotationExport(JSON.parse(JSON.stringify(doc)));
    await annotate(db, b.id, { eventId: 42 }, { comment: 'newer' }, 200);
    const result = await importAnnotations(db, b.id, parsed, async (refs) => refs.map((r) => (r.sha256 === 'ab' && r.line === 12 ? 42 : undefined)));
    // Event 6 has no reference and the export is of another case: it cannot be placed.
    expect(result).toEqual({ imported: 1, unmatched: 1 });
    expect(await getAnnotation(db, b.id, { eventId: 42 })).toMatchObject({ comment: 'newer', starred: false });
    // Into the same case, ids are enough.
    await annotate(db, a.id, { eventId: 6 }, { tags: [] }, 150);
    expect(await importAnnotations(db, a.id, parsed, async (refs) => refs.map(() => undefined))).toEqual({ imported: 2, unmatched: 0 });
    expect(await getAnnotation(db, a.id, { eventId: 6 })).toMatchObject({ tags: ['benign'] });
  });

  it('rejects what is not an export, saying why', () => {
    expect(() => validateAnnotationExport([])).toThrow('"format" is not "loupe.annotations"');
    expect(() => validateAnnotationExport({ format: 'loupe.annotations', version: 2 })).toThrow('version 2 is not supported');
    expect(() => validateAnnotationExport({ format: 'loupe.annotations', version: 1, case: { id: 'x' }, annotations: [{ starred: true, tags: [], comment: '' }] })).toThrow('annotation 1 names no event or finding');
  });
});

describe('saved searches', () => {
  it('are kept per case by name, saving again replaces', async () => {
    const db = await open();
    const kase = await createCase(db, 'c');
    await saveSearch(db, kase.id, 'scanner', 'source.ip:203.0.113.5', 1);
    const second = await saveSearch(db, kase.id, 'admins', 'user.name:admin', 2);
    await saveSearch(db, kase.id, 'scanner', 'source.ip:203.0.113.0/24', 3);
    expect((await listSavedSearches(db, kase.id)).map((s) => [s.name, s.query])).toEqual([['admins', 'user.name:admin'], ['scanner', 'source.ip:203.0.113.0/24']]);
    await deleteSavedSearch(db, second.id!);
    expect(await listSavedSearches(db, kase.id)).toHaveLength(1);
  });
});
