import type { Remote } from 'comlink';
import { useEffect, useRef, useState } from 'react';
import { database, exportAnnotations, importAnnotations, validateAnnotationExport, type AnnotationRecord, type FindingRecord } from '../../../store';
import type { QueryApi, TimelineRow } from '../../../workers/contract';
import { formatInZone, visibleText } from '../../app/format';

interface AnnotationsViewProps {
  readonly caseId: string;
  readonly caseName: string;
  readonly query: Remote<QueryApi>;
  readonly annotations: readonly AnnotationRecord[];
  /** The case's findings, so an annotated finding shows its rule's title. */
  readonly findings?: readonly FindingRecord[];
  readonly zone: string;
  readonly onJump: (eventId: number) => void;
  /** After an import: the annotations changed in the store. */
  readonly onImported: (message: string) => void;
}

/** Every starred, tagged or commented event and finding of the case, newest change first. */
export function AnnotationsView({ caseId, caseName, query, annotations, findings = [], zone, onJump, onImported }: AnnotationsViewProps) {
  const [rows, setRows] = useState(new Map<number, TimelineRow>());
  const fileInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const ids = annotations.flatMap((a) => (a.eventId !== undefined ? [a.eventId] : []));
    void query.rowsById(ids).then((found) => {
      if (!live) return;
      const map = new Map<number, TimelineRow>();
      found.forEach((row, i) => { if (row !== undefined) map.set(ids[i]!, row); });
      setRows(map);
    });
    return () => { live = false; };
  }, [query, annotations]);

  const exportJson = async () => {
    const doc = await exportAnnotations(database(), caseId, (ids) => query.eventReferences(ids));
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${caseName.replace(/[^\w.-]+/g, '_') || 'case'}.annotations.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const importJson = async (file: File) => {
    setError(undefined);
    try {
      const doc = validateAnnotationExport(JSON.parse(await file.text()) as unknown);
      const result = await importAnnotations(database(), caseId, doc, (refs) => query.resolveReferences(refs));
      onImported(`Imported ${result.imported} annotation(s)${result.unmatched > 0 ? `; ${result.unmatched} matched no event of this case` : ''}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="annotations-view" aria-label="Annotations" data-testid="annotations-view">
      <header className="view-header">
        <h2>Annotations <span className="muted">{annotations.length}</span></h2>
        <div className="actions">
          <button type="button" onClick={() => void exportJson()} data-testid="annotations-export" disabled={annotations.length === 0}>Export JSON</button>
          <button type="button" onClick={() => fileInput.current?.click()} data-testid="annotations-import">Import JSON…</button>
          <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="annotations-import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f !== undefined) void importJson(f); e.target.value = ''; }} />
        </div>
      </header>
      {error !== undefined && <p className="error-text" role="alert">{error}</p>}
      {annotations.length === 0 ? (
        <p className="muted empty-note">Nothing annotated yet. Select an event and press <kbd>s</kbd> to star it or <kbd>t</kbd> to tag it.</p>
      ) : (
        <ul className="annotation-list">
          {annotations.map((a) => {
            const finding = a.findingId !== undefined ? findings.find((f) => f.id === a.findingId) : undefined;
            // A finding jumps to its first event, as in the Findings view.
            const target = a.eventId ?? finding?.eventIds[0];
            const row = a.eventId !== undefined ? rows.get(a.eventId) : undefined;
            return (
              <li key={a.id} className="annotation-item" data-testid="annotation-item">
                <button type="button" className="annotation-jump" disabled={target === undefined} onClick={() => target !== undefined && onJump(target)} data-testid="annotation-jump">
                  <span className="annotation-star">{a.starred ? '★' : ''}</span>
                  <span className="annotation-when">{row !== undefined ? formatInZone(row.timestamp, zone) : finding !== undefined ? formatInZone(finding.first, zone) : a.findingId !== undefined ? `finding #${a.findingId}` : `event #${a.eventId}`}</span>
                  <span className="annotation-host">{visibleText(row?.host ?? (finding !== undefined ? `finding · ${finding.level}` : ''))}</span>
                  <span className="annotation-summary">{visibleText(row?.summary ?? finding?.title ?? '')}</span>
                </button>
                <div className="annotation-meta">
                  {a.tags.map((t) => <span key={t} className={`tag-chip tag-${t.replace(/[^a-z0-9-]/gi, '-')}`}>{visibleText(t)}</span>)}
                  {a.comment !== '' && <span className="annotation-text" data-testid="annotation-text">{visibleText(a.comment)}</span>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
