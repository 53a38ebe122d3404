import { isKnownZone } from './format';
import type { DisplaySettings } from './settings';
import { OPTIONAL_COLUMNS } from '../views/timeline/TimelineView';

interface SettingsBarProps {
  readonly settings: DisplaySettings;
  /** Zones the evidence was recorded in (offered first). */
  readonly evidenceZones: readonly string[];
  readonly onChange: (settings: DisplaySettings) => void;
}

/** Display choices: time zone, colouring, columns, theme. */
export function SettingsBar({ settings, evidenceZones, onChange }: SettingsBarProps) {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set(['UTC', ...evidenceZones.filter((z) => z !== 'Etc/UTC' && isKnownZone(z)), local, 'Europe/London', 'America/New_York', 'Asia/Tokyo'])];
  if (!zones.includes(settings.zone)) zones.push(settings.zone);
  return (
    <div className="settings-bar">
      <label>
        Zone
        <select value={settings.zone} onChange={(e) => onChange({ ...settings, zone: e.target.value })} data-testid="zone-select">
          {zones.map((z) => <option key={z} value={z}>{z === local && z !== 'UTC' ? `${z} (this machine)` : z}</option>)}
        </select>
      </label>
      <label>
        Colour
        <select value={settings.colourBy} onChange={(e) => onChange({ ...settings, colourBy: e.target.value as DisplaySettings['colourBy'] })} data-testid="colour-select">
          <option value="dataset">by dataset</option>
          <option value="host">by host</option>
          <option value="none">none</option>
        </select>
      </label>
      <details className="columns-menu">
        <summary data-testid="columns-menu">Columns{settings.columns.length > 0 ? ` (+${settings.columns.length})` : ''}</summary>
        <div className="columns-list">
          {OPTIONAL_COLUMNS.map(([field, label]) => (
            <label key={field}>
              <input
                type="checkbox"
                checked={settings.columns.includes(field)}
                data-testid={`column-${field}`}
                onChange={(e) => onChange({ ...settings, columns: e.target.checked ? [...settings.columns, field] : settings.columns.filter((c) => c !== field) })}
              />
              {label} <span className="muted">{field}</span>
            </label>
          ))}
        </div>
      </details>
      <button type="button" onClick={() => onChange({ ...settings, theme: settings.theme === 'dark' ? 'light' : 'dark' })} data-testid="theme-toggle" title="Switch between dark and light">
        {settings.theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
    </div>
  );
}
