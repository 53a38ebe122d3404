import { useEffect, useState, type Ref } from 'react';
import type { SavedSearchRecord } from '../../../store';
import { formatCount, visibleText } from '../../app/format';

export interface FilterError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

interface FilterBarProps {
  /** The query the view shows now. */
  readonly query: string;
  readonly error: FilterError | undefined;
  readonly matched: number | undefined;
  readonly total: number;
  readonly elapsedMs: number | undefined;
  readonly range: { readonly from: number; readonly to: number } | undefined;
  readonly formatTime: (ms: number) => string;
  readonly saved: readonly SavedSearchRecord[];
  readonly inputRef: Ref<HTMLInputElement>;
  readonly onApply: (query: string) => void;
  readonly onClearRange: () => void;
  readonly onSave: (name: string, query: string) => void;
  readonly onDeleteSaved: (id: number) => void;
}

const HELP =
  'field:value, "a phrase", wild*card, field:[a TO b], field:>=400, source.ip:203.0.113.0/24, AND / OR / NOT, (groups), bare words search the raw line. Enter applies, Esc reverts.';

/** The query box above the timeline (`/` focuses it), with the match count and saved searches. */
export function FilterBar({ query, error, matched, total, elapsedMs, range, formatTime, saved, inputRef, onApply, onClearRange, onSave, onDeleteSaved }: FilterBarProps) {
  const [draft, setDraft] = useState(query);
  useEffect(() => { setDraft(query); }, [query]);
  const savedMatch = saved.find((s) => s.query === query);
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-row">
        <span className="filter-icon" aria-hidden="true">⌕</span>
        <input
          ref={inputRef}
          className={`filter-input${error !== undefined ? ' invalid' : ''}`}
          value={draft}
          spellCheck={false}
          placeholder="Filter: source.ip:203.0.113.5 AND http.response.status_code:404   (press / to focus)"
          title={HELP}
          aria-label="Filter query"
          aria-invalid={error !== undefined}
          data-testid="filter-input"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onApply(draft);
            else if (e.key === 'Escape') {
              setDraft(query);
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
        <button type="button" onClick={() => onApply(draft)} data-testid="filter-apply">Filter</button>
        {query !== '' && <button type="button" onClick={() => onApply('')} data-testid="filter-clear">Clear</button>}
        <select
          aria-label="Saved searches"
          data-testid="saved-searches"
          value={savedMatch?.id ?? ''}
          onChange={(e) => {
            const chosen = saved.find((s) => String(s.id) === e.target.value);
            if (chosen !== undefined) onApply(chosen.query);
          }}
        >
          <option value="">Saved searches ({saved.length})</option>
          {saved.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
        {savedMatch !== undefined ? (
          <button type="button" onClick={() => onDeleteSaved(savedMatch.id!)} title="Delete this saved search">Forget</button>
        ) : (
          <button
            type="button"
            disabled={query === ''}
            data-testid="save-search"
            onClick={() => {
              const name = window.prompt('Name of this search', query.slice(0, 40));
              if (name !== null && name.trim() !== '') onSave(name.trim(), query);
            }}
          >
            Save
          </button>
        )}
        <span className="filter-count" data-testid="filter-count">
          {matched !== undefined && matched !== total ? `${formatCount(matched)} of ${formatCount(total)}` : `${formatCount(total)} events`}
          {elapsedMs !== undefined && <span className="muted"> · {elapsedMs.toFixed(0)} ms</span>}
        </span>
      </div>
      {range !== undefined && (
        <div className="filter-range" data-testid="filter-range">
          Time range {formatTime(range.from)} → {formatTime(range.to)}
          <button type="button" className="chip-remove" onClick={onClearRange} aria-label="Clear time range" data-testid="filter-range-clear">×</button>
        </div>
      )}
      {error !== undefined && (
        <div className="filter-error" role="alert" data-testid="filter-error">
          <code>
            {visibleText(draft.slice(0, error.start))}
            <mark>{visibleText(draft.slice(error.start, Math.max(error.end, error.start + 1))) || ' '}</mark>
            {visibleText(draft.slice(Math.max(error.end, error.start + 1)))}
          </code>
          <span>{error.message}</span>
        </div>
      )}
    </div>
  );
}
