import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { accountUserActivity, AUDIT_DATASET } from '../core/audit/user-activity';
import { splitBundlePath } from '../core/bundle/layout';
import { decodeEvent, splitEventId, type EventBlock } from '../core/model/block';
import {
  buildReportModel, bundleManifest, defaultReportOptions, eventsInTimeOrder, eventsToQuote, reportDocumentDefinition, reportEventOf,
  type ReportBundleInput, type ReportFindingInput, type ReportInputs, type ReportOptions, type ReportRuleInput,
} from '../core/report/index';
import { compileRules, loadRules, ruleKey, type SigmaDocument } from '../core/rules/index';
import { renderPdf } from '../node/report/render-pdf';
import type { RuleFile } from '../node/report/rule-files';
import type { Analysis } from './analyze';

/**
 * `loupe analyze BUNDLE --pdf out.pdf`: the same report as the app's Report view, from the CLI's
 * in-memory analysis. Findings come from the core engine over the rules given.
 */

export interface RuleSetForReport {
  readonly documents: SigmaDocument[];
  readonly rules: ReportRuleInput[];
  /** Rule files that did not load, as "file: message". */
  readonly errors: string[];
}

/**
 * The rules the report's findings come from: today the `--rules` files. When the built-in pack
 * lands (issue 5), the lead points this one function at it as well.
 */
export function reportRuleSet(files: readonly RuleFile[]): RuleSetForReport {
  const documents: SigmaDocument[] = [];
  const rules: ReportRuleInput[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const loaded = loadRules(file.text, { file: file.path, collectErrors: true });
    for (const e of loaded.errors) errors.push(`${file.path}: ${e.message}`);
    for (const doc of loaded.documents) {
      documents.push(doc);
      if (doc.kind === 'filter') continue;
      const date = doc.modified ?? doc.date;
      rules.push({
        id: ruleKey(doc),
        title: doc.title,
        ...(doc.level !== undefined ? { level: doc.level } : {}),
        ...(doc.description !== undefined ? { description: doc.description } : {}),
        ...(doc.author !== undefined ? { author: doc.author } : {}),
        references: doc.references,
        falsePositives: doc.falsepositives,
        ...(date !== undefined ? { date } : {}),
        sha256: file.sha256,
        ...(doc.license !== undefined ? { license: doc.license } : {}),
      });
    }
  }
  return { documents, rules, errors };
}

/** The report's inputs from the analysis and every block it made (ids are blockId * 4096 + index). */
export function cliReportInputs(
  analysis: Analysis,
  blocks: readonly EventBlock[],
  filePaths: ReadonlyMap<number, string>,
  ruleSet: RuleSetForReport,
  context: { readonly caseName: string; readonly generator: string; readonly now: number },
  options: ReportOptions = defaultReportOptions(context.caseName),
): ReportInputs {
  const compiled = compileRules(ruleSet.documents);
  const matches = compiled.evaluate(eventsInTimeOrder(blocks));
  const findings: ReportFindingInput[] = matches.map((m, i) => ({
    id: i + 1, ruleId: m.ruleId, title: m.title, level: m.level ?? 'informational', first: m.first, last: m.last,
    count: m.count, entities: m.entities, eventIds: m.eventIds, authors: m.authors,
  }));
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
    return found === undefined ? [] : [reportEventOf(found.event, filePaths.get(found.block.fileId) ?? `file #${found.block.fileId}`)];
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
  const bundles: ReportBundleInput[] = analysis.bundles.map((b) => {
    const files = evidence.filter((e) => splitBundlePath(e.path).root === b.root);
    return {
      root: b.root, kind: b.kind,
      ...(b.host !== undefined ? { host: b.host } : {}),
      ...(b.sosVersion !== undefined ? { sosVersion: b.sosVersion } : {}),
      ...(b.collectedAt !== undefined ? { collectedAt: b.collectedAt } : {}),
      ...(b.timeZone !== undefined ? { timeZone: b.timeZone } : {}),
      files: files.length,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      manifestSha256: createHash('sha256').update(bundleManifest(files)).digest('hex'),
    };
  });
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
    rules: ruleSet.rules,
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

export async function writeCliReport(path: string, inputs: ReportInputs, options: ReportOptions = defaultReportOptions(inputs.caseName)): Promise<{ pages: number; bytes: number }> {
  const pdf = await renderPdf(reportDocumentDefinition(buildReportModel(inputs, options)));
  await writeFile(path, pdf);
  // pdfkit writes one "/Type /Page" object per page (and "/Type /Pages" once).
  const pages = (Buffer.from(pdf).toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  return { pages, bytes: pdf.byteLength };
}
