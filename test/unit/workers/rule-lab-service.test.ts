import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetectionRun } from '../../../src/core/detect';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';
import { loadRules } from '../../../src/core/rules';
import { LoupeDB, addEvidence, createCase, listFindings, retimeFile, ruleHits, saveRule, writeBlocks, type FindingRecord } from '../../../src/store';
import { DetectService } from '../../../src/workers/detect-service';
import { RuleLabService } from '../../../src/workers/rule-lab-service';
import type { RuleLabResult } from '../../../src/workers/rule-lab-contract';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

const SCANNER = '203.0.113.45';

/** Apache access events: i-th at t = 1000 + 10 i; every third from the scanner with a 404. */
function web(i: number): PendingEvent {
  const scanner = i % 3 === 0;
  const ip = scanner ? SCANNER : `192.0.2.${i % 7}`;
  const url = scanner ? `/probe/${i}.php` : '/MAAS/r/';
  const status = scanner ? 404 : 200;
  const raw = `${ip} - - "GET ${url} HTTP/1.1" ${status} 100`;
  return { timestamp: 1000 + 10 * i, line: i + 1, lineCount: 1, offset: i * 80, raw, fields: { 'event.dataset': 'apache.access', 'host.name': 'web', 'source.ip': ip, 'http.request.method': 'GET', 'url.original': url, 'http.response.status_code': status } };
}

function syslog(i: number): PendingEvent {
  return { timestamp: 1005 + 10 * i, line: i + 1, lineCount: 1, offset: i * 50, raw: `cron ran ${i}`, fields: { 'event.dataset': 'syslog', 'host.name': 'web', 'process.name': 'CRON', message: `cron ran ${i}` } };
}

