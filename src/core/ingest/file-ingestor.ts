import type { PendingEvent } from '../model/block';
import { Field, UNPARSED_DATASET, type EventFields, type ParsedFields } from '../model/event';
import type { LineParser, LogFormat, ParseContext, ParsedRecord } from '../formats/format';
import { sniffFormat } from '../formats/registry';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../text/line-splitter';

/**
 * Turns the bytes of one evidence file into events: split lines, sniff the format on the first
 * lines, parse, join continuation lines to their event, and keep every line accounted for
 * (lines = parsed + continued + unparsed). Pure: bytes in, events out through a callback.
 */

export interface FileIngestOptions {
  /** Path inside the bundle (or the file name). */
  readonly path: string;
  /** UTC ms near the end of the file's writing (mtime); anchors year-less stamps. */
  readonly referenceTime: number;
  /** Host known from the bundle; lines that name their own host keep theirs. */
  readonly host?: string;
  /** IANA zone of the host, for stamps without an offset (ParseContext.timeZone). */
  readonly timeZone?: string;
  /** Force a format instead of sniffing. */
  readonly format?: LogFormat;
  readonly maxLineBytes?: number;
}

export interface FileIngestReport {
  readonly path: string;
  readonly format: string;
  readonly formatConfidence: number;
  readonly bytes: number;
  readonly lines: number;
  readonly parsed: number;
  readonly continued: number;
  readonly unparsed: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly hosts: readonly string[];
  readonly datasets: Readonly<Record<string, number>>;
  /** Problems worth telling the analyst: truncated lines, invalid UTF-8, unknown format. */
  readonly warnings: readonly string[];
}

const SNIFF_LINES = 32;
/** A file of a document format (parseDocument) is read whole up to this many characters, else line by line. */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

interface BufferedLine {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
}
/** Unparsed lines before the first timestamp wait for it, up to this many. */
const MAX_WAITING_FOR_TIME = 10_000;

export const UNKNOWN_FORMAT = 'unknown';

export class FileIngestor {
  private readonly splitter: LineSplitter;
  private sniffBuffer: BufferedLine[] | undefined = [];
  private parser: LineParser | undefined;
  private context: ParseContext | undefined;
  /** Lines of a document-format file, parsed whole at the end. */
  private document: { format: LogFormat; lines: BufferedLine[]; chars: number } | undefined;
  private readonly formatWarnings: string[] = [];
  private formatId = UNKNOWN_FORMAT;
  private confidence = 0;
  private current: PendingEvent | undefined;
  /** Events waiting for a timestamp to borrow (unparsed lines at the start of a file). */
  private waiting: PendingEvent[] = [];
  private lastTimestamp = NaN;
  private parsed = 0;
  private continued = 0;
  private unparsedCount = 0;
  private tsMin = Infinity;
  private tsMax = -Infinity;
  private readonly hosts = new Set<string>();
  private readonly datasets: Record<string, number> = {};
  private lastHost: string | undefined;
  private lastDataset = '';
  private lastDatasetCount = 0;
  private firstUnparsedReason: string | undefined;

