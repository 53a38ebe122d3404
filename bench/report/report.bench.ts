/**
 * The report's benchmark body (bundled by bench/report/run.mjs): synthetic inputs sized to a
 * 50-page report, timed through the same core + pdfmake path as the CLI and the report worker.
 */
import { buildReportModel, defaultReportOptions, reportDocumentDefinition, type ReportInputs, type ReportModel } from '../../src/core/report/index';
import { renderPdf } from '../../src/node/report/render-pdf';
import { syntheticReportInputs } from '../../test/support/report-inputs';

export function pageCount(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

export function inputsFor(findings: number): ReportInputs {
  return syntheticReportInputs({ findings, eventsPerFinding: 40, files: 60, auditActions: 120 });
}

export interface ReportRun {
  readonly pages: number;
  readonly bytes: number;
  readonly modelMs: number;
  readonly renderMs: number;
  readonly totalMs: number;
  readonly model: ReportModel;
}

export async function buildOnce(inputs: ReportInputs): Promise<ReportRun> {
  const options = defaultReportOptions(inputs.caseName);
  const t0 = performance.now();
  const model = buildReportModel(inputs, options);
  const definition = reportDocumentDefinition(model);
  const t1 = performance.now();
  const pdf = await renderPdf(definition);
  const t2 = performance.now();
  return { pages: pageCount(pdf), bytes: pdf.byteLength, modelMs: t1 - t0, renderMs: t2 - t1, totalMs: t2 - t0, model };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The peer's input: the same findings and quoted events as escaped HTML, for Chromium's print-to-PDF. */
export function peerHtml(model: ReportModel): string {
  const parts = ['<!doctype html><html><head><meta charset="utf-8"><style>body{font:9pt sans-serif;margin:0}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ccc;vertical-align:top;padding:2px 4px}.raw{font-family:monospace;font-size:7pt;word-break:break-all;background:#f4f6f8}h2{page-break-before:always}</style></head><body>'];
  parts.push(`<h1>${esc(model.cover.title)}</h1>`);
  for (const p of model.summary) parts.push(`<p>${esc(p)}</p>`);
  for (const f of model.findings) {
    parts.push(`<h2>${esc(f.label)}. ${esc(f.title)}</h2><p>${esc(f.description)}</p><p>${esc(f.author)}</p><table>`);
    for (const q of f.excerpt) parts.push(`<tr><td>${q.event.timestamp}</td><td>${esc(q.event.filePath)}:${q.event.line}</td><td class="raw">${esc(q.event.raw)}</td></tr>`);
    parts.push('</table>');
  }
  parts.push('<h2>Evidence</h2><table>');
  for (const e of model.evidence) parts.push(`<tr><td>${esc(e.path)}<br>${e.sha256}</td><td>${e.bytes}</td></tr>`);
  parts.push('</table>');
  for (const u of model.userActivity) {
    parts.push(`<h2>${esc(u.user)}</h2><table>`);
    for (const a of u.actions) parts.push(`<tr><td>${a.timestamp}</td><td>${esc(a.action)}</td><td>${esc(a.description)}</td></tr>`);
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return parts.join('');
}
