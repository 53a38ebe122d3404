import type { UserActivity } from '../audit/user-activity';
import { compareFindings } from '../model/finding';
import { histogram, paddedWindow, type Histogram } from './histogram';
import {
  SEVERITIES,
  type ReportAnnotationInput,
  type ReportBundleInput,
  type ReportEventInput,
  type ReportEvidenceInput,
  type ReportFinding,
  type ReportInputs,
  type ReportRuleInput,
  type Severity,
} from './inputs';
import type { ReportCover, ReportOptions, ReportSection } from './options';

/**
 * The report as data: what goes in and in which order, independent of how it is drawn. The PDF
 * (pdf-document.ts) and the Report view's preview are both drawn from this one model, so what the
 * analyst previews is what the PDF holds.
 */

export interface QuotedEvent {
  readonly event: ReportEventInput;
  readonly annotation?: ReportAnnotationInput;
}

export interface FindingSection {
  readonly id: number;
  /** "F1", "F2"...: how the text refers to it. */
  readonly label: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly kind: 'rule' | 'correlation';
  /** Hosts its events were logged on. */
  readonly hosts: readonly string[];
  /** The rule's author(s), each once; "unknown" when the rule names none. */
  readonly author: string;
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  readonly entities: readonly (readonly [field: string, value: string])[];
  readonly first: number;
  readonly last: number;
  readonly count: number;
  readonly chart: Histogram;
  /** Key events, in time order, each with the analyst's annotation. */
  readonly excerpt: readonly QuotedEvent[];
  /** Events of the finding not quoted. */
  readonly notQuoted: number;
  /** The analyst's notes on the finding itself. */
  readonly notes: readonly ReportAnnotationInput[];
}

export interface TimelineBand {
  readonly label: string;
  readonly title: string;
  readonly severity: Severity;
  readonly first: number;
  readonly last: number;
}

export interface ReportFacts {
  readonly hosts: readonly string[];
  readonly first: number;
  readonly last: number;
  readonly events: number;
  readonly files: number;
  readonly findingsBySeverity: readonly (readonly [Severity, number])[];
  readonly users: number;
}

export interface RuleUsed extends ReportRuleInput {
  /** Findings of this rule in the report. */
  readonly findings: number;
}

export interface ReportModel {
  readonly cover: ReportCover & {
    readonly caseName: string;
    readonly generatedAt: number;
    readonly generator: string;
    readonly caseCreatedAt: number;
  };
  readonly sections: Readonly<Record<ReportSection, boolean>>;
  readonly facts: ReportFacts;
  /** The analyst's summary paragraphs, or the draft's when they wrote none. */
  readonly summary: readonly string[];
  readonly summaryIsDraft: boolean;
  readonly findings: readonly FindingSection[];
  readonly timeline: { readonly chart: Histogram; readonly bands: readonly TimelineBand[] };
  readonly annotated: readonly QuotedEvent[];
  readonly userActivity: readonly UserActivity[];
  readonly evidence: readonly ReportEvidenceInput[];
  readonly bundles: readonly ReportBundleInput[];
  readonly rules: readonly RuleUsed[];
}

export function severityOf(level: string | undefined): Severity {
  return (SEVERITIES as readonly string[]).includes(level ?? '') ? (level as Severity) : 'informational';
}

function bySeverityThenTime(a: ReportFinding, b: ReportFinding): number {
  return compareFindings(a, b) || a.id - b.id;
}

/** The findings the options select, most severe first. */
export function selectedFindings(inputs: Pick<ReportInputs, 'findings'>, options: Pick<ReportOptions, 'findingIds'>): ReportFinding[] {
  const wanted = options.findingIds === undefined ? undefined : new Set(options.findingIds);
  return inputs.findings.filter((f) => wanted === undefined || wanted.has(f.id)).sort(bySeverityThenTime);
}

export function selectedAnnotations(inputs: Pick<ReportInputs, 'annotations'>, options: Pick<ReportOptions, 'annotationIds'>): ReportAnnotationInput[] {
  const wanted = options.annotationIds === undefined ? undefined : new Set(options.annotationIds);
  return inputs.annotations.filter((a) => wanted === undefined || wanted.has(a.id));
}