  constructor(
    private readonly options: FileIngestOptions,
    private readonly emit: (event: PendingEvent) => void,
  ) {
    this.splitter = new LineSplitter((text, line, offset) => this.onLine(text, line, offset), options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    if (options.format !== undefined) this.useFormat(options.format, 1);
  }

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  end(): FileIngestReport {
    const stats = this.splitter.end();
    if (this.sniffBuffer !== undefined) this.sniffNow();
    if (this.document !== undefined) this.endDocument();
    this.flushCurrent();
    if (this.waiting.length > 0) this.releaseWaiting(this.options.referenceTime);
    this.countDataset();
    const warnings: string[] = [...this.formatWarnings];
    if (this.formatId === UNKNOWN_FORMAT && stats.lines > 0) warnings.push('unknown format: every line kept as unparsed');
    if (stats.truncatedLines > 0) {
      warnings.push(`${stats.truncatedLines} line(s) longer than ${this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES} bytes were cut (first at line ${stats.firstTruncatedLine})`);
    }
    if (stats.invalidUtf8Lines > 0) {
      warnings.push(`${stats.invalidUtf8Lines} line(s) are not valid UTF-8 (first at line ${stats.firstInvalidUtf8Line}); bad bytes shown as U+FFFD`);
    }
    if (this.formatId !== UNKNOWN_FORMAT && this.unparsedCount > 0 && this.firstUnparsedReason !== undefined) {
      warnings.push(`${this.unparsedCount} line(s) not understood as ${this.formatId} (e.g. ${this.firstUnparsedReason})`);
    }
    return {
      path: this.options.path,
      format: this.formatId,
      formatConfidence: this.confidence,
      bytes: stats.bytes,
      lines: stats.lines,
      parsed: this.parsed,
      continued: this.continued,
      unparsed: this.unparsedCount,
      tsMin: this.tsMin,
      tsMax: this.tsMax,
      hosts: [...this.hosts].sort(),
      datasets: { ...this.datasets },
      warnings,
    };
  }

  private useFormat(format: LogFormat, confidence: number): void {
    this.formatId = format.id;
    this.confidence = confidence;
    this.context = {
      path: this.options.path,
      referenceTime: this.options.referenceTime,
      ...(this.options.host !== undefined ? { host: this.options.host } : {}),
      ...(this.options.timeZone !== undefined ? { timeZone: this.options.timeZone } : {}),
    };
    this.parser = format.createParser(this.context);
    if (format.parseDocument !== undefined) this.document = { format, lines: [], chars: 0 };
  }

  private onLine(text: string, line: number, offset: number): void {
    if (this.sniffBuffer !== undefined) {
      this.sniffBuffer.push({ text, line, offset });
      if (this.sniffBuffer.length >= SNIFF_LINES) this.sniffNow();
      return;
    }
    this.acceptLine(text, line, offset);
  }

  /** After sniffing: into the document buffer, or parsed now. */
  private acceptLine(text: string, line: number, offset: number): void {
    const doc = this.document;
    if (doc === undefined) {
      this.handleLine(text, line, offset);
      return;
    }
    doc.lines.push({ text, line, offset });
    doc.chars += text.length + 1;
    if (doc.chars > MAX_DOCUMENT_CHARS) {
      this.document = undefined;
      this.formatWarnings.push(`larger than ${MAX_DOCUMENT_CHARS / 1024 / 1024} MiB: read line by line, not as one ${doc.format.id} document`);
      for (const b of doc.lines) this.handleLine(b.text, b.line, b.offset);
    }
  }

  /** Parses the buffered document; its events point at their line spans, every other line counts as continued. */
  private endDocument(): void {
    const doc = this.document;
    this.document = undefined;
    if (doc?.format.parseDocument === undefined || this.context === undefined) return;
    const { lines } = doc;
    const result = doc.format.parseDocument(lines.map((l) => l.text).join('\n'), this.context);
    if ('error' in result) {
      this.formatWarnings.push(`not read as one ${doc.format.id} document (${result.error}): read line by line`);
      for (const b of lines) this.handleLine(b.text, b.line, b.offset);
      return;
    }
    const spans = [...result.events].sort((a, b) => a.line - b.line);
    let next = 0;
    let events = 0;
    for (const [i, span] of spans.entries()) {
      const start = span.line - 1;
      // Spans must start inside the file, in order, without overlapping; they stop where the next one starts.
      if (!Number.isInteger(start) || start < next || start >= lines.length) continue;
      const following = (spans[i + 1]?.line ?? Infinity) - 1;
      const limit = following > start ? Math.min(lines.length, following) : lines.length;
      const end = Math.max(start + 1, Math.min(limit, start + (Number.isFinite(span.lineCount) ? Math.floor(span.lineCount) : 1)));
      const first = lines[start]!;
      const raw = lines.slice(start, end).map((l) => l.text).join('\n');
      this.flushCurrent();
      this.current = this.eventOf(span.record, first.line, first.offset, raw, end - start);
      events++;
      next = end;
    }
    this.parsed += events;
    this.continued += lines.length - events;
  }

  private eventOf(result: ParsedRecord, line: number, offset: number, raw: string, lineCount: number): PendingEvent {
    const fields: ParsedFields = result.fields;
    // Literal keys (Field.dataset, Field.host, Field.timeInferred): V8 turns an object with many
    // fields into a slow dictionary when a property is added under a computed key.
    fields['event.dataset'] = result.dataset;
    // The bundle's host first: without one, no read of the event's (a megamorphic load).
    const host = this.options.host;
    if (host !== undefined && fields['host.name'] === undefined) fields['host.name'] = host;
    if (result.inferred !== undefined && result.inferred.length > 0) fields['loupe.time.inferred'] = result.inferred;
    return { timestamp: result.timestamp, line, lineCount, offset, raw, fields };
  }

  private sniffNow(): void {
    const buffered = this.sniffBuffer ?? [];
    this.sniffBuffer = undefined;
    if (this.parser === undefined) {
      const lines = buffered.map((b) => b.text).filter((t) => t.trim() !== '');
      const result = sniffFormat({ path: this.options.path, lines });
      this.confidence = result.confidence;
      if (result.format !== undefined) this.useFormat(result.format, result.confidence);
    }
    for (const b of buffered) this.acceptLine(b.text, b.line, b.offset);
  }

  private handleLine(text: string, line: number, offset: number): void {
    const result = this.parser === undefined ? undefined : this.parser.parseLine(text);
    if (result?.kind === 'continuation' && this.current !== undefined) {
      this.current.raw += `\n${text}`;
      this.current.lineCount++;
      this.continued++;
      return;
    }
    this.flushCurrent();
    let event: PendingEvent;
    if (result?.kind === 'event') {
      event = this.eventOf(result, line, offset, text, 1);
      this.parsed++;
    } else {
      const reason = result === undefined ? 'unknown format' : result.kind === 'unparsed' ? result.reason : 'continuation with no event before it';
      this.firstUnparsedReason ??= `line ${line}: ${reason}`;
      const fields: EventFields = { [Field.dataset]: UNPARSED_DATASET, [Field.unparsed]: reason, [Field.message]: text };
      if (this.options.host !== undefined) fields[Field.host] = this.options.host;
      event = { timestamp: NaN, line, lineCount: 1, offset, raw: text, fields };
      this.unparsedCount++;
    }
    this.current = event;
  }

  private flushCurrent(): void {
    const event = this.current;
    if (event === undefined) return;
    this.current = undefined;
    if (Number.isNaN(event.timestamp)) {
      // An event without a time of its own takes the time of the event before it.
      if (Number.isNaN(this.lastTimestamp)) {
        this.waiting.push(event);
        if (this.waiting.length >= MAX_WAITING_FOR_TIME) this.releaseWaiting(this.options.referenceTime);
        return;
      }
      event.timestamp = this.lastTimestamp;
    } else {
      this.lastTimestamp = event.timestamp;
      if (this.waiting.length > 0) this.releaseWaiting(event.timestamp);
    }
    this.deliver(event);
  }

  private releaseWaiting(timestamp: number): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const event of waiting) {
      event.timestamp = timestamp;
      this.deliver(event);
    }
  }

  private deliver(event: PendingEvent): void {
    if (event.timestamp < this.tsMin) this.tsMin = event.timestamp;
    if (event.timestamp > this.tsMax) this.tsMax = event.timestamp;
    // Lines mostly repeat the host and dataset of the line before: set and record touched on a change only.
    const host = event.fields[Field.host];
    if (typeof host === 'string' && host !== this.lastHost) {
      this.hosts.add(host);
      this.lastHost = host;
    }
    const dataset = event.fields[Field.dataset] as string;
    if (dataset !== this.lastDataset) {
      this.countDataset();
      this.lastDataset = dataset;
    }
    this.lastDatasetCount++;
    this.emit(event);
  }

  private countDataset(): void {
    if (this.lastDatasetCount > 0) this.datasets[this.lastDataset] = (this.datasets[this.lastDataset] ?? 0) + this.lastDatasetCount;
    this.lastDatasetCount = 0;
  }
}
