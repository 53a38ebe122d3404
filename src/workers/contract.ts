import type { BundleFacts } from '../core/bundle/recognize';

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

export interface IngestApi {
  ingest(caseId: string, sources: readonly IngestSource[], onProgress: (progress: IngestProgress) => void): Promise<IngestResult>;
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
}

export interface TimelineInfo {
  readonly caseId: string;
  readonly total: number;
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
  /** Takes in blocks stored since the last open/refresh (while ingest runs), merging them into the order. */
  refresh(caseId: string): Promise<TimelineInfo>;
  rows(start: number, count: number): Promise<TimelineRow[]>;
  event(id: number): Promise<EventDetail | undefined>;
  /** Position of an event in the current order, or -1. */
  positionOf(id: number): Promise<number>;
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
