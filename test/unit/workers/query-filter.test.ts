import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';
import { UNPARSED_DATASET, type EventFields } from '../../../src/core/model/event';
import { LoupeDB, addEvidence, createCase, writeBlocks } from '../../../src/store';
import { QueryService } from '../../../src/workers/query-service';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

const MIN = 60_000;
const ev = (t: number, fields: EventFields, i: number): PendingEvent => ({ timestamp: t * MIN, line: i + 1, lineCount: 1, offset: i * 100, raw: `raw ${JSON.stringify(fields)}`, fields });
const ufw = (t: number, ip: string, port: number, i: number) => ev(t, { 'event.dataset': 'ufw', 'host.name': 'region', 'source.ip': ip, 'destination.port': port, 'event.action': 'block' }, i);
const web = (t: number, ip: string, status: number, user: string | undefined, i: number) => ev(t, { 'event.dataset': 'apache.access', 'host.name': 'web', 'source.ip': ip, 'http.response.status_code': status, ...(user !== undefined ? { 'user.name': user } : {}) }, i);

async function setup() {
  const opened = new LoupeDB(`filter-${n++}`);
  db = opened;
  const kase = await createCase(opened, 'c');
  const fileA = await addEvidence(opened, { caseId: kase.id, path: 'b/var/log/kern.log', bytes: 1, sha256: 'aa', format: 'syslog', host: 'region', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  const fileB = await addEvidence(opened, { caseId: kase.id, path: 'b/var/log/apache2/access.log', bytes: 1, sha256: 'bb', format: 'web-access', host: 'web', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  await writeBlocks(opened, kase.id, [
    encodeBlock(0, fileA, [ufw(1, '203.0.113.5', 22, 0), ufw(3, '203.0.113.5', 23, 1), ufw(5, '198.51.100.1', 22, 2), ufw(7, '203.0.113.9', 31337, 3)]),
    encodeBlock(1, fileB, [web(2, '203.0.113.5', 404, undefined, 0), web(4, '10.0.0.2', 200, 'admin', 1), web(6, '10.0.0.2', 200, 'admin', 2), web(8, '10.0.0.3', 500, 'bob', 3)]),
  ]);
  const service = new QueryService(() => opened);
  await service.open(kase.id);
  return { db: opened, caseId: kase.id, service };
}

const minutes = async (service: QueryService) => (await service.rows(0, 100)).map((r) => r.timestamp / MIN);

describe('QueryService filters', () => {
  it('keeps the events a query matches, in time order, skipping blocks by summary', async () => {
    const { service } = await setup();
    expect(await service.filter({ query: 'source.ip:203.0.113.0/24' })).toMatchObject({ ok: true, matched: 4, total: 8, blocksRead: 2, blocksSkipped: 0 });
    expect(await minutes(service)).toEqual([1, 2, 3, 7]);
    expect(await service.filter({ query: 'host.name:web AND http.response.status_code:>=400' })).toMatchObject({ ok: true, matched: 2, blocksRead: 1, blocksSkipped: 1 });
    expect(await minutes(service)).toEqual([2, 8]);
    // The time range narrows the view without evaluating the query again.
    expect(await service.filter({ query: 'host.name:web AND http.response.status_code:>=400', from: 3 * MIN, to: 9 * MIN })).toMatchObject({ matched: 1, blocksRead: 0 });
    expect(await minutes(service)).toEqual([8]);
    expect(await service.filter({ query: '' })).toMatchObject({ ok: true, matched: 8 });
    expect(await minutes(service)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reports a syntax error with its span and keeps the previous view', async () => {
    const { service } = await setup();
    await service.filter({ query: 'user.name:admin' });
    expect(await service.filter({ query: 'user.name:admin AND (' })).toEqual({ ok: false, error: '"(" is never closed (at 21)', start: 20, end: 21 });
    expect(await minutes(service)).toEqual([4, 6]);
  });

  it('gives positions and extra column values in the filtered view', async () => {
    const { service } = await setup();
    await service.filter({ query: 'event.dataset:ufw' });
    const rows = await service.rows(1, 2, ['destination.port', 'user.name']);
    expect(rows.map((r) => [r.position, r.values])).toEqual([[1, ['23', '']], [2, ['22', '']]]);
    expect(await service.positionOf(rows[1]!.id)).toBe(2);
    const all = await service.rowsById([4096 + 1]);
    expect(await service.positionOf(4096 + 1)).toBe(-1);
    expect(all[0]).toMatchObject({ position: -1, host: 'web', dataset: 'apache.access' });
  });

  it('finds positions among equal timestamps, and gives the kept event\'s position with the filter', async () => {
    const opened = new LoupeDB(`filter-${n++}`);
    db = opened;
    const kase = await createCase(opened, 'ties');
    const file = await addEvidence(opened, { caseId: kase.id, path: 'b/var/log/kern.log', bytes: 1, sha256: 'aa', format: 'syslog', host: 'region', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
    // Two files' blocks whose times interleave and repeat: ties across and within blocks.
    await writeBlocks(opened, kase.id, [
      encodeBlock(0, file, [ufw(1, '203.0.113.5', 1, 0), ufw(1, '203.0.113.6', 2, 1), ufw(2, '203.0.113.5', 3, 2), ufw(2, '203.0.113.6', 4, 3)]),
      encodeBlock(1, file, [web(1, '203.0.113.5', 404, undefined, 0), web(2, '203.0.113.6', 200, undefined, 1), web(2, '203.0.113.5', 200, undefined, 2), web(3, '203.0.113.5', 500, undefined, 3)]),
    ]);
    const service = new QueryService(() => opened);
    await service.open(kase.id);
    const all = await service.rows(0, 100);
    expect(all.map((r) => r.timestamp / MIN)).toEqual([1, 1, 1, 2, 2, 2, 2, 3]);
    for (const row of all) expect(await service.positionOf(row.id)).toBe(row.position);
    const kept = all.filter((r) => r.summary.includes('203.0.113.5'));
    const outcome = await service.filter({ query: 'source.ip:203.0.113.5' }, kept[3]!.id);
    expect(outcome).toMatchObject({ ok: true, matched: kept.length, position: 3 });
    expect((await service.rows(0, 100)).map((r) => r.id)).toEqual(kept.map((r) => r.id));
    expect(await service.filter({ query: 'source.ip:203.0.113.6' }, kept[0]!.id)).toMatchObject({ ok: true, position: -1 });
  });

  it('cuts a long unparsed line in its row and keeps it whole in the detail', async () => {
    const opened = new LoupeDB(`filter-${n++}`);
    db = opened;
    const kase = await createCase(opened, 'long');
    const file = await addEvidence(opened, { caseId: kase.id, path: 'b/var/log/odd.log', bytes: 1, sha256: 'aa', format: 'unknown', host: 'region', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
    const raw = `odd ${'x'.repeat(40_000)}`;
    await writeBlocks(opened, kase.id, [encodeBlock(0, file, [{ timestamp: MIN, line: 1, lineCount: 1, offset: 0, raw, fields: { 'event.dataset': UNPARSED_DATASET } }])]);
    const service = new QueryService(() => opened);
    await service.open(kase.id);
    const [row] = await service.rows(0, 1);
    expect(row).toMatchObject({ unparsed: true });
    expect(row!.summary).toBe(`${raw.slice(0, 400)}…`);
    expect((await service.event(row!.id))?.raw).toBe(raw);
  });

  it('counts facets over the view', async () => {
    const { service } = await setup();
    await service.filter({ query: 'NOT source.ip:198.51.100.1' });
    const facets = await service.facets(['source.ip', 'user.name', 'http.response.status_code'], 2);
    expect(facets).toEqual([
      { field: 'source.ip', values: [['203.0.113.5', 3], ['10.0.0.2', 2]], distinct: 4 },
      { field: 'user.name', values: [['admin', 2], ['bob', 1]], distinct: 2 },
      { field: 'http.response.status_code', values: [['200', 2], ['404', 1]], distinct: 3 },
    ]);
  });

  it('bins the events the query kept over time, stacked by a field', async () => {
    const { service } = await setup();
    await service.filter({ query: 'source.ip:203.0.113.5 OR user.name:admin', from: 0, to: MIN });
    const h = await service.histogram({ from: 0, to: 8 * MIN, maxBins: 4, stackBy: 'event.dataset', maxSeries: 1 });
    expect(h).toMatchObject({ from: 0, binMs: 2 * MIN, bins: 5 });
    // 203.0.113.5 at 1 (ufw), 2 (web), 3 (ufw); admin at 4, 6 (web). The brush range does not apply.
    expect(h!.series).toEqual([
      { name: 'apache.access', counts: [0, 1, 1, 1, 0] },
      { name: 'other (1)', counts: [1, 1, 0, 0, 0] },
    ]);
  });

  it('gives up facets and bins of a view that a newer filter replaced', async () => {
    const { service } = await setup();
    const facets = service.facets(['source.ip'], 2);
    const bins = service.histogram({ from: 0, to: 8 * MIN, maxBins: 4, stackBy: 'event.dataset', maxSeries: 1 });
    const filtered = service.filter({ query: 'user.name:admin' });
    expect(await facets).toBeUndefined();
    expect(await bins).toBeUndefined();
    expect(await filtered).toMatchObject({ ok: true, matched: 2 });
    expect(await service.facets(['user.name'], 2)).toEqual([{ field: 'user.name', values: [['admin', 2]], distinct: 1 }]);
  });

  it('finds events again by their evidence reference', async () => {
    const { service } = await setup();
    const refs = await service.eventReferences([2, 4096 + 3, 99]);
    expect(refs).toEqual([{ sha256: 'aa', path: 'b/var/log/kern.log', line: 3, timestamp: 5 * MIN }, { sha256: 'bb', path: 'b/var/log/apache2/access.log', line: 4, timestamp: 8 * MIN }, undefined]);
    expect(await service.resolveReferences([refs[1]!, refs[0]!, { sha256: 'zz', path: 'x', line: 1, timestamp: 0 }])).toEqual([4096 + 3, 2, undefined]);
  });
});
