import type { Remote } from 'comlink';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CLASSIFICATIONS, REPORT_SECTIONS, SECTION_TITLES, defaultReportOptions, draftSummary,
  type ReportCover, type ReportModel, type ReportOptions, type ReportSection,
} from '../../../core/report/index';
import { database, saveReportOptions, type AnnotationRecord, type CaseRecord, type FindingRecord } from '../../../store';
import type { ReportApi } from '../../../workers/contract';
import { formatCount, formatUtc, visibleText } from '../../app/format';
import type { Host } from '../../host/host';
import { ReportPreview } from './ReportPreview';

interface ReportViewProps {
  readonly kase: CaseRecord;
  readonly findings: readonly FindingRecord[];
  readonly annotations: readonly AnnotationRecord[];
  readonly report: Remote<ReportApi>;
  readonly host: Host;
  /** Changes when the case does (ingest, detection): the worker reads it again. */
  readonly generation: number;
}

const PREVIEW_DELAY_MS = 250;

/** An annotation worth a place in the report (the model keeps the same ones). */
function meaningful(a: AnnotationRecord): boolean {
  return a.starred || a.tags.length > 0 || a.comment.trim() !== '';
}

/** Options as saved with the case, completed with defaults for fields added since. */
function initialOptions(kase: CaseRecord): ReportOptions {
  const defaults = defaultReportOptions(kase.name);
  const saved = kase.report;
  if (saved === undefined) return defaults;
  return { ...defaults, ...saved, cover: { ...defaults.cover, ...saved.cover }, sections: { ...defaults.sections, ...saved.sections } };
}

/**
 * The Report view: the analyst composes the case's report (cover, executive summary, which
 * findings, annotations and sections go in) beside a live preview drawn from the same model as
 * the PDF. Choices are kept with the case. The PDF is made in the report worker.
 */
