import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';
import { defaultReportOptions } from '../../../src/core/report/index';
import { renderPdf } from '../../../src/node/report/render-pdf';
import { readBuiltinPack } from '../../../src/node/rules/pack';
import { LoupeDB, addEvidence, annotate, createCase, listFindings, saveReportOptions, writeBlocks } from '../../../src/store';
import { DetectService } from '../../../src/workers/detect-service';
import { ReportService, reportFileName } from '../../../src/workers/report-service';

let db: LoupeDB | undefined;
let n = 0;
const dir = mkdtempSync(join(tmpdir(), 'loupe-report-service-'));
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 2, 12, 9, 0, 0);
const SQLI = "/MAAS/api/2.0/machines/?id=1'+UNION+SELECT+username,password+FROM+auth_user--";

function web(i: number): PendingEvent {
  const attack = i % 5 === 0;
  const query = attack ? "id=1' UNION SELECT username,password FROM auth_user--" : 'op=list';
  const raw = `203.0.113.45 - - [12/Mar/2026:09:00:${String(i).padStart(2, '0')} +0000] "GET ${attack ? SQLI : '/MAAS/api/2.0/machines/?op=list'} HTTP/1.1" 200 512 "-" "<script>x</script>"`;
  return { timestamp: T0 + i * 1000, line: i + 1, lineCount: 1, offset: i * 200, raw, fields: { 'event.dataset': 'apache.access', 'host.name': 'maas-region-01', 'source.ip': '203.0.113.45', 'http.request.method': 'GET', 'url.path': '/MAAS/api/2.0/machines/', 'url.query': query, 'url.original': attack ? SQLI : '/MAAS/api/2.0/machines/?op=list', 'http.response.status_code': 200 } };
}

function audit(i: number): PendingEvent {
  const user = i % 2 === 0 ? 'администратор' : 'operator';
  const description = `Started deploying 'worker-0${i}'.`;
  return { timestamp: T0 + 100_000 + i * 1000, line: i + 1, lineCount: 1, offset: i * 100, raw: `{"username": "${user}", "description": "${description}"}`, fields: { 'event.dataset': 'maas.audit', 'host.name': 'maas-region-01', 'user.name': user, 'event.action': 'node-deployed', 'maas.event.type': 'Node', 'maas.node.hostname': `worker-0${i}`, message: description } };
}

async function setup() {
  const opened = new LoupeDB(`report-service-${n++}`);
  db = opened;
  const caseId = (await createCase(opened, 'Demo case: maas/region 01', T0)).id;
  const file = (path: string, sha256: string) => addEvidence(opened, { caseId, path, bytes: 1234, sha256, format: 'x', host: 'maas-region-01', lines: 20, parsed: 20, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  const access = await file('sosreport-maas-region-01/var/log/apache2/access.log', 'a'.repeat(64));
  const events = await file('sosreport-maas-region-01/sos_commands/maas/maas_events_audit.json', 'b'.repeat(64));
  await writeBlocks(opened, caseId, [encodeBlock(0, access, Array.from({ length: 20 }, (_, i) => web(i))), encodeBlock(1, events, Array.from({ length: 6 }, (_, i) => audit(i)))]);
  const pack = () => readBuiltinPack();
  await new DetectService(() => opened, pack).run(caseId);
  const service = new ReportService(() => opened, pack, renderPdf, 'Loupe test', () => T0 + 86_400_000);
  return { db: opened, caseId, service };
}

describe('ReportService', () => {
  it('builds the model from the case: findings as stored, user activity, evidence, rules with versions', async () => {
    const { db: d, caseId, service } = await setup();
    const findings = await listFindings(d, caseId);
    expect(findings.length).toBeGreaterThan(0);
    const model = await service.preview(caseId, defaultReportOptions('x'), 1);
    expect(model.findings.map((f) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
    expect(model.findings.find((f) => f.title.startsWith('SQL injection'))?.excerpt[0]?.event.filePath).toBe('sosreport-maas-region-01/var/log/apache2/access.log');
    expect(model.userActivity.map((u) => u.user).sort()).toEqual(['operator', 'администратор']);
    expect(model.evidence.map((e) => e.sha256)).toEqual(['b'.repeat(64), 'a'.repeat(64)]);
    expect(model.rules.find((r) => r.title.startsWith('SQL injection'))?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.facts.events).toBe(26);
  });

  it('writes a PDF with the selected findings and annotations only', async () => {
    const { db: d, caseId, service } = await setup();
    const findings = await listFindings(d, caseId);
    const sqli = findings.find((f) => f.title.startsWith('SQL injection'))!;
    const others = findings.filter((f) => f !== sqli);
    await annotate(d, caseId, { eventId: sqli.eventIds[0]! }, { starred: true, comment: 'Первый запрос инструмента sqlmap' });
    const options = { ...defaultReportOptions('x'), findingIds: [sqli.id!] };
    await saveReportOptions(d, caseId, options);
    expect((await d.cases.get(caseId))?.report?.findingIds).toEqual([sqli.id]);
    const pdf = await service.pdf(caseId, options, 1);
    expect(pdf.fileName).toBe('loupe-report-Demo-case-maas-region-01-2026-03-13.pdf');
    expect(pdf.pages).toBeGreaterThan(3);
    writeFileSync(join(dir, 'r.pdf'), pdf.bytes);
    const text = execFileSync('pdftotext', ['-raw', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain(sqli.title);
    for (const f of others) expect(text).not.toContain(f.title);
    expect(text.replace(/\s+/g, ' ')).toContain('Первый запрос инструмента sqlmap');
    expect(text).toContain('a'.repeat(64));
    expect(text).toContain('администратор');
  });

  it('makes safe file names', () => {
    expect(reportFileName('../../etc/passwd', 0)).toBe('loupe-report-etc-passwd-1970-01-01.pdf');
    expect(reportFileName('Случай №1', 0)).toBe('loupe-report-Случай-No1-1970-01-01.pdf');
    expect(reportFileName('\u202e', 0)).toBe('loupe-report-case-1970-01-01.pdf');
  });
});
