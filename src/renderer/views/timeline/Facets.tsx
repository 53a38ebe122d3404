import type { Facet } from '../../../workers/contract';
import { formatCount, visibleText } from '../../app/format';

/** The facets shown beside the timeline, with their labels. */
export const FACET_FIELDS: readonly (readonly [field: string, label: string])[] = [
  ['host.name', 'Host'],
  ['event.dataset', 'Dataset'],
  ['event.action', 'Action'],
  ['http.response.status_code', 'HTTP status'],
  ['source.ip', 'Top source IPs'],
  ['user.name', 'Top users'],
];

interface FacetsProps {
  readonly facets: readonly Facet[] | undefined;
  /** Adds `field:value` to the query (negated: NOT field:value). */
  readonly onPick: (field: string, value: string, negate: boolean) => void;
}

/** Value counts of the events in view; a click adds the value to the filter, Alt-click excludes it. */
export function Facets({ facets, onPick }: FacetsProps) {
  return (
    <div className="facets" aria-label="Facets" data-testid="facets">
      {FACET_FIELDS.map(([field, label]) => {
        const facet = facets?.find((f) => f.field === field);
        const max = facet?.values[0]?.[1] ?? 1;
        return (
          <section key={field} className="facet" data-testid="facet" data-field={field}>
            <h3>{label} {facet !== undefined && facet.distinct > 0 && <span className="muted">{formatCount(facet.distinct)}</span>}</h3>
            {facet === undefined ? <p className="muted">…</p> : facet.values.length === 0 ? <p className="muted">none</p> : (
              <ul>
                {facet.values.map(([value, count]) => (
                  <li key={value}>
                    <button
                      type="button"
                      className="facet-value"
                      title={`${field}:${value} (Alt-click to exclude)`}
                      data-testid="facet-value"
                      onClick={(e) => onPick(field, value, e.altKey)}
                    >
                      <span className="facet-bar" style={{ width: `${(count / max) * 100}%` }} aria-hidden="true" />
                      <span className="facet-label">{visibleText(value)}</span>
                      <span className="facet-count">{formatCount(count)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
