import { sha256 } from 'hash-wasm';
import { accountUserActivity, AUDIT_DATASET, type UserActivity } from '../core/audit/user-activity';
import { loadPack, type TextFile } from '../core/detect';
import { decodeEvent, splitEventId, type EventBlock } from '../core/model/block';
import type { LoupeEvent } from '../core/model/event';
import {
  buildReportModel, bundleManifests, eventsToQuote, reportDocumentDefinition, reportEventOf, reportRulesOf,
  type PdfDocumentDefinition, type ReportEvidenceInput, type ReportFinding, type ReportInputs, type ReportModel, type ReportOptions,
} from '../core/report/index';
import { compileRules } from '../core/rules';
import { listAnnotations, listEvidence, listFindings, loadBlockIndex, loadBlocks, type BlockIndexRecord, type FindingRecord, type LoupeDB } from '../store';
import type { ReportApi, ReportPdf } from './contract';
import type { PackSource } from './detect-service';

/** Turns a document definition into PDF bytes (pdfmake's browser build in the worker, Node's in tests). */
export type PdfRenderer = (definition: PdfDocumentDefinition) => Promise<Uint8Array>;

/** What does not change while the analyst edits choices: read once per case and generation. */
interface CaseBase {
  readonly key: string;
  readonly inputs: Omit<ReportInputs, 'annotations' | 'events'>;
  readonly index: ReadonlyMap<number, BlockIndexRecord>;
  readonly paths: ReadonlyMap<number, string>;
}

/** A FindingRecord as the core Finding it was made from (rows from before kind/hosts/authors get defaults). */
export function findingOfRecord(r: FindingRecord): ReportFinding {
  return {
    id: r.id ?? 0,
    ruleId: r.ruleId,
    title: r.title,
    level: (r.level as ReportFinding['level']) ?? 'informational',
    kind: r.kind ?? 'rule',
    authors: r.authors ?? [],
    ...(r.description !== undefined ? { description: r.description } : {}),
    first: r.first,
    last: r.last,
    count: r.count,
    ...(r.value !== undefined ? { value: r.value } : {}),
    hosts: r.hosts ?? [],
    entities: r.entities,
    eventIds: r.eventIds,
  };
}

/** A file name for the report: the case name made safe, and the date. */
export function reportFileName(caseName: string, now: number): string {
  const base = caseName.normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'case';
  return `loupe-report-${base}-${new Date(now).toISOString().slice(0, 10)}.pdf`;
}

/**
 * The report of a case, off the UI thread: reads what the report needs from the case database,
 * builds the model (the Report view's preview) and the PDF. Same core code as `loupe --pdf`.
 */
export class ReportService implements ReportApi {
  private base: CaseBase | undefined;

