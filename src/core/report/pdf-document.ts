import { SEVERITY_COLORS, histogramSvg } from './charts';
import type { ReportAnnotationInput, Severity } from './inputs';
import type { FindingSection, QuotedEvent, ReportModel } from './model';
import { SECTION_TITLES, type ReportSection } from './options';
import { clip, formatBytes, formatCount, formatDuration, pdfText, utcStamp } from './text';

/**
 * The pdfmake document definition of a report model: plain data plus the header/footer and table
 * layout callbacks pdfmake calls back. Evidence text enters only as `text` values (pdfmake draws
 * them as PDF text: searchable, copyable, never interpreted), after pdfText (visibleText, and code points the font lacks named).
 */

/** The part of pdfmake's document definition this file builds (pdfmake ships no types). */
export type PdfNode = { readonly [key: string]: PdfValue };
export type PdfValue =
  | string
  | number
  | boolean
  | undefined
  | PdfNode
  | readonly PdfValue[]
  | ((...args: never[]) => unknown);

export interface PdfDocumentDefinition extends PdfNode {
  readonly content: readonly PdfValue[];
}

/** The font every text and chart uses: pdfmake's Roboto (Apache-2.0) covers Latin, Greek and Cyrillic. */
export const REPORT_FONT = 'Roboto';

const PAGE_WIDTH = 595.28;
const MARGIN_X = 50;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
/** Longest quoted raw text; longer lines are cut with a note (the evidence keeps them whole). */
const MAX_QUOTED_CHARS = 2000;
/** Actions listed per user before a note says how many more there are. */
const MAX_ACTIONS_PER_USER = 400;

const INK = '#1a202c';
const MUTED = '#4a5568';
const FAINT = '#718096';
const RULE = '#cbd5e0';
const ACCENT = '#1a365d';
const CODE_BG = '#f4f6f8';

const TLP_COLORS: Readonly<Record<string, string>> = {
  'TLP:RED': '#ff2b2b',
  'TLP:AMBER': '#ffc000',
  'TLP:AMBER+STRICT': '#ffc000',
  'TLP:GREEN': '#33ff00',
  'TLP:CLEAR': '#ffffff',
};

function classificationColor(classification: string): string {
  return TLP_COLORS[classification.toUpperCase()] ?? '#ffffff';
}

/** Table layout: light horizontal rules, header underlined, no vertical lines. */
const lightTable = {
  hLineWidth: (i: number, node: { table: { body: unknown[]; headerRows?: number } }): number =>
    i === 0 || i === node.table.body.length ? 0 : i === (node.table.headerRows ?? 0) ? 0.8 : 0.4,
  vLineWidth: (): number => 0,
  hLineColor: (i: number, node: { table: { headerRows?: number } }): string => (i === (node.table.headerRows ?? 0) ? MUTED : RULE),
  paddingLeft: (i: number): number => (i === 0 ? 0 : 4),
  paddingRight: (i: number, node: { table: { widths: unknown[] } }): number => (i === node.table.widths.length - 1 ? 0 : 4),
  paddingTop: (): number => 3,
  paddingBottom: (): number => 3,
};

/** Key-value table without rules. */
const plainTable = {
  hLineWidth: (): number => 0,
  vLineWidth: (): number => 0,
  paddingLeft: (i: number): number => (i === 0 ? 0 : 8),
  paddingRight: (): number => 0,
  paddingTop: (): number => 2,
  paddingBottom: (): number => 2,
};

function severityChip(severity: Severity): PdfNode {
  return { text: ` ${severity.toUpperCase()} `, color: '#ffffff', background: SEVERITY_COLORS[severity], bold: true, fontSize: 7, characterSpacing: 0.4 };
}

function heading(text: string, style: 'h1' | 'h2', options: { readonly toc?: boolean; readonly pageBreak?: boolean; readonly id?: string } = {}): PdfNode {
  return {
    text,
    style,
    ...(options.toc === true ? { tocItem: true, tocStyle: style === 'h1' ? 'tocH1' : 'tocH2', tocMargin: style === 'h1' ? [0, 6, 0, 0] : [14, 2, 0, 0] } : {}),
    ...(options.pageBreak === true ? { pageBreak: 'before' } : {}),
    ...(options.id !== undefined ? { id: options.id } : {}),
  };
}

