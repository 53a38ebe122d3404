import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';
import { LoupeDB, addEvidence, createCase, writeBlocks } from '../../../src/store';
import { sortByTime } from '../../../src/core/model/time-order';
import { QueryService } from '../../../src/workers/query-service';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

const ev = (t: number, host: string, i: number): PendingEvent => ({ timestamp: t, line: i + 1, lineCount: 1, offset: i * 100, raw: `raw ${host} ${t}`, fields: { 'event.dataset': 'syslog', 'host.name': host, message: `m ${t}` } });

async function setup() {
  const opened = new LoupeDB(`query-${n++}`);
  db = opened;
  const kase = await createCase(opened, 'c');
  const fileId = await addEvidence(opened, { caseId: kase.id, path: 'b/var/log/syslog', bytes: 1, sha256: 'ab', format: 'syslog', host: 'h', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  return { db: opened, caseId: kase.id, fileId, service: new QueryService(() => opened) };
}

describe('QueryService', () => {
  it('orders events of several files and hosts by time, and merges later blocks in', async () => {
    const { db, caseId, fileId, service } = await setup();
    await writeBlocks(db, caseId, [encodeBlock(0, fileId, [ev(10, 'a', 0), ev(30, 'a', 1), ev(50, 'a', 2)]), encodeBlock(1, fileId, [ev(20, 'b', 0), ev(30, 'b', 1)])]);
    const info = await service.open(caseId);
    expect(info).toMatchObject({ total: 5, tsMin: 10, tsMax: 50, hosts: ['a', 'b'], datasets: ['syslog'] });
    expect((await service.rows(0, 10)).map((r) => [r.timestamp, r.host])).toEqual([[10, 'a'], [20, 'b'], [30, 'a'], [30, 'b'], [50, 'a']]);
    await writeBlocks(db, caseId, [encodeBlock(2, fileId, [ev(5, 'c', 0), ev(40, 'c', 1)])]);
    expect((await service.refresh(caseId)).total).toBe(7);
    const rows = await service.rows(0, 10);
    expect(rows.map((r) => r.timestamp)).toEqual([5, 10, 20, 30, 30, 40, 50]);
    expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await service.positionOf(rows[5]!.id)).toBe(5);
    const detail = await service.event(rows[0]!.id);
    expect(detail).toMatchObject({ timestamp: 5, filePath: 'b/var/log/syslog', fileSha256: 'ab', line: 1, raw: 'raw c 5' });
    expect(detail?.fields).toContainEqual(['host.name', 'c']);
  });

  it('property: refreshing block by block gives the same order as opening at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 6 }), async (blocks) => {
        const { db, caseId, fileId, service } = await setup();
        const incremental = new QueryService(() => db);
        for (let b = 0; b < blocks.length; b++) {
          await writeBlocks(db, caseId, [encodeBlock(b, fileId, blocks[b]!.map((t, i) => ev(t, `h${b}`, i)))]);
          await incremental.refresh(caseId);
        }
        const total = (await service.open(caseId)).total;
        const whole = (await service.rows(0, total)).map((r) => r.timestamp);
        const merged = (await incremental.rows(0, total)).map((r) => r.timestamp);
        expect(merged).toEqual(whole);
        expect(whole).toEqual([...blocks.flat()].sort((x, y) => x - y));
        db.close();
      }),
      { numRuns: 25 },
    );
  });
});

describe('QueryService refreshed while a case grows', () => {
  it('over thousands of events in nine refreshes: the same order as opening at once', async () => {
    const { db, caseId, fileId, service } = await setup();
    const incremental = new QueryService(() => db);
    let seed = 3;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % 100_000;
    };
    const firstRows: number[][] = [];
    for (let b = 0; b < 9; b++) {
      await writeBlocks(db, caseId, [encodeBlock(b, fileId, Array.from({ length: 450 }, (_, i) => ev(next(), `h${b % 3}`, i)))]);
      const info = await incremental.refresh(caseId);
      firstRows.push((await incremental.rows(0, 5)).map((r) => r.timestamp));
      expect(info.total).toBe((b + 1) * 450);
    }
    const total = (await service.open(caseId)).total;
    expect(total).toBe(9 * 450);
    const whole = (await service.rows(0, total)).map((r) => r.timestamp);
    expect((await incremental.rows(0, total)).map((r) => r.timestamp)).toEqual(whole);
    expect(whole).toEqual([...whole].sort((x, y) => x - y));
    // Each refresh's first rows were the smallest of what was there then: never larger than the final ones.
    for (const rows of firstRows) expect(rows[0]).toBeGreaterThanOrEqual(whole[0]!);
    db.close();
  });
});

