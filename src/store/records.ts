import type { BundleFacts } from '../core/bundle/recognize';
import type { BlockSummary, Column, EventBlock } from '../core/model/block';
import type { ReportOptions } from '../core/report/options';

/** Rows of the small, hand-edited tables and of the block store. */

export interface CaseRecord {
  readonly id: string;
  name: string;
  readonly createdAt: number;
  /** Set when the bundled demo case was loaded into this case. */
  demo?: boolean;
  /** The bundles dropped into the case, one per root folder (later drops of a root replace it). */
  bundles?: BundleFacts[];
  /** The analyst's zone for a host (IANA name), over the one inferred from its bundle. */
  zoneOverrides?: Record<string, string>;
  /** The analyst's choices for the case's report (Report view); a field of the row, so no migration. */
  report?: ReportOptions;
}

export type EvidenceStatus = 'ingesting' | 'done' | 'failed' | 'cancelled';

export interface EvidenceRecord {
  /** Also the `fileId` of the file's events. */
  id?: number;
  readonly caseId: string;
  /** Path inside the bundle, or the file name when loose. */
  readonly path: string;
  readonly bytes: number;
  sha256: string;
  /** Format id, 'metadata' for sos collection files that are not logs, 'unknown' when not recognised. */
  format: string;
  host: string;
  lines: number;
  parsed: number;
  continued: number;
  unparsed: number;
  tsMin: number;
  tsMax: number;
  datasets: Record<string, number>;
  errors: string[];
  /** Parsed lines that repeat an event kept from another file (see DuplicateRecord). */
  duplicates?: number;
  /** The dropped archive and each nested archive holding this file, outermost first (absent for loose files). */
  archive?: string[];
  /** Zone its zone-less stamps were read in (absent: UTC); re-timing starts from it. */
  timeZone?: string;
  status: EvidenceStatus;
  readonly addedAt: number;
}

/** A block without its field columns (those are rows of `columns`). */
export interface BlockRecord {
  readonly caseId: string;
  readonly blockId: number;
  readonly fileId: number;
  readonly block: EventBlock;
}

/**
 * A dictionary column as stored: its values joined into one string with end offsets. IndexedDB's
 * structured clone pays per string, so an array of thousands of short values cost several times
 * the clone of the same text in one string (measured with v8.serialize on generated blocks: Apache
 * 169 ms -> 24 ms, auth 121 -> 66, UFW 60 -> 27). Rows written before hold `dict` arrays and are
 * read as they are.
 */
export interface JoinedDictColumn {
  readonly t: 'str' | 'list';
  readonly joined: string;
  /** End of each value in `joined`. */
  readonly ends: Uint32Array;
  readonly codes: Uint8Array | Uint16Array | Uint32Array;
}

export type StoredColumn = Column | JoinedDictColumn;

/** One field column of a block. */
export interface FieldColumnRecord {
  readonly caseId: string;
  readonly blockId: number;
  readonly fileId: number;
  readonly field: string;
  readonly column: StoredColumn;
}

/** The key part that marks a block's packed row: a number, so no field name (a string) can take it. */
export const PACKED_COLUMNS = 0;

/**
 * A block's small columns in one row (booleans, dictionaries of fewer than 255 values: a few kB
 * each): one row instead of a dozen is most of what a write costs (bench/browser/layouts.bench.ts).
 */
export interface PackedColumnsRecord {
  readonly caseId: string;
  readonly blockId: number;
  readonly fileId: number;
  readonly field: typeof PACKED_COLUMNS;
  readonly columns: Readonly<Record<string, StoredColumn>>;
}

export type ColumnRecord = FieldColumnRecord | PackedColumnsRecord;

/** A block's summary: enough to skip it or count it without reading it. */
export interface BlockSummaryRecord extends BlockSummary {
  readonly caseId: string;
}

/** A block's timestamps, kept apart so that scans which only skip blocks do not read them. */
export interface BlockTimesRecord {
  readonly caseId: string;
  readonly blockId: number;
  readonly fileId: number;
  readonly timestamps: Float64Array;
}

/** A summary with its timestamps, so a timeline can be ordered without reading blocks. */
export interface BlockIndexRecord extends BlockSummaryRecord {
  readonly timestamps: Float64Array;
}

export type AnnotationTag = 'malicious' | 'benign' | 'follow-up' | (string & {});

export interface AnnotationRecord {
  id?: number;
  readonly caseId: string;
  readonly eventId?: number;
  readonly findingId?: number;
  starred: boolean;
  tags: string[];
  comment: string;
  updatedAt: number;
}

/**
 * A rule of a case. `id` is the rule's key (Sigma id, else name, else title). A record with
 * `builtin` refers to a rule of the pack (assets/rules): with `yaml` '' it only overrides
 * `enabled`, otherwise it is the case's edited copy, used instead of the pack's text (the pack
 * itself is never written). Helpers: store/rules.ts.
 */
export interface RuleRecord {
  readonly caseId: string;
  readonly id: string;
  yaml: string;
  enabled: boolean;
  builtin: boolean;
  updatedAt: number;
}

export interface FindingRecord {
  id?: number;
  readonly caseId: string;
  readonly ruleId: string;
  readonly title: string;
  readonly level: string;
  readonly first: number;
  readonly last: number;
  readonly count: number;
  readonly entities: Record<string, string>;
  readonly eventIds: number[];
  /** Authors of the rule (and of a correlation's base rules): shown with the finding (DRL 1.1). */
  readonly authors?: string[];
  /** Hosts the events were logged on. */
  readonly hosts?: string[];
  readonly kind?: 'rule' | 'correlation';
  readonly description?: string;
  /** Correlations: the aggregate that met the condition. */
  readonly value?: number;
}

/** A line that repeats an event stored from another file: the event is kept once, its other places here. */
export interface DuplicateRecord {
  id?: number;
  readonly caseId: string;
  readonly keptId: number;
  readonly fileId: number;
  readonly line: number;
  readonly lineCount: number;
  readonly offset: number;
}

/** The text a save of a rule replaced (store/rules.ts saveRule). */
export interface RuleVersionRecord {
  id?: number;
  readonly caseId: string;
  readonly ruleId: string;
  readonly yaml: string;
  /** When this text was replaced. */
  readonly replacedAt: number;
}