function keyValues(rows: readonly (readonly [string, PdfValue])[], keyWidth = 110): PdfNode {
  return {
    table: { widths: [keyWidth, '*'], body: rows.map(([k, v]) => [{ text: k, color: MUTED, fontSize: 8.5 }, typeof v === 'string' ? { text: v, fontSize: 9 } : v]) },
    layout: plainTable,
    margin: [0, 2, 0, 8],
  };
}

/** A run this long without a space may not fit the raw-text column (about 60 characters wide). */
const LONG_RUN = /\S{50}/;

/**
 * Raw log text on a light background: a text node, never markup. pdfmake sizes table columns by
 * their longest word and does not hard-wrap inside a cell, so a long URL or token would be cut
 * off: text with such a run may break between any two characters instead (CSS break-all).
 */
function logText(raw: string, fontSize = 7.2): PdfNode {
  const text = pdfText(clip(raw, MAX_QUOTED_CHARS));
  return { text, fontSize, color: INK, lineHeight: 1.15, preserveLeadingSpaces: true, ...(LONG_RUN.test(text) ? { wordBreak: 'break-all' } : {}) };
}

function annotationText(a: ReportAnnotationInput | undefined): PdfValue {
  if (a === undefined) return { text: '' };
  const parts: PdfNode[] = [];
  const marks = [a.starred ? 'Starred' : '', ...a.tags.map((t) => `#${pdfText(t)}`)].filter((s) => s !== '');
  if (marks.length > 0) parts.push({ text: marks.join('  '), bold: true, fontSize: 7, color: ACCENT });
  const comment = pdfText(a.comment.trim());
  if (comment !== '') parts.push({ text: comment, italics: true, fontSize: 7.5, color: INK, ...(LONG_RUN.test(comment) ? { wordBreak: 'break-all' } : {}) });
  return { stack: parts };
}

function sourceCell(q: QuotedEvent): PdfNode {
  return {
    stack: [
      { text: pdfText(q.event.host || '-'), fontSize: 7.2, bold: true },
      { text: pdfText(`${q.event.filePath}:${q.event.line}`), fontSize: 6.6, color: MUTED },
      { text: pdfText(q.event.dataset), fontSize: 6.6, color: FAINT },
    ],
  };
}

/** Quoted events: time, where it is in the evidence, the raw line, the analyst's note beside it. */
function eventTable(rows: readonly QuotedEvent[]): PdfNode {
  const header = ['Time (UTC)', 'Source', 'Event as logged', 'Analyst'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED }));
  return {
    table: {
      headerRows: 1,
      widths: [58, 92, '*', 104],
      body: [
        header,
        ...rows.map((q) => [
          { text: utcStamp(q.event.timestamp).replace(' ', '\n'), fontSize: 7.2 },
          sourceCell(q),
          { ...logText(q.event.raw), fillColor: CODE_BG },
          annotationText(q.annotation),
        ]),
      ],
    },
    layout: lightTable,
    margin: [0, 2, 0, 6],
  };
}

function findingsOverview(findings: readonly FindingSection[]): PdfNode {
  const header = ['', 'Severity', 'Finding', 'Events', 'First (UTC)', 'Last (UTC)'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED }));
  return {
    table: {
      headerRows: 1,
      widths: [18, 52, '*', 36, 70, 70],
      body: [
        header,
        ...findings.map((f) => [
          { text: f.label, bold: true, fontSize: 8, linkToDestination: `finding-${f.id}` },
          severityChip(f.severity),
          { text: pdfText(f.title), fontSize: 8, linkToDestination: `finding-${f.id}` },
          { text: formatCount(f.count), fontSize: 8, alignment: 'right' },
          { text: utcStamp(f.first, false), fontSize: 7.5 },
          { text: utcStamp(f.last, false), fontSize: 7.5 },
        ]),
      ],
    },
    layout: lightTable,
    margin: [0, 4, 0, 10],
  };
}

