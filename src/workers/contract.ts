import type { BundleFacts } from '../core/bundle/recognize';
import type { UserActivity } from '../core/audit/user-activity';
import type { ReportModel, ReportOptions } from '../core/report/index';
import type { EventReference } from '../store/annotations';

/**
 * The worker APIs as the renderer sees them (through Comlink, every method returns a Promise).
 * The renderer imports this file type-only; the workers implement it.
 */

/** Something to ingest: a dropped or picked File, or a URL the worker can fetch (demo, desktop evidence). */
export type IngestSource =
  | { readonly kind: 'file'; readonly file: File; readonly path: string }
  | { readonly kind: 'url'; readonly url: string; readonly path: string; readonly bytes: number; readonly lastModified: number };

export interface IngestProgress {
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly elapsedMs: number;
  readonly currentPath: string;
}

export interface IngestFileOutcome {
  readonly path: string;
  readonly status: 'done' | 'failed' | 'cancelled';
  readonly format: string;
  readonly lines: number;
  readonly errors: readonly string[];
}

export interface IngestResult {
  readonly cancelled: boolean;
  /** What each dropped bundle is (sos version, host, MAAS install, families present and missing). */
  readonly bundles: readonly BundleFacts[];
  readonly files: readonly IngestFileOutcome[];
  readonly events: number;
  readonly elapsedMs: number;
}

/** What overriding a host's zone did. */
export interface HostZoneResult {
  readonly host: string;
  /** The zone now in force by override; null when the override was removed (the bundle's zone applies). */
  readonly zone: string | null;
  /** Evidence files re-timed, and events whose timestamp moved. */
  readonly files: number;
  readonly events: number;
}

export interface IngestApi {
  ingest(caseId: string, sources: readonly IngestSource[], onProgress: (progress: IngestProgress) => void): Promise<IngestResult>;
  /**
   * Sets (or, with undefined, removes) the analyst's zone of a host and re-times that host's
   * events whose zone was inferred (stored in UTC, still marked inferred). Refresh the timeline after.
   */
  setHostZone(caseId: string, host: string, zone: string | undefined): Promise<HostZoneResult>;
  /** Stops the running ingest at the next chunk; the file being read is removed whole. */
  cancel(): void;
}

/** One row of the timeline table. Text fields are plain text from the logs: hostile, never HTML. */
export interface TimelineRow {
  readonly position: number;
  readonly id: number;
  readonly timestamp: number;
  readonly host: string;
  readonly dataset: string;
  readonly summary: string;
  readonly unparsed: boolean;
  /** Values of the extra columns asked for, in the order asked (text, '' when absent). */
  readonly values?: readonly string[];
}

export interface TimelineInfo {
  readonly caseId: string;
  /** Every event of the case. */
  readonly total: number;
  /** Events in the view (what the filter keeps; = total without a filter). */
  readonly matched: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly hosts: readonly string[];
  readonly datasets: readonly string[];
}

export interface EventDetail {
  readonly id: number;
  readonly timestamp: number;
  readonly filePath: string;
  readonly fileSha256: string;
  readonly line: number;
  readonly lineCount: number;
  readonly offset: number;
  readonly raw: string;
  /** Other places the same line was found (kern.log and syslog carry the same kernel lines). */
  readonly alsoIn: readonly { readonly filePath: string; readonly line: number }[];
  /** Every field, sorted by name; values as text. */
  readonly fields: readonly (readonly [name: string, value: string])[];
}

