import { Fragment } from 'react';
import type { EventDetail } from '../../../workers/contract';
import { formatUtc, visibleText } from '../../app/format';

interface EventDetailPaneProps {
  readonly detail: EventDetail | undefined;
  readonly onClose: () => void;
}

/** Every field of the selected event, and its raw line with the evidence it came from. */
export function EventDetailPane({ detail, onClose }: EventDetailPaneProps) {
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
        <h2>{formatUtc(detail.timestamp)} UTC</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close detail">×</button>
      </header>
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
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </aside>
  );
}