function findingBlock(f: FindingSection, number: string): PdfValue[] {
  const out: PdfValue[] = [];
  out.push({
    stack: [
      heading(`${number} ${f.label}. ${pdfText(f.title)}`, 'h2', { toc: true, id: `finding-${f.id}` }),
      {
        text: [
          severityChip(f.severity),
          { text: `   ${formatCount(f.count)} events over ${formatDuration(f.last - f.first)}`, fontSize: 8.5, color: MUTED },
        ],
        margin: [0, 0, 0, 6],
      },
    ],
    unbreakable: true,
  });
  out.push({ text: pdfText(f.description), fontSize: 9, margin: [0, 0, 0, 6] });
  const rows: [string, PdfValue][] = [
    ['Rule', { text: [{ text: pdfText(f.ruleId), fontSize: 8 }, ...(f.kind === 'correlation' ? [{ text: '  (correlation rule)', fontSize: 8, color: MUTED }] : [])], fontSize: 8 }],
    ['Rule author', { text: `${pdfText(f.author)} (shown per the Detection Rule License 1.1)`, fontSize: 8.5 }],
    ['Time span (UTC)', `${utcStamp(f.first)}  to  ${utcStamp(f.last)}`],
  ];
  if (f.hosts.length > 0) rows.push(['Hosts', pdfText(f.hosts.join(', '))]);
  if (f.entities.length > 0) {
    rows.push(['Entities', { stack: f.entities.map(([k, v]) => ({ text: [{ text: `${k}: `, color: MUTED }, { text: pdfText(v), bold: true }], fontSize: 8.5 })) }]);
  }
  if (f.falsePositives.length > 0) rows.push(['False positives', { text: f.falsePositives.map(pdfText).join('; '), fontSize: 8.5 }]);
  if (f.references.length > 0) rows.push(['References', { stack: f.references.map((r) => ({ text: pdfText(r), fontSize: 7.5, color: MUTED })) }]);
  out.push(keyValues(rows, 84));
  out.push({ text: 'Events over time', style: 'h3' });
  out.push({ svg: histogramSvg(f.chart, { width: CONTENT_WIDTH, height: 86, barColor: SEVERITY_COLORS[f.severity] }), width: CONTENT_WIDTH, margin: [0, 0, 0, 8] });
  for (const note of f.notes) {
    out.push({
      table: { widths: ['*'], body: [[{ stack: [{ text: 'Analyst note on this finding', bold: true, fontSize: 7.5, color: ACCENT }, annotationText(note)], fillColor: '#ebf4ff' }]] },
      layout: { hLineWidth: () => 0, vLineWidth: (i: number) => (i === 0 ? 2 : 0), vLineColor: () => ACCENT, paddingLeft: () => 8, paddingTop: () => 5, paddingBottom: () => 5 },
      margin: [0, 0, 0, 8],
    });
  }
  out.push({ text: f.notQuoted > 0 ? `Key events (${f.excerpt.length} of ${formatCount(f.count)}: the first, the last and every annotated one)` : `Events (${f.excerpt.length})`, style: 'h3' });
  if (f.excerpt.length > 0) out.push(eventTable(f.excerpt));
  else out.push({ text: 'The events of this finding are no longer in the case.', italics: true, fontSize: 8.5, color: MUTED });
  return out;
}

