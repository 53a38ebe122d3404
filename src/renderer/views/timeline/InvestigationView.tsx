import type { Investigation } from '../../app/use-investigation';
import { formatInZone } from '../../app/format';
import type { DisplaySettings } from '../../app/settings';
import type { TimelineInfo, TimelineRow } from '../../../workers/contract';
import { FilterBar } from './FilterBar';
import { Histogram } from './Histogram';
import { TimelineView } from './TimelineView';

interface InvestigationViewProps {
  readonly investigation: Investigation;
  readonly info: TimelineInfo;
  readonly settings: DisplaySettings;
  readonly selectedId: number | undefined;
  readonly onSelect: (row: TimelineRow) => void;
  readonly onStackBy: (stackBy: DisplaySettings['stackBy']) => void;
}

/** The filter bar, the histogram and the timeline of the events the filter keeps. */
export function InvestigationView({ investigation: inv, info, settings, selectedId, onSelect, onStackBy }: InvestigationViewProps) {
  const range = inv.spec.from !== undefined && inv.spec.to !== undefined ? { from: inv.spec.from, to: inv.spec.to } : undefined;
  const formatTime = (ms: number) => `${formatInZone(ms, settings.zone)}${settings.zone === 'UTC' ? ' UTC' : ''}`;
  return (
    <section className="investigation" data-warm={inv.warm}>
      <FilterBar
        query={inv.spec.query}
        error={inv.error}
        matched={inv.matched}
        total={info.total}
        elapsedMs={inv.elapsedMs}
        range={range}
        formatTime={formatTime}
        saved={inv.saved}
        inputRef={inv.filterInputRef}
        onApply={inv.applyQuery}
        onClearRange={inv.clearRange}
        onSave={inv.saveSearch}
        onDeleteSaved={inv.deleteSaved}
      />
      <div className="histogram-header">
        <label className="muted">
          Stack by{' '}
          <select value={settings.stackBy} onChange={(e) => onStackBy(e.target.value === 'host.name' ? 'host.name' : 'event.dataset')} data-testid="stack-select">
            <option value="event.dataset">dataset</option>
            <option value="host.name">host</option>
          </select>
        </label>
        {inv.findings.length > 0 && <span className="muted">{inv.findings.length} finding(s) drawn as bands</span>}
      </div>
      <Histogram
        enabled={inv.rowsCurrent}
        query={inv.query}
        generation={inv.histogramGeneration}
        tsMin={info.tsMin}
        tsMax={info.tsMax}
        stackBy={settings.stackBy}
        zone={settings.zone}
        selection={range}
        findings={inv.findings}
        onSelect={inv.setRange}
      />
      {inv.matched > 0 ? (
        <TimelineView
          query={inv.query}
          total={inv.matched}
          generation={inv.viewGeneration}
          selectedId={selectedId}
          onSelect={onSelect}
          columns={settings.columns}
          colourBy={settings.colourBy}
          zone={settings.zone}
          annotations={inv.annotationMap}
          findingLevels={inv.findingLevels}
          reveal={inv.reveal}
          onRowsShown={inv.markRowsShown}
        />
      ) : (
        <section className="timeline empty-state" data-testid="no-match"><p className="muted">No event matches this filter.</p></section>
      )}
    </section>
  );
}
