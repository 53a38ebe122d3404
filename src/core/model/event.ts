/**
 * The normalized event. Field names follow the Elastic Common Schema (ECS), flat and dotted
 * (`source.ip`, `http.response.status_code`), so Sigma rules, exports and queries speak one
 * language. Every input line becomes exactly one of: a parsed event, a continuation joined to
 * the event before it, or an unparsed event that keeps the raw line.
 */

export type FieldValue = string | number | boolean | readonly string[];

/** ECS fields as a parser produces them (evidence fields are added by the ingest pipeline). */
export type EventFields = Record<string, FieldValue>;

/**
 * Fields as a parser hands them over: a field whose value is undefined is absent. A parser may so
 * build each event as one object literal of every field it can set, all in the same order: V8 then
 * copies one boilerplate into a fixed shape instead of adding fields one at a time, and the block
 * encoder meets the fields in the same order on every event. Stored and decoded events
 * (EventFields) never hold undefined.
 */
export type ParsedFields = Record<string, FieldValue | undefined>;

/** Which parts of `@timestamp` were not written in the line but inferred from context. */
export type InferredTimePart = 'year' | 'zone';

/** A fully stored event, as queries return it. */
export interface LoupeEvent {
  /** Case-wide id: blockId * BLOCK_CAPACITY + index in block. */
  readonly id: number;
  /** UTC epoch milliseconds. */
  readonly timestamp: number;
  readonly fileId: number;
  /** 1-based line number of the first line of the event in its evidence file. */
  readonly line: number;
  /** Lines the event spans (1 + joined continuation lines). */
  readonly lineCount: number;
  /** Byte offset of the event's first line in the (decompressed) evidence file. */
  readonly offset: number;
  /** The raw text, continuation lines joined with "\n". Hostile: never render as HTML. */
  readonly raw: string;
  /** ECS fields, including `event.dataset` and `host.name`. */
  readonly fields: Readonly<EventFields>;
}

/**
 * An event as detection reads it: stored (LoupeEvent), or streamed straight from its parser
 * (StreamDetection), whose fields may hold undefined for an absent field (ParsedFields).
 */
export interface RuleEvent extends Omit<LoupeEvent, 'fields'> {
  readonly fields: Readonly<ParsedFields>;
}

/** Field names every stored event carries. */
export const Field = {
  timestamp: '@timestamp',
  dataset: 'event.dataset',
  host: 'host.name',
  message: 'message',
  filePath: 'log.file.path',
  fileLine: 'log.file.line',
  offset: 'log.offset',
  original: 'event.original',
  /** Set on events whose line no parser understood. */
  unparsed: 'loupe.unparsed',
  /** Set when part of the timestamp was inferred, e.g. ["year", "zone"]. */
  timeInferred: 'loupe.time.inferred',
} as const;

/** The dataset of lines no format understood. */
export const UNPARSED_DATASET = 'unparsed';

export function fieldAsString(value: FieldValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value.join(', ');
}
