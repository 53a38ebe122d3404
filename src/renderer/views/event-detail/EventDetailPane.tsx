import { Fragment, useState, type Ref } from 'react';
import { clause } from '../../../core/query/ast';
import type { AnnotationChange, AnnotationRecord } from '../../../store';
import type { EventDetail } from '../../../workers/contract';
import { formatInZone, visibleText } from '../../app/format';
import { AnnotationEditor } from '../annotations/AnnotationEditor';
import { pivotsOf } from './pivots';

interface EventDetailPaneProps {
  readonly detail: EventDetail | undefined;
  readonly onClose: () => void;
  readonly zone?: string;
  readonly annotation?: AnnotationRecord | undefined;
  readonly onAnnotate?: (change: AnnotationChange) => void;
  readonly tagInputRef?: Ref<HTMLInputElement>;
  /** Sets the filter to a query (a pivot); `add` ANDs it to the current one. */
  readonly onPivot?: (query: string, add: boolean) => void;
  /** Shows every event within ± minutes of this one, all sources. */
  readonly onAround?: (minutes: number) => void;
}

const AROUND_MINUTES = [1, 5, 15, 60];

/** Every field of the selected event, and its raw line with the evidence it came from. */
export function EventDetailPane({ detail, onClose, zone = 'UTC', annotation, onAnnotate, tagInputRef, onPivot, onAround }: EventDetailPaneProps) {
  const [around, setAround] = useState(5);
  if (detail === undefined) {
    return (
      <aside className="detail empty" aria-label="Event detail">
        <p>Select an event to see every field, its raw line and where it came from.</p>
      </aside>
    );
  }
  return (
    <aside className="detail" aria-label="Event detail" data-testid="event-detail">
      <header className="detail-header">
        <h2>{formatInZone(detail.timestamp, zone)} {zone}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close detail">×</button>
      </header>
      {onAnnotate !== undefined && (
        <section>
          <h3>Annotation</h3>
          <AnnotationEditor annotation={annotation} onChange={onAnnotate} tagInputRef={tagInputRef} />
        </section>
      )}
      {onPivot !== undefined && (
        <section>
          <h3>Pivot</h3>
          <ul className="pivots">
            {pivotsOf(detail.fields).map((pivot) => (
              <li key={pivot.id}>
                <button type="button" className="pivot" data-testid="pivot" data-pivot={pivot.id} title={pivot.query} onClick={() => onPivot(pivot.query, false)}>
                  {pivot.label} <span className="pivot-value">{visibleText(pivot.value)}</span>
                </button>
              </li>
            ))}
          </ul>
          {onAround !== undefined && (
            <div className="around">
              <button type="button" data-testid="around" onClick={() => onAround(around)}>Events around this one</button>
              <select aria-label="Minutes around" value={around} onChange={(e) => setAround(Number(e.target.value))} data-testid="around-minutes">
                {AROUND_MINUTES.map((m) => <option key={m} value={m}>± {m} min</option>)}
              </select>
              <span className="muted">all sources</span>
            </div>
          )}
        </section>
      )}
      <section>
        <h3>Evidence</h3>
        <dl className="evidence-ref">
          <dt>File</dt>
          <dd data-testid="detail-file">{visibleText(detail.filePath)}</dd>
          <dt>Line</dt>
          <dd data-testid="detail-line">{detail.lineCount > 1 ? `${detail.line}–${detail.line + detail.lineCount - 1}` : detail.line}</dd>
          {detail.alsoIn.map((place) => (
            <Fragment key={`${place.filePath}:${place.line}`}>
              <dt>Also in</dt>
              <dd data-testid="detail-also-in">{visibleText(place.filePath)}, line {place.line}</dd>
            </Fragment>
          ))}
          <dt>Offset</dt>
          <dd>{detail.offset.toLocaleString('en-US')} bytes</dd>
          {detail.fileSha256 !== '' && (
            <>
              <dt>SHA-256</dt>
              <dd className="hash">{detail.fileSha256}</dd>
            </>
          )}
        </dl>
      </section>
      <section>
        <h3>Raw line</h3>
        <pre className="raw" data-testid="detail-raw">{visibleText(detail.raw)}</pre>
      </section>
      <section>
        <h3>Fields</h3>
        <table className="fields" data-testid="detail-fields">
          <tbody>
            {detail.fields.map(([name, value]) => (
              <tr key={name} data-field={name}>
                <th scope="row">{name}</th>
                <td>{visibleText(value)}</td>
                {onPivot !== undefined && (
                  // A header cell, so that `td` stays the one value cell of the row.
                  <th className="field-actions" scope="row" aria-label={`Filter on ${name}`}>
                    <button type="button" className="mini" title={`Filter: ${clause(name, value)}`} aria-label={`Filter on ${name}`} onClick={() => onPivot(clause(name, value), true)}>=</button>
                    <button type="button" className="mini" title={`Exclude: NOT ${clause(name, value)}`} aria-label={`Exclude ${name}`} onClick={() => onPivot(`NOT ${clause(name, value)}`, true)}>≠</button>
                  </th>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </aside>
  );
}