function coverPage(model: ReportModel): PdfValue[] {
  const c = model.cover;
  const rows: [string, PdfValue][] = [
    ['Case', pdfText(c.caseName)],
    ['Analyst', pdfText(c.analyst) || '-'],
    ['Organisation', pdfText(c.organisation) || '-'],
    ['Reference', pdfText(c.reference) || '-'],
    ['Classification', { text: c.classification || '-', bold: true }],
    ['Incident window', `${utcStamp(model.facts.first, false)}  to  ${utcStamp(model.facts.last, false)} UTC`],
    ['Hosts', pdfText(model.facts.hosts.join(', ')) || '-'],
    ['Evidence', `${formatCount(model.facts.files)} files, ${formatCount(model.facts.events)} events`],
    ['Findings', model.facts.findingsBySeverity.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'],
    ['Report generated', `${utcStamp(c.generatedAt, false)} UTC by ${c.generator}`],
  ];
  return [
    { text: 'INCIDENT REPORT', fontSize: 9, bold: true, characterSpacing: 2.5, color: FAINT, margin: [0, 96, 0, 10] },
    { text: pdfText(c.title), fontSize: 24, bold: true, color: ACCENT, lineHeight: 1.1, margin: [0, 0, 0, 8] },
    { text: pdfText(c.caseName), fontSize: 12, color: MUTED, margin: [0, 0, 0, 18] },
    { canvas: [{ type: 'line', x1: 0, y1: 0, x2: CONTENT_WIDTH, y2: 0, lineWidth: 1.2, lineColor: ACCENT }], margin: [0, 0, 0, 14] },
    keyValues(rows),
    {
      text:
        'All times are UTC. Each quoted event names the evidence file and line it comes from; Appendix A lists every ' +
        'file with its SHA-256 as received, so each quotation can be checked against the original evidence.',
      fontSize: 8, color: MUTED, margin: [0, 24, 0, 0],
    },
  ];
}

function sectionNumbers(sections: Readonly<Record<ReportSection, boolean>>): Map<ReportSection, string> {
  const numbers = new Map<ReportSection, string>();
  let n = 0;
  for (const s of ['summary', 'findings', 'timeline', 'annotations', 'userActivity'] as const) if (sections[s]) numbers.set(s, String(++n));
  if (sections.evidence) numbers.set('evidence', 'A');
  return numbers;
}

function summarySection(model: ReportModel, number: string): PdfValue[] {
  const out: PdfValue[] = [heading(`${number} ${SECTION_TITLES.summary}`, 'h1', { toc: true, pageBreak: true })];
  if (model.summaryIsDraft) out.push({ text: 'Draft generated from the case facts; the analyst has not written a summary.', italics: true, fontSize: 8, color: FAINT, margin: [0, 0, 0, 6] });
  for (const p of model.summary) out.push({ text: pdfText(p), style: 'body', margin: [0, 0, 0, 7] });
  const severityRows = model.facts.findingsBySeverity.map(([s, n]) => [severityChip(s), { text: String(n), fontSize: 9, alignment: 'right' }]);
  out.push({ text: 'Facts', style: 'h3', margin: [0, 8, 0, 4] });
  out.push({
    columns: [
      { width: '*', ...keyValues([
        ['Hosts', pdfText(model.facts.hosts.join(', ')) || '-'],
        ['First event', `${utcStamp(model.facts.first)} UTC`],
        ['Last event', `${utcStamp(model.facts.last)} UTC`],
        ['Span', formatDuration(model.facts.last - model.facts.first)],
        ['Events', formatCount(model.facts.events)],
        ['Evidence files', formatCount(model.facts.files)],
        ['Audit log users', String(model.facts.users)],
      ], 80) },
      { width: 150, stack: [{ text: 'Findings by severity', fontSize: 8.5, color: MUTED, margin: [0, 2, 0, 4] }, { table: { widths: ['*', 30], body: severityRows }, layout: plainTable }] },
    ],
    columnGap: 24,
  });
  return out;
}

function userActivitySection(model: ReportModel, number: string): PdfValue[] {
  const out: PdfValue[] = [heading(`${number} ${SECTION_TITLES.userActivity}`, 'h1', { toc: true, pageBreak: true })];
  if (model.userActivity.length === 0) {
    out.push({ text: 'The case holds no MAAS audit events (maas events query level=AUDIT output).', style: 'body', italics: true });
    return out;
  }
  out.push({ text: 'Who did what, when and on which node, from the MAAS audit events of the case. MAAS stores audit times in the region controller\'s local zone; they are shown as recorded.', style: 'body', margin: [0, 0, 0, 8] });
  model.userActivity.forEach((u, i) => {
    const shown = u.actions.slice(0, MAX_ACTIONS_PER_USER);
    out.push({
      stack: [
        heading(`${number}.${i + 1} ${pdfText(u.user)}`, 'h2', { toc: true }),
        {
          text: `${u.actions.length} action${u.actions.length === 1 ? '' : 's'} from ${utcStamp(u.first, false)} to ${utcStamp(u.last, false)}` +
            (u.nodes.length > 0 ? `; nodes: ${u.nodes.map(pdfText).join(', ')}` : '') +
            `. Most frequent: ${u.byAction.slice(0, 4).map(([a, n]) => `${pdfText(a)} (${n})`).join(', ')}.`,
          fontSize: 8.5, color: MUTED, margin: [0, 0, 0, 4],
        },
      ],
      unbreakable: true,
    });
    out.push({
      table: {
        headerRows: 1,
        widths: [76, 100, 70, '*'],
        body: [
          ['Time', 'Action', 'Node', 'Description'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED })),
          ...shown.map((a) => [
            { text: utcStamp(a.timestamp, false), fontSize: 7.5 },
            { text: pdfText(a.action), fontSize: 7.5, bold: true },
            { text: pdfText(a.node) || '-', fontSize: 7.5 },
            { text: pdfText(a.description), fontSize: 7.5 },
          ]),
        ],
      },
      layout: lightTable,
      margin: [0, 0, 0, 10],
    });
    if (u.actions.length > shown.length) out.push({ text: `${u.actions.length - shown.length} more actions are in the case.`, italics: true, fontSize: 8, color: MUTED });
  });
  return out;
}