export function ReportView({ kase, findings, annotations, report, host, generation }: ReportViewProps) {
  const [options, setOptions] = useState<ReportOptions>(() => initialOptions(kase));
  const [model, setModel] = useState<ReportModel>();
  const [status, setStatus] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const annotationsKey = annotations.map((a) => `${a.id}:${a.updatedAt}`).join(',');
  const request = useRef(0);

  // Only another case resets the choices (a new record of the same case does not).
  const caseId = kase.id;
  const kaseRef = useRef(kase);
  kaseRef.current = kase;
  useEffect(() => { setOptions(initialOptions(kaseRef.current)); }, [caseId]);

  // Live preview, and the choices saved with the case, a moment after the last change.
  useEffect(() => {
    const id = ++request.current;
    const timer = setTimeout(() => {
      void saveReportOptions(database(), kase.id, options);
      report.preview(kase.id, options, generation).then(
        (next) => { if (id === request.current) setModel(next); },
        (error: unknown) => { if (id === request.current) setStatus(`Preview failed: ${error instanceof Error ? error.message : String(error)}`); },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [kase.id, options, report, generation, annotationsKey]);

  const draft = useMemo(() => (model === undefined ? '' : draftSummary(model.facts, model.findings).join('\n\n')), [model]);
  const chosenFindings = new Set(options.findingIds ?? findings.flatMap((f) => (f.id !== undefined ? [f.id] : [])));
  const shownAnnotations = annotations.filter(meaningful);
  const chosenAnnotations = new Set(options.annotationIds ?? annotations.flatMap((a) => (a.id !== undefined ? [a.id] : [])));

  const setCover = (change: Partial<ReportCover>) => setOptions((o) => ({ ...o, cover: { ...o.cover, ...change } }));
  const toggleFinding = (id: number) => setOptions((o) => {
    const all = o.findingIds ?? findings.flatMap((f) => (f.id !== undefined ? [f.id] : []));
    return { ...o, findingIds: all.includes(id) ? all.filter((x) => x !== id) : [...all, id] };
  });
  const toggleAnnotation = (id: number) => setOptions((o) => {
    const all = o.annotationIds ?? annotations.flatMap((a) => (a.id !== undefined ? [a.id] : []));
    return { ...o, annotationIds: all.includes(id) ? all.filter((x) => x !== id) : [...all, id] };
  });
  const toggleSection = (s: ReportSection) => setOptions((o) => ({ ...o, sections: { ...o.sections, [s]: !o.sections[s] } }));

  const exportPdf = async () => {
    setExporting(true);
    setStatus('Building the PDF…');
    try {
      const pdf = await report.pdf(kase.id, options, generation);
      const saved = await host.saveReport(pdf.fileName, pdf.bytes);
      setStatus(saved ? `Report saved: ${pdf.fileName} (${pdf.pages} pages, built in ${(pdf.elapsedMs / 1000).toFixed(1)} s)` : 'Not saved.');
    } catch (error) {
      setStatus(`The report could not be built: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="report-view" aria-label="Report" data-testid="report-view">
      <div className="report-choices">
        <div className="report-actions">
          <button type="button" className="primary" onClick={() => void exportPdf()} disabled={exporting} data-testid="report-export">
            {exporting ? 'Building…' : host.kind === 'desktop' ? 'Save PDF…' : 'Download PDF'}
          </button>
          {status !== undefined && <span className="muted" role="status" data-testid="report-status">{status}</span>}
        </div>

        <fieldset>
          <legend>Cover</legend>
          <label>Title<input value={options.cover.title} onChange={(e) => setCover({ title: e.target.value })} data-testid="report-title" /></label>
          <label>Case<input value={kase.name} readOnly /></label>
          <label>Analyst<input value={options.cover.analyst} onChange={(e) => setCover({ analyst: e.target.value })} data-testid="report-analyst" /></label>
          <label>Organisation<input value={options.cover.organisation} onChange={(e) => setCover({ organisation: e.target.value })} data-testid="report-organisation" /></label>
          <label>Reference<input value={options.cover.reference} onChange={(e) => setCover({ reference: e.target.value })} data-testid="report-reference" /></label>
          <label>Classification
            <select value={options.cover.classification} onChange={(e) => setCover({ classification: e.target.value })} data-testid="report-classification">
              {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        </fieldset>

        <fieldset>
          <legend>Executive summary</legend>
          <textarea
            rows={7}
            value={options.summary}
            placeholder={draft !== '' ? `Empty: the generated draft is used.\n\n${draft}` : 'Empty: the generated draft is used.'}
            onChange={(e) => setOptions((o) => ({ ...o, summary: e.target.value }))}
            data-testid="report-summary"
          />
          <div className="row-buttons">
            <button type="button" onClick={() => setOptions((o) => ({ ...o, summary: draft }))} disabled={draft === ''} data-testid="report-use-draft">Start from the generated draft</button>
            <button type="button" onClick={() => setOptions((o) => ({ ...o, summary: '' }))} disabled={options.summary === ''}>Clear</button>
          </div>
        </fieldset>

        <fieldset>
          <legend>Sections</legend>
          {REPORT_SECTIONS.map((s) => (
            <label key={s} className="check"><input type="checkbox" checked={options.sections[s]} onChange={() => toggleSection(s)} data-testid={`report-section-${s}`} />{SECTION_TITLES[s]}</label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Findings ({chosenFindings.size} of {findings.length})</legend>
          {findings.length === 0 && <p className="muted">No findings in this case.</p>}
          {findings.map((f) => f.id !== undefined && (
            <label key={f.id} className="check" data-testid="report-finding" data-finding-id={f.id}>
              <input type="checkbox" checked={chosenFindings.has(f.id)} onChange={() => toggleFinding(f.id!)} />
              <span className={`level level-${f.level}`}>{f.level}</span>
              <span className="choice-text">{visibleText(f.title)} <span className="muted">· {formatCount(f.count)} · {formatUtc(f.first)}</span></span>
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Annotations ({shownAnnotations.filter((a) => a.id !== undefined && chosenAnnotations.has(a.id)).length} of {shownAnnotations.length})</legend>
          {shownAnnotations.length === 0 && <p className="muted">Star, tag or comment events in the timeline to quote them here.</p>}
          {shownAnnotations.map((a) => a.id !== undefined && (
            <label key={a.id} className="check" data-testid="report-annotation">
              <input type="checkbox" checked={chosenAnnotations.has(a.id)} onChange={() => toggleAnnotation(a.id!)} />
              <span className="choice-text">{a.starred ? '★ ' : ''}{a.tags.map((t) => `#${visibleText(t)}`).join(' ')} {visibleText(a.comment) || <span className="muted">(no comment)</span>}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <div className="report-preview-pane" data-testid="report-preview">
        {model === undefined ? <p className="muted">Preparing the preview…</p> : <ReportPreview model={model} />}
      </div>
    </section>
  );
}