describe('QueryService rows of a sparse view', () => {
  it('reads only the shown columns, and the rows are the same as from whole blocks', async () => {
    const { db, caseId, fileId, service } = await setup();
    const kinds: ((t: number, i: number) => PendingEvent)[] = [
      (t, i) => ({ timestamp: t, line: i + 1, lineCount: 1, offset: 0, raw: `ufw ${t}`, fields: { 'event.dataset': 'ufw', 'host.name': 'fw', 'event.action': 'block', 'network.transport': 'tcp', 'network.direction': 'inbound', 'source.ip': '203.0.113.9', 'source.port': 4000 + i, 'destination.ip': '10.0.0.1', 'destination.port': 22 } }),
      (t, i) => ({ timestamp: t, line: i + 1, lineCount: 1, offset: 0, raw: `web ${t}`, fields: { 'event.dataset': 'apache.access', 'host.name': 'web', 'source.ip': '203.0.113.9', 'http.request.method': 'GET', 'url.original': `/x?${i}`, 'http.response.status_code': 404 } }),
      (t, i) => ({ ...ev(t, 'sys', i), fields: { ...ev(t, 'sys', i).fields, 'source.ip': '203.0.113.9' } }),
      (t, i) => ({ timestamp: t, line: i + 1, lineCount: 1, offset: 0, raw: `garbage line ${t} from 203.0.113.9`, fields: { 'event.dataset': 'unparsed', 'host.name': 'sys' } }),
    ];
    // 40 blocks of 30 events: opening reads ahead the first 400 rows' blocks, the rest stay unread.
    const blocks = Array.from({ length: 40 }, (_, b) => encodeBlock(b, fileId, Array.from({ length: 30 }, (_, i) => (i === 2 ? kinds[b % 4]!(b * 100 + i, i) : ev(b * 100 + i, 'other', i)))));
    await writeBlocks(db, caseId, blocks);
    await service.open(caseId);
    const outcome = await service.filter({ query: 'source.ip:203.0.113.9 OR 203.0.113.9' });
    expect(outcome).toMatchObject({ ok: true, matched: 40 });
    const spy = vi.spyOn(service as unknown as { rowBlocks: () => unknown }, 'rowBlocks');
    const sparse = await service.rows(0, 40, ['url.original']);
    expect(spy).toHaveBeenCalledOnce();
    const whole = new QueryService(() => db);
    await whole.open(caseId);
    // Every block read whole first (a page of 5 rows is one block): the same rows from full blocks.
    for (let p = 0; p < 1200; p += 30) await whole.rows(p, 30);
    await whole.filter({ query: 'source.ip:203.0.113.9 OR 203.0.113.9' });
    expect(sparse).toEqual(await whole.rows(0, 40, ['url.original']));
    expect(sparse.map((r) => r.summary.slice(0, 12))).toContain('BLOCK in TCP');
    expect(sparse.map((r) => r.summary)).toContain('garbage line 302 from 203.0.113.9');
  });
});

describe('sortByTime', () => {
  it('orders indexes by (timestamp, index) like a comparator sort, for sorted runs and for any order', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }),
      fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 60 }), { maxLength: 6 }),
      fc.nat({ max: 20 }),
      (loose, files, from) => {
        // Files sorted in themselves (the common case) after some loose times.
        const times = [...Array.from({ length: from }, () => 7), ...loose, ...files.flatMap((f) => [...f].sort((a, b) => a - b))];
        const ts = Float64Array.from(times);
        const expected = Array.from({ length: ts.length - Math.min(from, ts.length) }, (_, i) => Math.min(from, ts.length) + i)
          .sort((a, b) => ts[a]! - ts[b]! || a - b);
        expect([...sortByTime(ts, Math.min(from, ts.length), ts.length)]).toEqual(expected);
      },
    ));
  });
});
