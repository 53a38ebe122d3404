import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel, defaultReportOptions, pdfText, reportDocumentDefinition, visibleText } from '../../../src/core/report/index';
import { renderPdf } from '../../../src/node/report/render-pdf';
import { syntheticReportInputs } from '../../support/report-inputs';

/**
 * Log text is hostile: in the PDF it must stay text (searchable, copyable), never markup, and what
 * would fool a reader (terminal escapes, bidi overrides) must show. Read back with pdftotext.
 */
const SCRIPT = '<script>alert(document.cookie)</script>';
const ESCAPE = '\u001b[31mRED\u001b[0m \u001b]0;title\u0007';
const CYRILLIC = 'Неудачная попытка входа для пользователя администратор';
const GREEK = 'Αποτυχία σύνδεσης χρήστη διαχειριστής';
const BIDI = 'invoice\u202Efdp.exe';
const CJK = '登录失败 ログイン失敗';
const LONG = `GET /${'a'.repeat(600)}?q=${'b'.repeat(600)} HTTP/1.1`;
const HOSTILE = [SCRIPT, ESCAPE, CYRILLIC, GREEK, BIDI, CJK, LONG];

let dir = '';
let text = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-hostile-'));
  const inputs = syntheticReportInputs({
    findings: 2,
    eventsPerFinding: HOSTILE.length,
    raw: (_f, i) => HOSTILE[i]!,
    title: (f) => (f === 0 ? `SQLi ${SCRIPT}` : `Вход ${GREEK}`),
    user: (u) => (u === 0 ? 'администратор' : u === 1 ? `${SCRIPT}` : 'διαχειριστής'),
  });
  const annotated = { ...inputs, annotations: [{ id: 1, eventId: inputs.findings[0]!.eventIds[0]!, starred: true, tags: ['malicious'], comment: `Analyst: ${CYRILLIC} ${SCRIPT}`, updatedAt: 0 }] };
  const options = { ...defaultReportOptions(inputs.caseName), excerptSize: HOSTILE.length, cover: { ...defaultReportOptions(inputs.caseName).cover, analyst: 'Ελένη Παπαδοπούλου', organisation: 'ООО «Пример»' } };
  const pdf = await renderPdf(reportDocumentDefinition(buildReportModel(annotated, options)));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  text = execFileSync('pdftotext', ['-raw', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flat = (s: string): string => s.replace(/\s+/g, '');

describe('hostile log text in the PDF', () => {
  it('prints markup as the characters it is', () => {
    expect(text).toContain(SCRIPT);
    expect(text).toContain(`SQLi ${SCRIPT}`);
    expect(flat(text)).toContain(flat(`Analyst: ${CYRILLIC} ${SCRIPT}`));
  });

  it('shows terminal escapes and bidi overrides as code points, never as control characters', () => {
    expect(visibleText(ESCAPE)).toBe('[U+001B][31mRED[U+001B][0m [U+001B]]0;title[U+0007]');
    expect(text).toContain('[U+001B][31mRED[U+001B][0m');
    expect(text).toContain('invoice[U+202E]fdp.exe');
    // eslint-disable-next-line no-control-regex -- the point: no raw control characters reach the PDF text
    expect(text.replace(/[\n\f\t]/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('renders Cyrillic and Greek as readable, searchable text (Roboto covers them)', () => {
    expect(text).toContain(CYRILLIC);
    expect(text).toContain(GREEK);
    expect(text).toContain('Ελένη Παπαδοπούλου');
    expect(text).toContain('ООО «Пример»');
    expect(text).toContain('администратор');
    expect(text).toContain('διαχειριστής');
  });

  it('wraps long lines instead of cutting them off', () => {
    expect(flat(text)).toContain(flat(LONG));
  });

  it('CJK: Roboto has no CJK glyphs, so the PDF names their code points instead of drawing empty boxes (a known limit)', () => {
    expect(text).not.toContain(CJK);
    expect(pdfText(CJK)).toBe('[U+767B][U+5F55][U+5931][U+8D25] [U+30ED][U+30B0][U+30A4][U+30F3][U+5931][U+6557]');
    expect(flat(text)).toContain(flat(pdfText(CJK)));
    expect(pdfText('emoji 😀 and Hebrew שלום')).toBe('emoji [U+1F600] and Hebrew [U+05E9][U+05DC][U+05D5][U+05DD]');
    // Latin, Greek and Cyrillic are left as they are.
    expect(pdfText(`${CYRILLIC} ${GREEK} café`)).toBe(`${CYRILLIC} ${GREEK} café`);
  });
});
