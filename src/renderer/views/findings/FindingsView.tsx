import { Fragment, useState } from 'react';
import type { AnnotationRecord, FindingRecord } from '../../../store';
import { AnnotationPanel } from '../annotations/AnnotationEditor';
import { formatUtc, visibleText } from '../../app/format';

const ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

interface FindingsViewProps {
  readonly findings: readonly FindingRecord[];
  /** Jump to the finding's events in the timeline. */
  readonly onOpen: (finding: FindingRecord) => void;
  /** With a case: each finding can be starred, tagged and commented like an event. */
  readonly caseId?: string;
  readonly annotations?: readonly AnnotationRecord[];
  /** After a finding's annotation was written. */
  readonly onAnnotated?: () => void;
}

/** Findings by severity: rule, author (DRL 1.1), span, hosts, entities and count. Text only, never HTML. */
export function FindingsView({ findings, onOpen, caseId, annotations = [], onAnnotated }: FindingsViewProps) {
  const [editing, setEditing] = useState<number>();
  const sorted = [...findings].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level) || a.first - b.first);
  return (
    <section className="findings" aria-label="Findings" data-testid="findings-view">
      {sorted.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <table className="findings-table">
          <thead>
            <tr><th>Level</th><th>Rule</th><th>Span (UTC)</th><th>Hosts</th><th>Entities</th><th>Count</th>{caseId !== undefined && <th>Note</th>}</tr>
          </thead>
          <tbody>
            {sorted.map((f) => {
              const note = annotations.find((a) => a.findingId === f.id);
              return (
              <Fragment key={f.id}>
              <tr data-testid="finding-row" data-rule-id={f.ruleId} className={`finding severity-${f.level}`} onClick={() => onOpen(f)} tabIndex={0}
                onKeyDown={(e) => { if (e.key === 'Enter') onOpen(f); }}>
                <td><span className={`level level-${f.level}`}>{f.level}</span></td>
                <td>
                  <div className="finding-title">{visibleText(f.title)}</div>
                  <div className="muted finding-author">by {visibleText((f.authors ?? []).join('; ') || 'unknown author')}</div>
                </td>
                <td>{formatUtc(f.first)} → {formatUtc(f.last)}</td>
                <td>{visibleText((f.hosts ?? []).join(', '))}</td>
                <td>{Object.entries(f.entities).map(([k, v]) => <div key={k}>{k}: {visibleText(v)}</div>)}</td>
                <td className="count">{f.count}</td>
                {caseId !== undefined && (
                  <td>
                    <button type="button" className="mini" data-testid="finding-annotate" aria-expanded={editing === f.id} title="Star, tag or comment this finding"
                      onClick={(e) => { e.stopPropagation(); setEditing(editing === f.id ? undefined : f.id); }}>
                      {note?.starred === true ? '★' : '☆'}{note !== undefined && note.tags.length > 0 ? ` ${note.tags.length}` : ''}
                    </button>
                  </td>
                )}
              </tr>
              {caseId !== undefined && editing === f.id && f.id !== undefined && (
                <tr className="finding-annotation" data-testid="finding-annotation">
                  <td colSpan={7}><AnnotationPanel caseId={caseId} target={{ findingId: f.id }} onSaved={() => onAnnotated?.()} /></td>
                </tr>
              )}
              </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
