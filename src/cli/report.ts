import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { accountUserActivity, AUDIT_DATASET } from '../core/audit/user-activity';
import { decodeEvent, splitEventId, type EventBlock } from '../core/model/block';
import {
  buildReportModel, bundleManifests, defaultReportOptions, eventsToQuote, reportDocumentDefinition, reportEventOf, reportRulesOf,
  type ReportBundleInput, type ReportFinding, type ReportInputs, type ReportOptions,
} from '../core/report/index';
import { renderPdf } from '../node/report/render-pdf';
import type { Analysis } from './analyze';
import type { RulePack } from './findings';

/**
 * `loupe analyze BUNDLE --pdf out.pdf`: the same report as the app's Report view, from the CLI's
 * in-memory analysis. Its findings are the analysis's own (the built-in pack plus --rules, run
 * in time order over de-duplicated events, as the app does).
 */

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The report's inputs from the analysis and every block it made (ids are blockId * 4096 + index). */
export function cliReportInputs(
  analysis: Analysis,
  blocks: readonly EventBlock[],
  pack: RulePack,
  context: { readonly caseName: string; readonly generator: string; readonly now: number },
  options: ReportOptions = defaultReportOptions(context.caseName),
): ReportInputs {
  const findings: ReportFinding[] = analysis.findings.map((f, i) => ({ ...f, id: i + 1 }));
  const byId = new Map(blocks.map((b) => [b.blockId, b]));
  const eventById = (id: number) => {
    const [blockId, index] = splitEventId(id);
    const block = byId.get(blockId);
    return block === undefined || index >= block.count ? undefined : { block, event: decodeEvent(block, index) };
  };
  const timeOf = (id: number): number => {
    const [blockId, index] = splitEventId(id);
    return byId.get(blockId)?.timestamps[index] ?? NaN;
  };
  const quoted = eventsToQuote({ findings, annotations: [] }, options).flatMap((id) => {
    const found = eventById(id);
    return found === undefined ? [] : [reportEventOf(found.event, analysis.filePaths.get(found.block.fileId) ?? `file #${found.block.fileId}`)];
  });
  let total = 0;
  for (const b of blocks) total += b.count;
  const eventTimes = new Float64Array(total);
  let at = 0;
  for (const b of blocks) {
    eventTimes.set(b.timestamps.subarray(0, b.count), at);
    at += b.count;
  }
  const auditEvents = blocks
    .filter((b) => b.columns['event.dataset'] !== undefined)
    .flatMap((b) => Array.from({ length: b.count }, (_, i) => decodeEvent(b, i)).filter((e) => e.fields['event.dataset'] === AUDIT_DATASET));
  const evidence = analysis.document.evidence.map((e) => ({
    path: e.path, bytes: e.bytes, sha256: e.sha256 ?? '', format: e.format, host: e.host ?? '',
    lines: e.lines, parsed: e.parsed, continued: e.continued, unparsed: e.unparsed, errors: e.errors,
  }));
  const bundles: ReportBundleInput[] = bundleManifests(analysis.bundles, evidence).map(({ bundle, manifest }) => ({ ...bundle, manifestSha256: sha256(manifest) }));
  const versions = new Map(pack.files.map((f) => [f.path, sha256(f.text)]));
  return {
    caseName: context.caseName,
    caseCreatedAt: context.now,
    generatedAt: context.now,
    generator: context.generator,
    evidence,
    bundles,
    totalEvents: analysis.document.events,
    hosts: analysis.document.hosts,
    tsMin: analysis.tsMin,
    tsMax: analysis.tsMax,
    findings,
    rules: reportRulesOf(pack.ruleSet, versions),
    annotations: [],
    events: quoted,
    findingTimes: Object.fromEntries(findings.map((f) => [f.id, f.eventIds.map(timeOf)])),
    eventTimes,
    userActivity: accountUserActivity(auditEvents),
  };
}

/** A case name for a CLI report: the bundle roots analysed. */
export function cliCaseName(analysis: Analysis): string {
  const roots = analysis.bundles.map((b) => b.root).filter((r) => r !== '');
  return roots.length > 0 ? roots.join(', ') : 'Loose evidence files';
}

/** Pages of a PDF written by pdfkit: one "/Type /Page" object per page (and "/Type /Pages" once). */
export function pdfPageCount(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

export async function writeCliReport(path: string, inputs: ReportInputs, options: ReportOptions = defaultReportOptions(inputs.caseName)): Promise<{ pages: number; bytes: number }> {
  const pdf = await renderPdf(reportDocumentDefinition(buildReportModel(inputs, options)));
  await writeFile(path, pdf);
  return { pages: pdfPageCount(pdf), bytes: pdf.byteLength };
}
