import type { InferredTimePart, ParsedFields } from '../model/event';

/** The five log families of the MAAS logging reference. */
export type LogFamily = 'firewall' | 'web' | 'maas' | 'system' | 'audit';

/** What a parser knows about the file it reads. */
export interface ParseContext {
  /** Path of the file inside its bundle (or its name when loose). */
  readonly path: string;
  /**
   * A time near the end of the file (file mtime, or the bundle's collection date), UTC ms.
   * Year-less stamps take the latest year that does not put them after this time.
   */
  readonly referenceTime: number;
  /** Host name known from the bundle (sos directory, etc/hostname), if any. */
  readonly host?: string;
  /**
   * IANA zone of the host (etc/timezone, timedatectl), if known: stamps without an offset are
   * local wall time there. Without it they are read as UTC.
   */
  readonly timeZone?: string;
}

/** One parsed line. `timestamp` is NaN when the line has none (the pipeline then borrows one). */
export interface ParsedRecord {
  readonly kind: 'event';
  readonly timestamp: number;
  readonly dataset: string;
  readonly fields: ParsedFields;
  readonly inferred?: readonly InferredTimePart[];
}

/** The line continues the previous record (tracebacks, wrapped messages). */
export interface ContinuationLine {
  readonly kind: 'continuation';
}

/** No pattern of the format matched; `reason` says why, for the ingest report. */
export interface UnparsedLine {
  readonly kind: 'unparsed';
  readonly reason: string;
}

export type LineResult = ParsedRecord | ContinuationLine | UnparsedLine;

export const CONTINUATION: ContinuationLine = Object.freeze({ kind: 'continuation' });

export function unparsed(reason: string): UnparsedLine {
  return { kind: 'unparsed', reason };
}

/** A per-file parser; it may keep state between lines (continuations, year roll-over). */
export interface LineParser {
  parseLine(line: string): LineResult;
}

/** A sample line with the fields it must produce: the format's own living documentation. */
export interface FormatSample {
  readonly line: string;
  readonly dataset: string;
  readonly timestamp?: string;
  readonly fields: ParsedFields;
}

export interface SniffInput {
  readonly path: string;
  /** The first non-empty lines of the file (up to ~32). */
  readonly lines: readonly string[];
}

/** One event of a whole-file document: where it sits (1-based first line, lines spanned) and what it says. */
export interface DocumentEvent {
  readonly line: number;
  readonly lineCount: number;
  readonly record: ParsedRecord;
}

/** What `parseDocument` found: events, or why the text is not a document of the format. */
export type DocumentResult = { readonly events: readonly DocumentEvent[] } | { readonly error: string };

export interface LogFormat {
  /** Kebab-case id, stable: stored with evidence. */
  readonly id: string;
  readonly title: string;
  readonly family: LogFamily;
  readonly description: string;
  /** Confidence 0..1 that the file is in this format. */
  sniff(input: SniffInput): number;
  createParser(context: ParseContext): LineParser;
  /**
   * For formats whose records span lines in a way a line parser cannot follow (a pretty-printed
   * JSON document): parses the whole file at once. The ingestor buffers the file (up to a limit),
   * counts the lines outside every event's span as continued, and falls back to `createParser`
   * line by line when the file is too large or this returns an error.
   */
  parseDocument?(text: string, context: ParseContext): DocumentResult;
  readonly samples: readonly FormatSample[];
}