  constructor(
    private readonly db: () => LoupeDB,
    private readonly pack: PackSource,
    private readonly render: PdfRenderer,
    private readonly generator: string,
    private readonly now: () => number = () => Date.now(),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async preview(caseId: string, options: ReportOptions, generation: number): Promise<ReportModel> {
    return buildReportModel(await this.inputs(caseId, options, generation), options);
  }

  async pdf(caseId: string, options: ReportOptions, generation: number): Promise<ReportPdf> {
    const started = this.clock();
    const inputs = await this.inputs(caseId, options, generation);
    const bytes = await this.render(reportDocumentDefinition(buildReportModel(inputs, options)));
    return { bytes, pages: pdfPages(bytes), fileName: reportFileName(inputs.caseName, inputs.generatedAt), elapsedMs: this.clock() - started };
  }

  async userActivity(caseId: string, generation: number): Promise<UserActivity[]> {
    return [...(await this.caseBase(caseId, generation)).inputs.userActivity];
  }

  /** Every input for these choices: the case's base, its annotations and the events quoted. */
  async inputs(caseId: string, options: ReportOptions, generation: number): Promise<ReportInputs> {
    const db = this.db();
    const base = await this.caseBase(caseId, generation);
    const annotations = (await listAnnotations(db, caseId)).map((a) => ({
      id: a.id ?? 0, starred: a.starred, tags: a.tags, comment: a.comment, updatedAt: a.updatedAt,
      ...(a.eventId !== undefined ? { eventId: a.eventId } : {}),
      ...(a.findingId !== undefined ? { findingId: a.findingId } : {}),
    }));
    const ids = eventsToQuote({ findings: base.inputs.findings, annotations }, options);
    const events = (await this.events(caseId, ids)).map((e) => reportEventOf(e, base.paths.get(base.index.get(splitEventId(e.id)[0])?.fileId ?? -1) ?? ''));
    return { ...base.inputs, generatedAt: this.now(), annotations, events };
  }

  private async events(caseId: string, ids: readonly number[]): Promise<LoupeEvent[]> {
    const blockIds = [...new Set(ids.map((id) => splitEventId(id)[0]))];
    const blocks = await loadBlocks(this.db(), caseId, blockIds);
    const byId = new Map<number, EventBlock>();
    blocks.forEach((b, i) => { if (b !== undefined) byId.set(blockIds[i]!, b); });
    return ids.flatMap((id) => {
      const [blockId, index] = splitEventId(id);
      const block = byId.get(blockId);
      return block === undefined || index >= block.count ? [] : [decodeEvent(block, index)];
    });
  }

  private async caseBase(caseId: string, generation: number): Promise<CaseBase> {
    const key = `${caseId}:${generation}`;
    if (this.base?.key === key) return this.base;
    const db = this.db();
    const kase = await db.cases.get(caseId);
    if (kase === undefined) throw new Error(`no case ${caseId}`);
    const evidenceRows = (await listEvidence(db, caseId)).filter((e) => e.status === 'done' || e.status === 'failed');
    const evidence: ReportEvidenceInput[] = evidenceRows.map((e) => ({
      path: e.path, bytes: e.bytes, sha256: e.sha256, format: e.format, host: e.host,
      lines: e.lines, parsed: e.parsed, continued: e.continued, unparsed: e.unparsed, errors: e.errors,
    }));
    const paths = new Map(evidenceRows.flatMap((e) => (e.id !== undefined ? [[e.id, e.path] as const] : [])));
    const index = await loadBlockIndex(db, caseId);
    const byBlock = new Map(index.map((b) => [b.blockId, b]));
    let total = 0;
    let tsMin = Infinity;
    let tsMax = -Infinity;
    const hosts = new Set<string>();
    for (const b of index) {
      total += b.count;
      if (Number.isFinite(b.tsMin)) tsMin = Math.min(tsMin, b.tsMin);
      if (Number.isFinite(b.tsMax)) tsMax = Math.max(tsMax, b.tsMax);
      for (const h of b.hosts) hosts.add(h);
    }
    const eventTimes = new Float64Array(total);
    let at = 0;
    for (const b of index) {
      eventTimes.set(b.timestamps.subarray(0, b.count), at);
      at += b.count;
    }
    const timeOf = (id: number): number => {
      const [blockId, i] = splitEventId(id);
      return byBlock.get(blockId)?.timestamps[i] ?? NaN;
    };
    const findings = (await listFindings(db, caseId)).map(findingOfRecord);

    // User activity: only blocks that hold MAAS audit events are read.
    const auditBlockIds = index.filter((b) => b.datasets.includes(AUDIT_DATASET)).map((b) => b.blockId);
    const auditEvents: LoupeEvent[] = [];
    for (const block of await loadBlocks(db, caseId, auditBlockIds)) {
      if (block === undefined) continue;
      for (let i = 0; i < block.count; i++) {
        const e = decodeEvent(block, i);
        if (e.fields['event.dataset'] === AUDIT_DATASET) auditEvents.push(e);
      }
    }

    const builtin = this.pack();
    const caseRules: TextFile[] = (await db.rules.where('caseId').equals(caseId).toArray())
      .filter((r) => r.enabled && !r.builtin)
      .map((r) => ({ path: `case rule ${r.id}`, text: r.yaml }));
    const ruleFiles = [...builtin.rules, ...caseRules];
    const loaded = loadPack(ruleFiles, [...builtin.data]);
    const ruleSet = compileRules(loaded.documents, { placeholders: loaded.placeholders });
    const versions = new Map(await Promise.all(ruleFiles.map(async (f) => [f.path, await sha256(f.text)] as const)));
    const bundles = await Promise.all(bundleManifests(kase.bundles ?? [], evidence).map(async ({ bundle, manifest }) => ({ ...bundle, manifestSha256: await sha256(manifest) })));

    this.base = {
      key,
      index: byBlock,
      paths,
      inputs: {
        caseName: kase.name,
        caseCreatedAt: kase.createdAt,
        generatedAt: this.now(),
        generator: this.generator,
        evidence,
        bundles,
        totalEvents: total,
        hosts: [...hosts].sort(),
        tsMin,
        tsMax,
        findings,
        rules: reportRulesOf(ruleSet, versions),
        findingTimes: Object.fromEntries(findings.map((f) => [f.id, f.eventIds.map(timeOf)])),
        eventTimes,
        userActivity: accountUserActivity(auditEvents),
      },
    };
    return this.base;
  }
}

/** Pages of a pdfkit PDF: one "/Type /Page" object per page. */
export function pdfPages(pdf: Uint8Array): number {
  let text = '';
  // Latin-1 decoding keeps bytes as characters; only the object dictionaries matter here.
  for (let i = 0; i < pdf.length; i += 8192) text += String.fromCharCode(...pdf.subarray(i, i + 8192));
  return (text.match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}