/** An annotation worth printing: starred, tagged or commented. */
function meaningful(a: ReportAnnotationInput): boolean {
  return a.starred || a.tags.length > 0 || a.comment.trim() !== '';
}

/**
 * The key events of a finding: its first and last events (half the excerpt each) and every one
 * of its events the analyst annotated, in the finding's order.
 */
export function keyEventIds(finding: ReportFinding, annotatedEventIds: ReadonlySet<number>, size: number): number[] {
  const ids = finding.eventIds;
  if (ids.length <= size) return [...ids];
  const head = Math.ceil(size / 2);
  const tail = size - head;
  const keep = new Set<number>([...ids.slice(0, head), ...ids.slice(ids.length - tail)]);
  for (const id of ids) if (annotatedEventIds.has(id)) keep.add(id);
  return ids.filter((id) => keep.has(id));
}

/** Every event id the report quotes for these inputs and options: what an adapter must load. */
export function eventsToQuote(inputs: Pick<ReportInputs, 'findings' | 'annotations'>, options: ReportOptions): number[] {
  const annotations = selectedAnnotations(inputs, options).filter(meaningful);
  const annotated = new Set(annotations.flatMap((a) => (a.eventId !== undefined ? [a.eventId] : [])));
  const ids = new Set<number>();
  if (options.sections.findings) for (const f of selectedFindings(inputs, options)) for (const id of keyEventIds(f, annotated, options.excerptSize)) ids.add(id);
  if (options.sections.annotations) for (const id of annotated) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

const NUMBER = new Intl.NumberFormat('en-US');

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z').replace('T', ' ') : 'unknown';
}

/** The generated draft of the facts: hosts, time span, findings by severity, evidence. */
export function draftSummary(facts: ReportFacts, findings: readonly FindingSection[]): string[] {
  const paragraphs: string[] = [];
  const hosts = facts.hosts.length === 0 ? 'no named host' : facts.hosts.length === 1 ? `the host ${facts.hosts[0]}` : `${facts.hosts.length} hosts (${facts.hosts.join(', ')})`;
  paragraphs.push(
    `This report covers ${NUMBER.format(facts.events)} events from ${NUMBER.format(facts.files)} evidence files of ${hosts}, ` +
      `logged between ${iso(facts.first)} and ${iso(facts.last)} UTC.`,
  );
  const counted = facts.findingsBySeverity.filter(([, n]) => n > 0);
  if (counted.length === 0) {
    paragraphs.push('No finding is included in this report.');
  } else {
    const total = counted.reduce((sum, [, n]) => sum + n, 0);
    paragraphs.push(`Detection rules raised ${total} finding${total === 1 ? '' : 's'} included here: ${counted.map(([s, n]) => `${n} ${s}`).join(', ')}.`);
    const top = findings.slice(0, 3).map((f) => `${f.label} ${f.title} (${f.severity}, ${NUMBER.format(f.count)} events, ${iso(f.first)} to ${iso(f.last)})`);
    paragraphs.push(`The most severe: ${top.join('; ')}.`);
  }
  if (facts.users > 0) paragraphs.push(`The MAAS audit log names ${facts.users} user account${facts.users === 1 ? '' : 's'}; their actions are listed in the user activity section.`);
  return paragraphs;
}

/** An author field split at top-level ';' and ',' ("A (SigmaHQ, original rule); B" is two names). */
function authorNames(field: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= field.length; i++) {
    const c = field[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (i === field.length || (depth === 0 && (c === ';' || c === ','))) {
      const name = field.slice(start, i).trim();
      if (name !== '') names.push(name);
      start = i + 1;
    }
  }
  return names;
}

/**
 * The authors of a finding, each named once: a correlation carries its own author and those of
 * its base rules, often the same person ("Loupe project" and "Loupe project (correlation form)").
 * Names that differ only by a parenthesised note count as one; the one with the note is kept.
 */
export function distinctAuthors(authors: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const field of authors) {
    for (const name of authorNames(field)) {
      const key = name.replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
      const known = byKey.get(key);
      if (known === undefined || name.length > known.length) byKey.set(key, name);
    }
  }
  return [...byKey.values()];
}

function authorOf(finding: ReportFinding, rule: ReportRuleInput | undefined): string {
  const authors = distinctAuthors(finding.authors.length > 0 ? finding.authors : rule?.author !== undefined ? [rule.author] : []);
  return authors.length > 0 ? authors.join('; ') : 'unknown';
}

