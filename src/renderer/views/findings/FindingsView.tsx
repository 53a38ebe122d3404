import type { FindingRecord } from '../../../store';
import { formatUtc, visibleText } from '../../app/format';

const ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

interface FindingsViewProps {
  readonly findings: readonly FindingRecord[];
  /** Jump to the finding's events in the timeline. */
  readonly onOpen: (finding: FindingRecord) => void;
}

/** Findings by severity: rule, author (DRL 1.1), span, hosts, entities and count. Text only, never HTML. */
export function FindingsView({ findings, onOpen }: FindingsViewProps) {
  const sorted = [...findings].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level) || a.first - b.first);
  return (
    <section className="findings" aria-label="Findings" data-testid="findings-view">
      {sorted.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <table className="findings-table">
          <thead>
            <tr><th>Level</th><th>Rule</th><th>Span (UTC)</th><th>Hosts</th><th>Entities</th><th>Count</th></tr>
          </thead>
          <tbody>
            {sorted.map((f) => (
              <tr key={f.id} data-testid="finding-row" data-rule-id={f.ruleId} className={`finding severity-${f.level}`} onClick={() => onOpen(f)} tabIndex={0}
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
