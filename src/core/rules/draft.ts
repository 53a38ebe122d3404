/**
 * "New rule from a selection": drafts a Sigma rule that matches the given events, for the analyst
 * to refine. The log source is the one their dataset carries (fields.ts DATASET_SOURCES), the
 * selection the fields the events share (a short list of values where they differ a little).
 * Field names are ECS names, which every log source reads as written.
 */
import { stringify } from 'yaml';
import type { FieldValue, LoupeEvent } from '../model/event';
import { DATASET_SOURCES, type DatasetSource } from './fields';
import type { LogSource } from './rule';

export interface DraftOptions {
  /** The new rule's id (a UUID, chosen by the caller). */
  readonly id: string;
  /** `date:` of the rule, YYYY-MM-DD. */
  readonly date: string;
  readonly author?: string;
  readonly datasetSources?: readonly DatasetSource[];
}

/** Values that identify one line, not a kind of event: never part of a draft's selection. */
const NOISY_FIELDS = new Set([
  '@timestamp',
  'event.dataset',
  'event.original',
  'event.created',
  'event.sequence',
  'message',
  'process.pid',
  'source.port',
  'http.response.body.bytes',
  'http.request.body.bytes',
  'network.bytes',
]);
const NOISY_PREFIXES = ['log.', 'loupe.'];

/** Where events differ, at most this many distinct values become a list (OR). */
const MAX_VALUES = 5;

function noisy(name: string): boolean {
  return NOISY_FIELDS.has(name) || NOISY_PREFIXES.some((p) => name.startsWith(p));
}

function guardHolds(source: DatasetSource, event: LoupeEvent): boolean {
  if (source.when === undefined) return true;
  const v = event.fields[source.when.field];
  if (v === undefined) return false;
  if (source.when.values === undefined) return true;
  return source.when.values.includes(typeof v === 'string' ? v.toLowerCase() : String(v));
}

/**
 * The log source of one event: the most specific source its dataset carries (a guarded one,
 * e.g. `service: sshd` for sshd lines of system.auth, before the dataset-wide one).
 */
export function logsourceOf(event: LoupeEvent, sources: readonly DatasetSource[] = DATASET_SOURCES): LogSource | undefined {
  const dataset = event.fields['event.dataset'];
  const candidates = sources.filter((s) => s.dataset === dataset && guardHolds(s, event));
  const guarded = candidates.find((s) => s.when !== undefined);
  return (guarded ?? candidates[0])?.logsource;
}

/** The keys (category, product, service) on which every log source agrees. */
function commonLogsource(sources: readonly LogSource[]): LogSource {
  const out: Record<string, string> = {};
  for (const key of ['category', 'product', 'service'] as const) {
    const first = sources[0]?.[key];
    if (first !== undefined && sources.every((s) => s[key] === first)) out[key] = first;
  }
  return out;
}

/** Sigma reads `*`, `?` and `\` in plain values as wildcards and escapes. */
function escapeSigma(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

type DraftValue = string | number | boolean;

function draftValue(v: FieldValue): DraftValue | undefined {
  if (typeof v === 'string') return escapeSigma(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  // A list field (event.category) matches when any element does: one element says it.
  return v.length === 1 ? escapeSigma(v[0]!) : undefined;
}

function valueKey(v: DraftValue): string {
  return `${typeof v}:${String(v)}`;
}

/** The selection: per field, one value shared by all events or a few values they take. */
function selectionOf(events: readonly LoupeEvent[]): Record<string, DraftValue | DraftValue[]> {
  const names = new Set<string>();
  for (const e of events) for (const name in e.fields) if (!noisy(name)) names.add(name);
  const selection: Record<string, DraftValue | DraftValue[]> = {};
  for (const name of [...names].sort()) {
    const values = new Map<string, DraftValue>();
    let everywhere = true;
    for (const e of events) {
      const raw = e.fields[name];
      const v = raw === undefined ? undefined : draftValue(raw);
      if (v === undefined) {
        everywhere = false;
        break;
      }
      values.set(valueKey(v), v);
    }
    if (!everywhere) continue;
    const distinct = [...values.values()];
    if (distinct.length === 1) selection[name] = distinct[0]!;
    // A field that differs on every event (an id, a port) says nothing about the kind of event.
    else if (distinct.length <= MAX_VALUES && distinct.length < events.length) selection[name] = distinct;
  }
  return selection;
}

/** YAML of a draft rule matching `events` (at least one). */
export function draftRule(events: readonly LoupeEvent[], options: DraftOptions): string {
  if (events.length === 0) throw new Error('a draft needs at least one event');
  const sources = events.map((e) => logsourceOf(e, options.datasetSources)).filter((s): s is LogSource => s !== undefined);
  const logsource = sources.length === events.length ? commonLogsource(sources) : {};
  const datasets = [...new Set(events.map((e) => String(e.fields['event.dataset'] ?? 'unknown')))];
  const selection = selectionOf(events);
  if (Object.keys(selection).length === 0) {
    // Nothing shared: match on the dataset itself so the draft still loads and runs.
    selection['event.dataset'] = datasets.length === 1 ? datasets[0]! : datasets;
  }
  const rule = {
    title: `Draft: ${datasets.join(', ')} events like the ${events.length === 1 ? 'selected one' : `${events.length} selected`}`,
    id: options.id,
    status: 'experimental',
    description: `Drafted from ${events.length} event(s) of ${datasets.join(', ')}; refine the selection before relying on it.`,
    ...(options.author !== undefined ? { author: options.author } : {}),
    date: options.date,
    logsource,
    detection: { selection, condition: 'selection' },
    falsepositives: ['Unknown'],
    level: 'medium',
  };
  return stringify(rule, { lineWidth: 0 });
}