export function buildReportModel(inputs: ReportInputs, options: ReportOptions): ReportModel {
  const findings = selectedFindings(inputs, options);
  const annotations = selectedAnnotations(inputs, options).filter(meaningful);
  const byEvent = new Map<number, ReportAnnotationInput>();
  for (const a of annotations) if (a.eventId !== undefined) byEvent.set(a.eventId, a);
  const annotatedIds = new Set(byEvent.keys());
  const events = new Map(inputs.events.map((e) => [e.id, e]));
  const rules = new Map(inputs.rules.map((r) => [r.id, r]));

  const sections: FindingSection[] = findings.map((f, index) => {
    const rule = rules.get(f.ruleId);
    const window = paddedWindow(f.first, f.last);
    const quoted = keyEventIds(f, annotatedIds, options.excerptSize).flatMap((id): QuotedEvent[] => {
      const event = events.get(id);
      if (event === undefined) return [];
      const annotation = byEvent.get(id);
      return [annotation !== undefined ? { event, annotation } : { event }];
    });
    quoted.sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.id - b.event.id);
    return {
      id: f.id,
      label: `F${index + 1}`,
      ruleId: f.ruleId,
      title: f.title,
      severity: severityOf(f.level),
      description: f.description?.trim() || rule?.description?.trim() || 'The rule gives no description.',
      kind: f.kind,
      hosts: f.hosts,
      author: authorOf(f, rule),
      references: rule?.references ?? [],
      falsePositives: rule?.falsePositives ?? [],
      entities: Object.entries(f.entities).sort(([a], [b]) => (a < b ? -1 : 1)),
      first: f.first,
      last: f.last,
      count: f.count,
      chart: histogram(inputs.findingTimes[f.id] ?? [], window.from, window.to, 60),
      excerpt: quoted,
      notQuoted: Math.max(0, f.count - quoted.length),
      notes: annotations.filter((a) => a.findingId === f.id),
    };
  });

  const facts: ReportFacts = {
    hosts: inputs.hosts,
    first: inputs.tsMin,
    last: inputs.tsMax,
    events: inputs.totalEvents,
    files: inputs.evidence.length,
    findingsBySeverity: SEVERITIES.map((s) => [s, sections.filter((f) => f.severity === s).length] as const),
    users: inputs.userActivity.length,
  };

  const timelineWindow = sections.length > 0
    ? paddedWindow(Math.min(...sections.map((f) => f.first)), Math.max(...sections.map((f) => f.last)))
    : { from: inputs.tsMin, to: inputs.tsMax };
  const chart = Number.isFinite(timelineWindow.from) && Number.isFinite(timelineWindow.to)
    ? histogram(inputs.eventTimes, timelineWindow.from, timelineWindow.to, 96)
    : { from: 0, to: 0, binMs: 1000, counts: [] };

  const annotated = annotations
    .flatMap((a): QuotedEvent[] => {
      const event = a.eventId === undefined ? undefined : events.get(a.eventId);
      return event === undefined ? [] : [{ event, annotation: a }];
    })
    .sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.id - b.event.id);

  const analystText = options.summary.trim();
  const summary = analystText !== '' ? analystText.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '') : draftSummary(facts, sections);

  const ruleFindings = new Map<string, number>();
  for (const f of sections) ruleFindings.set(f.ruleId, (ruleFindings.get(f.ruleId) ?? 0) + 1);

  return {
    cover: {
      ...options.cover,
      caseName: inputs.caseName,
      generatedAt: inputs.generatedAt,
      generator: inputs.generator,
      caseCreatedAt: inputs.caseCreatedAt,
    },
    sections: options.sections,
    facts,
    summary,
    summaryIsDraft: analystText === '',
    findings: sections,
    timeline: { chart, bands: sections.map((f) => ({ label: f.label, title: f.title, severity: f.severity, first: f.first, last: f.last })) },
    annotated,
    userActivity: inputs.userActivity,
    evidence: [...inputs.evidence].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    bundles: inputs.bundles,
    rules: [...inputs.rules].sort((a, b) => (a.title < b.title ? -1 : 1)).map((r) => ({ ...r, findings: ruleFindings.get(r.id) ?? 0 })),
  };
}
