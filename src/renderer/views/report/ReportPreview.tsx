import { SECTION_TITLES, formatDuration, utcStamp, visibleText, type FindingSection, type Histogram, type QuotedEvent, type ReportModel } from '../../../core/report/index';
import { formatBytes, formatCount } from '../../app/format';

/**
 * The report as the PDF will hold it, drawn from the same model. Every string from the evidence
 * is a React text child (escaped), never markup; visibleText shows control characters as the PDF does.
 */
export function ReportPreview({ model }: { readonly model: ReportModel }) {
  const s = model.sections;
  const c = model.cover;
  return (
    <article className="report-page" data-testid="report-preview-text">
      <header className="report-cover">
        <div className="report-classification">{c.classification || 'UNCLASSIFIED'}</div>
        <div className="muted small">INCIDENT REPORT</div>
        <h1>{visibleText(c.title)}</h1>
        <div className="muted">{visibleText(c.caseName)}</div>
        <dl className="report-kv">
          <dt>Analyst</dt><dd>{visibleText(c.analyst) || '-'}</dd>
          <dt>Organisation</dt><dd>{visibleText(c.organisation) || '-'}</dd>
          <dt>Reference</dt><dd>{visibleText(c.reference) || '-'}</dd>
          <dt>Incident window</dt><dd>{utcStamp(model.facts.first, false)} to {utcStamp(model.facts.last, false)} UTC</dd>
          <dt>Hosts</dt><dd>{visibleText(model.facts.hosts.join(', ')) || '-'}</dd>
          <dt>Evidence</dt><dd>{formatCount(model.facts.files)} files, {formatCount(model.facts.events)} events</dd>
        </dl>
      </header>

      {s.summary && (
        <section>
          <h2>{SECTION_TITLES.summary}</h2>
          {model.summaryIsDraft && <p className="muted small">Generated draft (write your own in the summary box).</p>}
          {model.summary.map((p, i) => <p key={i}>{visibleText(p)}</p>)}
        </section>
      )}

      {s.findings && (
        <section>
          <h2>{SECTION_TITLES.findings} ({model.findings.length})</h2>
          {model.findings.length === 0 && <p className="muted">No finding is included.</p>}
          {model.findings.map((f) => <FindingPreview key={f.id} finding={f} />)}
        </section>
      )}

      {s.timeline && (
        <section>
          <h2>{SECTION_TITLES.timeline}</h2>
          <Bars histogram={model.timeline.chart} />
          <ul className="report-bands">
            {model.timeline.bands.map((b) => <li key={b.label}><span className={`level level-${b.severity}`}>{b.label}</span> {visibleText(b.title)} <span className="muted">{utcStamp(b.first, false)} → {utcStamp(b.last, false)}</span></li>)}
          </ul>
        </section>
      )}

      {s.annotations && (
        <section>
          <h2>{SECTION_TITLES.annotations} ({model.annotated.length})</h2>
          {model.annotated.length === 0 ? <p className="muted">No event is starred, tagged or commented.</p> : <Quoted rows={model.annotated} />}
        </section>
      )}

      {s.userActivity && (
        <section>
          <h2>{SECTION_TITLES.userActivity}</h2>
          {model.userActivity.length === 0 && <p className="muted">No MAAS audit events in the case.</p>}
          {model.userActivity.map((u) => (
            <p key={u.user}><strong>{visibleText(u.user)}</strong>: {u.actions.length} action(s), {utcStamp(u.first, false)} → {utcStamp(u.last, false)}; {u.byAction.slice(0, 4).map(([a, n]) => `${visibleText(a)} (${n})`).join(', ')}</p>
          ))}
        </section>
      )}

      {s.evidence && (
        <section>
          <h2>Appendix. {SECTION_TITLES.evidence}</h2>
          <table className="report-table">
            <thead><tr><th>File and SHA-256</th><th>Format</th><th>Lines</th><th>Size</th></tr></thead>
            <tbody>
              {model.evidence.map((e) => (
                <tr key={e.path}><td>{visibleText(e.path)}<div className="mono muted small">{e.sha256 || '(not hashed)'}</div></td><td>{visibleText(e.format)}</td><td>{formatCount(e.lines)}</td><td>{formatBytes(e.bytes)}</td></tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{model.rules.length} detection rules ran; {model.rules.filter((r) => r.findings > 0).length} raised findings in this report.</p>
        </section>
      )}
    </article>
  );
}

function FindingPreview({ finding: f }: { readonly finding: FindingSection }) {
  return (
    <div className="report-finding" data-testid="report-preview-finding">
      <h3><span className={`level level-${f.severity}`}>{f.severity}</span> {f.label}. {visibleText(f.title)}</h3>
      <p className="muted small">{formatCount(f.count)} events over {formatDuration(f.last - f.first)} · rule by {visibleText(f.author)}</p>
      <p>{visibleText(f.description)}</p>
      {f.entities.length > 0 && <p className="small">{f.entities.map(([k, v]) => `${k}: ${visibleText(v)}`).join(' · ')}</p>}
      <Bars histogram={f.chart} />
      {f.notes.map((n) => <p key={n.id} className="report-note">{visibleText(n.comment)}</p>)}
      <Quoted rows={f.excerpt} />
      {f.notQuoted > 0 && <p className="muted small">{formatCount(f.notQuoted)} more events are in the case.</p>}
    </div>
  );
}

function Quoted({ rows }: { readonly rows: readonly QuotedEvent[] }) {
  return (
    <table className="report-table quoted">
      <tbody>
        {rows.map((q) => (
          <tr key={q.event.id}>
            <td className="nowrap small">{utcStamp(q.event.timestamp)}<div className="muted">{visibleText(`${q.event.filePath}:${q.event.line}`)}</div></td>
            <td className="mono raw">{visibleText(q.event.raw)}</td>
            <td className="small">{q.annotation !== undefined && <>{q.annotation.starred ? '★ ' : ''}{q.annotation.tags.map((t) => `#${visibleText(t)} `)}<em>{visibleText(q.annotation.comment)}</em></>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A histogram as SVG elements made by React (numbers only). */
function Bars({ histogram: h }: { readonly histogram: Histogram }) {
  const max = Math.max(1, ...h.counts);
  const w = 600;
  const barW = w / Math.max(1, h.counts.length);
  return (
    <svg className="report-bars" viewBox={`0 0 ${w} 40`} preserveAspectRatio="none" role="img" aria-label={`events over time, ${h.counts.length} bins`}>
      {h.counts.map((n, i) => (n === 0 ? null : <rect key={i} x={i * barW} y={40 - (n / max) * 40} width={Math.max(0.5, barW - 0.5)} height={(n / max) * 40} />))}
    </svg>
  );
}