function evidenceSection(model: ReportModel, number: string): PdfValue[] {
  const out: PdfValue[] = [heading(`Appendix ${number}. ${SECTION_TITLES.evidence}`, 'h1', { toc: true, pageBreak: true })];
  out.push(heading(`${number}.1 Evidence files`, 'h2', { toc: true }));
  out.push({ text: 'Every file of the case: its path inside the bundle, format, host, line accounting (lines = parsed + continued + unparsed), size and SHA-256 of the bytes as received.', style: 'body', margin: [0, 0, 0, 6] });
  out.push({
    table: {
      headerRows: 1,
      widths: ['*', 58, 62, 74, 42],
      body: [
        ['File and SHA-256', 'Format', 'Host', 'Lines (p / c / u)', 'Size'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED })),
        ...model.evidence.map((e) => [
          { stack: [
            { text: pdfText(e.path), fontSize: 7.5 },
            { text: e.sha256 || '(not hashed)', fontSize: 6.4, color: MUTED, characterSpacing: 0.1 },
            ...e.errors.map((err) => ({ text: pdfText(err), fontSize: 6.6, color: '#9b2c2c' })),
          ] },
          { text: pdfText(e.format), fontSize: 7.5 },
          { text: pdfText(e.host) || '-', fontSize: 7.5 },
          { text: [{ text: formatCount(e.lines), bold: true }, `\n${formatCount(e.parsed)} / ${formatCount(e.continued)} / ${formatCount(e.unparsed)}`], fontSize: 7.2 },
          { text: formatBytes(e.bytes), fontSize: 7.5, alignment: 'right' },
        ]),
      ],
      dontBreakRows: true,
    },
    layout: lightTable,
    margin: [0, 0, 0, 12],
  });
  out.push(heading(`${number}.2 Bundles`, 'h2', { toc: true }));
  out.push({ text: "A bundle's digest is the SHA-256 of its manifest: one line \"<sha256>  <path>\" per file, sorted by path (the output of sha256sum over the files, sorted).", style: 'body', margin: [0, 0, 0, 6] });
  if (model.bundles.length === 0) out.push({ text: 'No bundle recorded.', italics: true, fontSize: 8.5 });
  for (const b of model.bundles) {
    out.push(keyValues([
      ['Bundle', { text: pdfText(b.root || '(loose files)'), bold: true, fontSize: 9 }],
      ['Kind', `${b.kind}${b.sosVersion !== undefined ? ` (sos ${pdfText(b.sosVersion)})` : ''}`],
      ['Host', pdfText(b.host ?? '-')],
      ['Collected', b.collectedAt !== undefined ? `${utcStamp(b.collectedAt, false)} UTC` : '-'],
      ['Time zone', pdfText(b.timeZone ?? '-')],
      ['Files', `${formatCount(b.files)} (${formatBytes(b.bytes)})`],
      ['Manifest SHA-256', { text: b.manifestSha256, fontSize: 8 }],
    ], 96));
  }
  out.push(heading(`${number}.3 Detection rules`, 'h2', { toc: true }));
  out.push({ text: 'The rules that ran over the case. The version is the SHA-256 of the rule text as it ran and its date; authors are shown as the Detection Rule License 1.1 asks.', style: 'body', margin: [0, 0, 0, 6] });
  if (model.rules.length === 0) out.push({ text: 'No rule ran over this case.', italics: true, fontSize: 8.5 });
  else out.push({
    table: {
      headerRows: 1,
      widths: ['*', 46, 90, 100, 30],
      body: [
        ['Rule', 'Level', 'Author', 'Version', 'Findings'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED })),
        ...model.rules.map((r) => [
          { stack: [{ text: pdfText(r.title), fontSize: 7.8 }, { text: pdfText(r.id), fontSize: 6.4, color: MUTED }] },
          { text: r.level ?? '-', fontSize: 7.5 },
          { text: pdfText(r.author ?? 'unknown'), fontSize: 7.5 },
          { stack: [{ text: r.date ?? '-', fontSize: 7.2 }, { text: r.sha256 !== undefined ? r.sha256.slice(0, 16) : '-', fontSize: 6.4, color: MUTED }] },
          { text: String(r.findings), fontSize: 7.5, alignment: 'right' },
        ]),
      ],
      dontBreakRows: true,
    },
    layout: lightTable,
  });
  return out;
}

