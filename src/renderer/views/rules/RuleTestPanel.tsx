import { formatCount, formatUtc, visibleText } from '../../app/format';
import type { RuleLabResult } from '../../../workers/rule-lab-contract';

interface RuleTestPanelProps {
  readonly result: RuleLabResult | undefined;
  readonly running: boolean;
  /** The result is of other text than the editor holds (a test of the current text is on its way). */
  readonly stale: boolean;
  /** Authors of the rules tested (DRL 1.1). */
  readonly authors: readonly string[];
  readonly hasCase: boolean;
  readonly checked: ReadonlySet<number>;
  readonly onCheck: (id: number, on: boolean) => void;
  readonly onOpen: (eventId: number) => void;
}

function entitiesText(entities: Readonly<Record<string, string>>): string {
  return Object.entries(entities).map(([k, v]) => `${k}=${v}`).join(' ') || '(one group)';
}

/** The live test of the rule being edited: hits, correlation groups that passed, the first matches. */
export function RuleTestPanel({ result, running, stale, authors, hasCase, checked, onCheck, onOpen }: RuleTestPanelProps) {
  if (!hasCase) return <section className="rule-test muted" data-testid="rule-test">Load a case to test the rule against its events.</section>;
  const status = result === undefined
    ? 'Testing…'
    : result.status === 'invalid'
      ? `Not run: ${result.errors.find((e) => e.severity === 'error')?.message ?? 'the rule does not load'}`
      : result.status === 'partial'
        ? `${formatCount(result.hits)} hit${result.hits === 1 ? '' : 's'} so far…`
        : `${formatCount(result.hits)} hit${result.hits === 1 ? '' : 's'} · ${formatCount(result.findings)} finding${result.findings === 1 ? '' : 's'}`;
  // Only a result of the text in the editor counts as done: an older one is shown dimmed meanwhile.
  const fresh = result !== undefined && !stale;
  return (
    <section className={`rule-test${stale ? ' stale' : ''}`} data-testid="rule-test" aria-busy={running || stale}>
      <div className="rule-test-status">
        <strong data-testid="rule-test-hits" data-status={fresh ? result.status : 'running'} data-hits={fresh && result.status === 'done' ? result.hits : undefined}>{status}</strong>
        {(result?.status === 'done' || result?.status === 'partial') && (
          <span className="muted"> · {result.status === 'partial' ? 'reading, ' : ''}read {formatCount(result.scanned)} of {formatCount(result.total)} events in {Math.round(result.elapsedMs)} ms</span>
        )}
        {(running || stale) && <span className="rule-test-running" aria-label="testing">●</span>}
      </div>
      {authors.length > 0 && (
        <div className="rule-test-authors muted" data-testid="rule-test-authors">Rule author: {visibleText(authors.join('; '))}</div>
      )}
      {result !== undefined && result.groups.length > 0 && (
        <>
          <h3>Groups that passed the condition</h3>
          <table className="rule-groups" data-testid="rule-groups">
            <thead><tr><th>Group</th><th>Value</th><th>Events</th><th>First (UTC)</th><th>Last</th><th>Authors</th></tr></thead>
            <tbody>
              {result.groups.map((g, i) => (
                <tr key={i} data-testid="rule-group" onClick={() => g.eventIds[0] !== undefined && onOpen(g.eventIds[0])}>
                  <td className="mono">{visibleText(entitiesText(g.entities))}</td>
                  <td>{g.value ?? ''}</td>
                  <td>{formatCount(g.count)}</td>
                  <td>{formatUtc(g.first)}</td>
                  <td>{formatUtc(g.last)}</td>
                  <td className="rule-group-authors" data-testid="rule-group-authors">{visibleText(g.authors.join('; '))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {result !== undefined && result.events.length > 0 && (
        <>
          <h3>First matches <span className="muted">(click to open in the timeline; tick to draft a rule from them)</span></h3>
          <ul className="rule-matches">
            {result.events.map((e) => (
              <li key={e.id} data-testid="rule-match" data-event-id={e.id}>
                <input type="checkbox" aria-label="use for a draft" checked={checked.has(e.id)} onChange={(ev) => onCheck(e.id, ev.target.checked)} />
                <button type="button" className="rule-match-open" onClick={() => onOpen(e.id)}>
                  <span className="col-time">{formatUtc(e.timestamp)}</span>
                  <span className={`dataset dataset-${e.dataset.replace(/[^a-z0-9]/gi, '-')}`}>{e.dataset}</span>
                  <span className="rule-match-summary">{visibleText(e.summary)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