async function setup(yieldEvery?: number) {
  const opened = new LoupeDB(`rule-lab-${n++}`);
  db = opened;
  const caseId = (await createCase(opened, 'c')).id;
  const file = (path: string) => addEvidence(opened, { caseId, path, bytes: 1, sha256: 'ab', format: 'x', host: 'web', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  const access = await file('b/var/log/apache2/access.log');
  const sys = await file('b/var/log/syslog');
  // 90 web events in three blocks, 60 syslog events in one, interleaved in time.
  const webEvents = Array.from({ length: 90 }, (_, i) => web(i));
  await writeBlocks(opened, caseId, [encodeBlock(0, access, webEvents.slice(0, 30)), encodeBlock(1, access, webEvents.slice(30, 60)), encodeBlock(2, sys, Array.from({ length: 60 }, (_, i) => syslog(i))), encodeBlock(3, access, webEvents.slice(60))]);
  return { db: opened, caseId, service: yieldEvery === undefined ? new RuleLabService(() => opened) : new RuleLabService(() => opened, yieldEvery) };
}

const NOT_FOUND = `title: Not found
id: r-404
status: test
author: Base Author
logsource: {category: webserver}
detection:
  sel:
    sc-status: 404
  condition: sel
level: low
`;

const BURST = (gte: number) => `title: 404 burst
id: r-burst
status: test
author: Burst Author
correlation:
  type: event_count
  rules: [r-404]
  group-by: [c-ip]
  timespan: 1m
  condition:
    gte: ${gte}
level: high
`;

describe('RuleLabService', () => {
  it('tests a rule against the case: hits, first matches in time order, only the blocks of its datasets read', async () => {
    const { caseId, service } = await setup();
    const result = await service.test({ caseId, yaml: NOT_FOUND, library: [], limit: 5 });
    expect(result.status).toBe('done');
    expect(result.errors).toEqual([]);
    expect(result.hits).toBe(30);
    // One finding per rule and entity (host.name, source.ip).
    expect(result.findings).toBe(1);
    expect(result.total).toBe(150);
    expect(result.scanned).toBe(90);
    expect(result.events.map((e) => [e.timestamp, e.rule, e.dataset])).toEqual([0, 3, 6, 9, 12].map((i) => [1000 + 10 * i, 'r-404', 'apache.access']));
    expect(result.events[1]!.summary).toContain('/probe/3.php');
    expect(result.documents).toEqual([{ key: 'r-404', title: 'Not found', kind: 'rule', author: 'Base Author', generates: true, datasets: ['apache.access', 'nginx.access', 'maas.regiond'] }]);
    // Changing a value changes the count.
    const ok = await service.test({ caseId, yaml: NOT_FOUND.replace('sc-status: 404', 'sc-status: 200'), library: [] });
    expect(ok.hits).toBe(60);
  });

  it('runs a correlation over its base rule from the library and returns the groups that passed', async () => {
    const { caseId, service } = await setup();
    // Scanner 404s: 30 events, one every 30 ms, all within a minute.
    const passed = await service.test({ caseId, yaml: BURST(20), library: [NOT_FOUND] });
    expect(passed.status).toBe('done');
    // Entities as detection names them (ECS, with the subnet); authors of the correlation and its base rule.
    expect(passed.groups.map((g) => [g.rule, g.entities, g.value, g.count, g.hosts, g.authors])).toEqual([['r-burst', { 'source.ip': SCANNER, 'source.subnet': '203.0.113.0/24' }, 30, 30, ['web'], ['Burst Author', 'Base Author']]]);
    expect(passed.hits).toBe(30);
    expect(passed.documents[0]).toMatchObject({ key: 'r-burst', kind: 'correlation', generates: true });
    const none = await service.test({ caseId, yaml: BURST(31), library: [NOT_FOUND] });
    expect(none).toMatchObject({ status: 'done', hits: 0, findings: 0, groups: [] });
    // Without its base rule the correlation does not compile, and says why.
    const orphan = await service.test({ caseId, yaml: BURST(20), library: [] });
    expect(orphan.status).toBe('invalid');
    expect(orphan.errors[0]?.message).toContain("'r-404'");
  });

  it('sends the first matches once while the scan goes on, then the full result', async () => {
    const { caseId, service } = await setup(16);
    const partials: RuleLabResult[] = [];
    const result = await service.test({ caseId, yaml: NOT_FOUND, library: [], limit: 5 }, (p) => partials.push(p));
    expect(partials).toHaveLength(1);
    const partial = partials[0]!;
    expect(partial.status).toBe('partial');
    expect(partial.hits).toBeGreaterThan(0);
    expect(partial.hits).toBeLessThanOrEqual(5);
    expect(partial.scanned).toBeLessThan(result.scanned);
    // The first matches by time, the same the full result lists first.
    expect(partial.events.map((e) => e.id)).toEqual(result.events.slice(0, partial.events.length).map((e) => e.id));
    expect(result).toMatchObject({ status: 'done', hits: 30 });
  });

  it('decodes only the events a detection can match, judged from the columns; the others are passed over', async () => {
    const { caseId, service } = await setup();
    const pushed = vi.spyOn(DetectionRun.prototype, 'push');
    const passed = vi.spyOn(DetectionRun.prototype, 'passOver');
    try {
      const result = await service.test({ caseId, yaml: NOT_FOUND, library: [] });
      expect(result).toMatchObject({ status: 'done', hits: 30, scanned: 90 });
      // The 30 scanner 404s decoded; the 60 200s ruled out by the status column, in time order.
      expect(pushed).toHaveBeenCalledTimes(30);
      expect(pushed.mock.calls.every(([event]) => event.fields['http.response.status_code'] === 404)).toBe(true);
      expect(passed).toHaveBeenCalledTimes(60);
      expect(passed.mock.calls.map(([, timestamp]) => timestamp)).toEqual(Array.from({ length: 90 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => 1000 + 10 * i));
      expect(new Set(passed.mock.calls.map(([, , host]) => host))).toEqual(new Set(['web']));
      // A rule the columns cannot judge (a keyword over the raw line) decodes every event it reads.
      pushed.mockClear();
      passed.mockClear();
      const keyword = NOT_FOUND.replace(/detection:[\s\S]*level/, "detection:\n  keywords: ['/probe/']\n  condition: keywords\nlevel");
      expect(await service.test({ caseId, yaml: keyword, library: [] })).toMatchObject({ status: 'done', hits: 30, scanned: 90 });
      expect(pushed).toHaveBeenCalledTimes(90);
      expect(passed).not.toHaveBeenCalled();
    } finally {
      pushed.mockRestore();
      passed.mockRestore();
    }
  });

  it('reports load errors at their line and column', async () => {
    const { caseId, service } = await setup();
    const result = await service.test({ caseId, yaml: NOT_FOUND.replace('sc-status: 404', 'sc-status|contians: 404'), library: [] });
    expect(result.status).toBe('invalid');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'unknown-modifier', line: 8, column: 5 });
  });

  it('a newer test cancels the running one', async () => {
    const { caseId, service } = await setup(8);
    const first = service.test({ caseId, yaml: NOT_FOUND, library: [] });
    const second = service.test({ caseId, yaml: NOT_FOUND.replace('sc-status: 404', 'sc-status: 200'), library: [] });
    expect((await first).status).toBe('cancelled');
    expect(await second).toMatchObject({ status: 'done', hits: 60 });
    const third = service.test({ caseId, yaml: NOT_FOUND, library: [] });
    service.cancel();
    expect((await third).status).toBe('cancelled');
  });

  it('re-runs a saved rule and replaces its findings (and those of its old id)', async () => {
    const { db, caseId, service } = await setup();
    await db.findings.add({ caseId, ruleId: 'old-id', title: 'old', level: 'low', first: 0, last: 0, count: 1, entities: {}, eventIds: [1] });
    const first = await service.rerun({ caseId, yaml: `${NOT_FOUND}---\n${BURST(20)}`, library: [], replaceIds: ['old-id'], enabled: true });
    expect(first).toMatchObject({ status: 'done', findings: 1, hits: 30 });
    expect([...first.ruleIds].sort()).toEqual(['old-id', 'r-404', 'r-burst']);
    // The base rule gives no findings of its own (no `generate`); the correlation one group.
    expect(Object.fromEntries(await ruleHits(db, caseId))).toEqual({ 'r-burst': { findings: 1, events: 30 } });
    const finding = (await db.findings.toArray())[0]!;
    expect(finding).toMatchObject({ caseId, ruleId: 'r-burst', title: '404 burst', level: 'high', count: 30, entities: { 'source.ip': SCANNER, 'source.subnet': '203.0.113.0/24' }, authors: ['Burst Author', 'Base Author'], hosts: ['web'], kind: 'correlation', value: 30 });
    await service.rerun({ caseId, yaml: `${NOT_FOUND}---\n${BURST(31)}`, library: [], replaceIds: [], enabled: true });
    expect((await ruleHits(db, caseId)).size).toBe(0);
    await service.rerun({ caseId, yaml: NOT_FOUND, library: [], replaceIds: [], enabled: true });
    expect(Object.fromEntries(await ruleHits(db, caseId))).toEqual({ 'r-404': { findings: 1, events: 30 } });
    await service.rerun({ caseId, yaml: NOT_FOUND, library: [], replaceIds: [], enabled: false });
    expect((await ruleHits(db, caseId)).size).toBe(0);
  });

  it('drafts a rule from stored events that matches them, and lists the fields of a dataset', async () => {
    const { caseId, service } = await setup();
    const probe = await service.test({ caseId, yaml: NOT_FOUND, library: [], limit: 3 });
    const yaml = await service.draft(caseId, probe.events.map((e) => e.id), 'draft-1', '2026-03-12');
    expect(loadRules(yaml).documents[0]).toMatchObject({ id: 'draft-1', logsource: { category: 'webserver', product: 'apache' } });
    const drafted = await service.test({ caseId, yaml, library: [] });
    expect(drafted.hits).toBe(30);
    const fields = await service.fieldsByDataset(caseId);
    expect(Object.keys(fields)).toEqual(['apache.access', 'syslog']);
    expect(fields['syslog']).toEqual(['event.dataset', 'host.name', 'message', 'process.name']);
    expect(fields['apache.access']).toContain('url.original');
  });
});

describe('RuleLabService agrees with detection', () => {
  const PORTS = `title: Tool port
id: r-tool
status: test
author: Port Author
logsource: {category: webserver}
detection:
  sel:
    url.original|expand: '%ToolPaths%'
  condition: sel
level: medium
`;

  it('stores exactly the findings DetectService stores for the same rules (entities, hosts, authors, value)', async () => {
    const { db, caseId, service } = await setup();
    const yaml = `${NOT_FOUND}---\n${BURST(20)}`;
    await service.rerun({ caseId, yaml, library: [], replaceIds: [], enabled: true });
    await service.rerun({ caseId, yaml: NOT_FOUND.replace('id: r-404', 'id: r-404b').replace('title: Not found', 'title: Not found b'), library: [], replaceIds: [], enabled: true });
    const strip = (rows: FindingRecord[]) => rows.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.ruleId.localeCompare(b.ruleId));
    const fromLab = strip(await listFindings(db, caseId));
    // The same rules as the case's own rules, run by detection over the whole case.
    await saveRule(db, caseId, { id: 'r-burst', yaml, builtin: false });
    await saveRule(db, caseId, { id: 'r-404b', yaml: NOT_FOUND.replace('id: r-404', 'id: r-404b').replace('title: Not found', 'title: Not found b'), builtin: false });
    await new DetectService(() => db, () => ({ rules: [], data: [] })).run(caseId);
    const fromDetect = strip(await listFindings(db, caseId));
    expect(fromLab.length).toBe(2);
    expect(fromLab).toEqual(fromDetect);
  });

  it('compiles with the pack\'s placeholders, as detection does', async () => {
    const opened = await setup();
    const withTables = new RuleLabService(() => opened.db, 32_768, { ToolPaths: ['/probe/3.php', '/probe/6.php'] });
    expect(await withTables.test({ caseId: opened.caseId, yaml: PORTS, library: [] })).toMatchObject({ status: 'done', hits: 2 });
    const without = await opened.service.test({ caseId: opened.caseId, yaml: PORTS, library: [] });
    expect(without.status).toBe('invalid');
    expect(without.errors[0]?.code).toBe('placeholder');
  });

  it('tests a rule of a status detection skips, says so, and stores no findings for it', async () => {
    const { db, caseId, service } = await setup();
    const deprecated = NOT_FOUND.replace('status: test', 'status: deprecated');
    const result = await service.test({ caseId, yaml: deprecated, library: [] });
    expect(result).toMatchObject({ status: 'done', hits: 30 });
    expect(result.errors).toEqual([expect.objectContaining({ severity: 'warning', line: 1, message: expect.stringContaining("status 'deprecated'") })]);
    expect(await service.rerun({ caseId, yaml: deprecated, library: [], replaceIds: [], enabled: true })).toMatchObject({ findings: 0, hits: 0 });
    expect((await ruleHits(db, caseId)).size).toBe(0);
  });

  it('after a correlation-only edit reads only the events its detections matched, with what a full scan gives; a detection edit scans in full', async () => {
    const { caseId, service, db } = await setup();
    const strip = (r: RuleLabResult) => ({ ...r, elapsedMs: 0 });
    const full = async (yaml: string, library: string[]) => strip(await new RuleLabService(() => db).test({ caseId, yaml, library, limit: 50 }));
    const first = await service.test({ caseId, yaml: BURST(3), library: [NOT_FOUND], limit: 50 });
    expect(first.hits).toBeGreaterThan(0);
    // Thresholds edited one after the other: each answer is a fresh full scan's.
    for (const gte of [4, 6, 2, 30]) {
      expect(strip(await service.test({ caseId, yaml: BURST(gte), library: [NOT_FOUND], limit: 50 }))).toEqual(await full(BURST(gte), [NOT_FOUND]));
    }
    // The base rule edited (404 -> 200): other events match; the answer is still a full scan's.
    const ok = NOT_FOUND.replace('sc-status: 404', 'sc-status: 200');
    const changed = await service.test({ caseId, yaml: BURST(3), library: [ok], limit: 50 });
    expect(strip(changed)).toEqual(await full(BURST(3), [ok]));
    expect(changed.hits).not.toBe(first.hits);
  });

  it('orders the case anew after a file is re-timed (a zone override), though its blocks stay the same', async () => {
    const { caseId, service, db } = await setup();
    // A second web log whose zone was inferred (a syslog-style stamp read in the host's zone).
    const zoned = await addEvidence(db, { caseId, path: 'b/var/log/apache2/other_vhosts_access.log', bytes: 1, sha256: 'ab', format: 'x', host: 'web', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
    const inferred = Array.from({ length: 3 }, (_, i) => {
      const event = web(3 * i);
      return { ...event, timestamp: 500 + i, fields: { ...event.fields, 'loupe.time.inferred': ['zone'] } };
    });
    await writeBlocks(db, caseId, [encodeBlock(4, zoned, inferred)]);
    const before = await service.test({ caseId, yaml: NOT_FOUND, library: [], limit: 3 });
    expect(before.events.map((e) => e.timestamp)).toEqual([500, 501, 502]);
    expect((await retimeFile(db, caseId, zoned, (utc) => utc + 3_600_000)).moved).toBe(3);
    const after = await service.test({ caseId, yaml: NOT_FOUND, library: [], limit: 3 });
    expect(after.events.map((e) => e.timestamp)).toEqual([1000, 1030, 1060]);
    expect(after.hits).toBe(before.hits);
  });
});