export interface QueryApi {
  /** Orders every event of the case by time (UTC); call again to take in newly stored blocks. */
  open(caseId: string): Promise<TimelineInfo>;
  /**
   * Opens the newest case (the one the app opens at start), if any: started before the window has
   * read the case record, so ordering the timeline overlaps the window's own start.
   */
  openLatest(): Promise<TimelineInfo | undefined>;
  /** Takes in blocks stored since the last open/refresh (while ingest runs), merging them into the order. */
  refresh(caseId: string): Promise<TimelineInfo>;
  /** Rows of the current view (the whole order, or what the filter kept), with optional extra columns. */
  rows(start: number, count: number, columns?: readonly string[]): Promise<TimelineRow[]>;
  event(id: number): Promise<EventDetail | undefined>;
  /** Position of an event in the current view, or -1. */
  positionOf(id: number): Promise<number>;
  /**
   * Filters the view: a query (see src/core/query) and a time range; the view stays in time order.
   * `keep`: an event the table keeps in sight (the selected one); the outcome gives its position,
   * and the worker starts reading the rows around it (or the first rows) before it replies.
   */
  filter(spec: FilterSpec, keep?: number): Promise<FilterOutcome>;
  /**
   * Counts of the most frequent values of each field among the events of the view; undefined when
   * a filter, open or refresh asked after it began (the scan stops: the view it counted is gone).
   */
  facets(fields: readonly string[], limit: number): Promise<Facet[] | undefined>;
  /**
   * Event counts over time of the events the query kept (the time range aside), stacked by a
   * field; undefined when superseded, as for facets.
   */
  histogram(request: HistogramRequest): Promise<Histogram | undefined>;
  /** Reads field columns into the worker's cache ahead of need (pivot fields after opening a case). */
  prefetch(fields: readonly string[]): Promise<void>;
  /** Rows for events by id, wherever they are (for lists of annotated events). */
  rowsById(ids: readonly number[]): Promise<(TimelineRow | undefined)[]>;
  /** Where events came from (file hash, path, line): what an annotation export keeps. */
  eventReferences(ids: readonly number[]): Promise<(EventReference | undefined)[]>;
  /** The events of this case at those places, or undefined. */
  resolveReferences(refs: readonly EventReference[]): Promise<(number | undefined)[]>;
}

export interface FilterSpec {
  readonly query: string;
  /** Inclusive UTC milliseconds; omitted sides are open. */
  readonly from?: number;
  readonly to?: number;
}

export type FilterOutcome =
  | {
      readonly ok: true;
      /** Events in the view after the filter. */
      readonly matched: number;
      readonly total: number;
      readonly blocksRead: number;
      readonly blocksSkipped: number;
      readonly elapsedMs: number;
      /** Position of `keep` in the new view; -1 when it was not asked or the view lacks it. */
      readonly position: number;
    }
  | { readonly ok: false; readonly error: string; readonly start: number; readonly end: number };

export interface Facet {
  readonly field: string;
  readonly values: readonly (readonly [value: string, count: number])[];
  readonly distinct: number;
}

export interface HistogramRequest {
  readonly from: number;
  readonly to: number;
  readonly maxBins: number;
  readonly stackBy: string;
  /** Series beyond this many are summed into "other". */
  readonly maxSeries: number;
}

export interface Histogram {
  /** Start of bin i is from + i * binMs. */
  readonly from: number;
  readonly binMs: number;
  readonly bins: number;
  readonly series: readonly { readonly name: string; readonly counts: readonly number[] }[];
}

export interface DetectResult {
  readonly caseId: string;
  /** Events read, oldest first. */
  readonly events: number;
  /** Rules that give findings of their own (correlations' base rules not counted). */
  readonly rules: number;
  readonly findings: number;
  /** Rules that could not be loaded or compiled, with file and line (case rules). */
  readonly problems: readonly string[];
  readonly elapsedMs: number;
}

export interface DetectApi {
  /** Runs the built-in pack and the case's enabled rules over the case; findings go to db.findings. */
  run(caseId: string): Promise<DetectResult>;
}

/** A report made by the report worker. */
export interface ReportPdf {
  readonly bytes: Uint8Array;
  readonly pages: number;
  /** A suggested file name (the case name made safe, and the date). */
  readonly fileName: string;
  readonly elapsedMs: number;
}

export interface ReportApi {
  /**
   * The report model for these choices: what the Report view previews (as text) and the PDF draws.
   * `generation` changes when the case does (ingest, detection): the worker then reads it again.
   */
  preview(caseId: string, options: ReportOptions, generation: number): Promise<ReportModel>;
  /** The PDF of the same model, built with pdfmake in the worker. */
  pdf(caseId: string, options: ReportOptions, generation: number): Promise<ReportPdf>;
  /** Per user, the MAAS audit actions of the case (the Users view; the report's section agrees). */
  userActivity(caseId: string, generation: number): Promise<UserActivity[]>;
}
