import type { ColourBy } from '../views/timeline/TimelineView';

/** What the analyst chose for the display; kept in localStorage (it is about this machine, not the case). */
export interface DisplaySettings {
  readonly theme: 'dark' | 'light';
  /** 'UTC' or an IANA zone name. */
  readonly zone: string;
  readonly colourBy: ColourBy;
  readonly columns: readonly string[];
  readonly stackBy: 'event.dataset' | 'host.name';
}

const KEY = 'loupe.display';

export function loadSettings(): DisplaySettings {
  const fallback: DisplaySettings = {
    theme: document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark',
    zone: 'UTC',
    colourBy: 'dataset',
    columns: [],
    stackBy: 'event.dataset',
  };
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<DisplaySettings>;
    return {
      theme: stored.theme === 'light' || stored.theme === 'dark' ? stored.theme : fallback.theme,
      zone: typeof stored.zone === 'string' ? stored.zone : fallback.zone,
      colourBy: stored.colourBy === 'host' || stored.colourBy === 'none' || stored.colourBy === 'dataset' ? stored.colourBy : fallback.colourBy,
      columns: Array.isArray(stored.columns) ? stored.columns.filter((c): c is string => typeof c === 'string') : fallback.columns,
      stackBy: stored.stackBy === 'host.name' ? 'host.name' : 'event.dataset',
    };
  } catch {
    return fallback;
  }
}

export function storeSettings(settings: DisplaySettings): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
  document.documentElement.dataset['theme'] = settings.theme;
}