export function reportDocumentDefinition(model: ReportModel): PdfDocumentDefinition {
  const numbers = sectionNumbers(model.sections);
  const content: PdfValue[] = [...coverPage(model)];
  content.push({ toc: { title: { text: 'Contents', style: 'h1' } }, pageBreak: 'before' });

  const summaryNumber = numbers.get('summary');
  if (summaryNumber !== undefined) content.push(...summarySection(model, summaryNumber));

  const findingsNumber = numbers.get('findings');
  if (findingsNumber !== undefined) {
    content.push(heading(`${findingsNumber} ${SECTION_TITLES.findings}`, 'h1', { toc: true, pageBreak: true }));
    if (model.findings.length === 0) content.push({ text: 'No finding is included in this report.', style: 'body', italics: true });
    else {
      content.push({ text: `${model.findings.length} finding${model.findings.length === 1 ? '' : 's'}, most severe first. Each names the rule that raised it and its author.`, style: 'body' });
      content.push(findingsOverview(model.findings));
      model.findings.forEach((f, i) => content.push(...findingBlock(f, `${findingsNumber}.${i + 1}`)));
    }
  }

  const timelineNumber = numbers.get('timeline');
  if (timelineNumber !== undefined) {
    const { chart, bands } = model.timeline;
    content.push(heading(`${timelineNumber} ${SECTION_TITLES.timeline}`, 'h1', { toc: true, pageBreak: true }));
    content.push({ text: `Every event of the case from ${utcStamp(chart.from, false)} to ${utcStamp(chart.to, false)} UTC, all hosts and sources; the findings of this report are drawn as bands.`, style: 'body', margin: [0, 0, 0, 6] });
    content.push({ svg: histogramSvg(chart, { width: CONTENT_WIDTH, height: 190, bands }), width: CONTENT_WIDTH, margin: [0, 0, 0, 8] });
    if (bands.length > 0) {
      content.push({
        table: {
          headerRows: 1,
          widths: [18, 52, '*', 70, 70],
          body: [
            ['', 'Severity', 'Finding', 'From (UTC)', 'To (UTC)'].map((t) => ({ text: t, bold: true, fontSize: 7.5, color: MUTED })),
            ...bands.map((b) => [{ text: b.label, bold: true, fontSize: 8 }, severityChip(b.severity), { text: pdfText(b.title), fontSize: 8 }, { text: utcStamp(b.first, false), fontSize: 7.5 }, { text: utcStamp(b.last, false), fontSize: 7.5 }]),
          ],
        },
        layout: lightTable,
      });
    }
  }

  const annotationsNumber = numbers.get('annotations');
  if (annotationsNumber !== undefined) {
    content.push(heading(`${annotationsNumber} ${SECTION_TITLES.annotations}`, 'h1', { toc: true, pageBreak: true }));
    if (model.annotated.length === 0) content.push({ text: 'No event is starred, tagged or commented in this report.', style: 'body', italics: true });
    else {
      content.push({ text: `${model.annotated.length} event${model.annotated.length === 1 ? '' : 's'} the analyst starred, tagged or commented, in time order.`, style: 'body', margin: [0, 0, 0, 4] });
      content.push(eventTable(model.annotated));
    }
  }

  const usersNumber = numbers.get('userActivity');
  if (usersNumber !== undefined) content.push(...userActivitySection(model, usersNumber));

  const evidenceNumber = numbers.get('evidence');
  if (evidenceNumber !== undefined) content.push(...evidenceSection(model, evidenceNumber));

  const classification = model.cover.classification;
  const title = pdfText(model.cover.title);
  return {
    pageSize: 'A4',
    pageMargins: [MARGIN_X, 62, MARGIN_X, 54],
    info: { title, author: pdfText(model.cover.analyst), subject: pdfText(model.cover.caseName), creator: model.cover.generator, producer: model.cover.generator },
    defaultStyle: { font: REPORT_FONT, fontSize: 9, color: INK, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 16, bold: true, color: ACCENT, margin: [0, 0, 0, 10] },
      h2: { fontSize: 11.5, bold: true, color: INK, margin: [0, 12, 0, 4] },
      h3: { fontSize: 8.5, bold: true, color: MUTED, characterSpacing: 0.3, margin: [0, 6, 0, 3] },
      body: { fontSize: 9.5, lineHeight: 1.3 },
      tocH1: { fontSize: 10, bold: true },
      tocH2: { fontSize: 9, color: MUTED },
    },
    header: (currentPage: number) =>
      currentPage === 1
        ? classificationBanner(classification, 22)
        : {
          columns: [
            { text: title, fontSize: 7.5, color: FAINT },
            { text: classification, fontSize: 7.5, bold: true, alignment: 'right', color: classification.startsWith('TLP') ? '#000000' : FAINT },
          ],
          margin: [MARGIN_X, 28, MARGIN_X, 0],
        },
    footer: (currentPage: number, pageCount: number) => ({
      columns: [
        { text: `${model.cover.generator} · generated ${utcStamp(model.cover.generatedAt, false)} UTC`, fontSize: 7, color: FAINT },
        { text: `Page ${currentPage} of ${pageCount}`, fontSize: 7, color: FAINT, alignment: 'right' },
      ],
      margin: [MARGIN_X, 20, MARGIN_X, 0],
    }),
    content,
  };
}

/** The classification printed across the top of the cover: TLP colours on black (FIRST TLP 2.0). */
function classificationBanner(classification: string, height: number): PdfNode {
  return {
    stack: [
      { canvas: [{ type: 'rect', x: 0, y: 0, w: PAGE_WIDTH, h: height, color: '#000000' }] },
      { text: classification || 'UNCLASSIFIED', color: classificationColor(classification), bold: true, fontSize: 9, characterSpacing: 1.2, alignment: 'center', margin: [0, -(height - 6.5), 0, 0] },
    ],
  };
}
