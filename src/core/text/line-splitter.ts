/**
 * Splits a byte stream into lines without ever holding more than one chunk plus one line.
 * Newlines are found on bytes (UTF-8 never has 0x0A inside a multi-byte sequence), so each line
 * keeps its exact byte offset; text is decoded a region at a time, replacing invalid UTF-8 with
 * U+FFFD. `\r\n` endings lose the `\r`. A line longer than `maxLineBytes` is cut to that length,
 * the rest of it skipped, and counted as truncated.
 */

export type LineHandler = (text: string, lineNumber: number, byteOffset: number) => void;

export interface LineSplitterStats {
  lines: number;
  bytes: number;
  truncatedLines: number;
  /** Lines that held bytes that are not valid UTF-8 (shown as U+FFFD). */
  invalidUtf8Lines: number;
  /** First line numbers that were truncated / had invalid UTF-8 (a few, for the report). */
  firstTruncatedLine: number;
  firstInvalidUtf8Line: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

const NEWLINE = 10;
/**
 * Text is decoded at most this many bytes at a time. A line is a slice of its region's string and
 * keeps the whole region alive while any value cut from it lives on (a parser's cache of recent
 * values holds a few): small regions keep that small whatever size the chunks come in.
 */
const MAX_REGION_BYTES = 64 * 1024;
const REPLACEMENT = '\uFFFD';

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private readonly strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  /** Bytes of the current over-long line that were dropped. */
  private skipping = false;
  private lineStart = 0;
  private readonly stats: LineSplitterStats = {
    lines: 0, bytes: 0, truncatedLines: 0, invalidUtf8Lines: 0, firstTruncatedLine: 0, firstInvalidUtf8Line: 0,
  };

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  get statistics(): Readonly<LineSplitterStats> {
    return this.stats;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length > MAX_REGION_BYTES) {
      // Lines that straddle two pieces are joined through the carry, as across chunks.
      for (let from = 0; from < chunk.length; from += MAX_REGION_BYTES) this.pushRegion(chunk.subarray(from, from + MAX_REGION_BYTES));
      return;
    }
    this.pushRegion(chunk);
  }

  private pushRegion(chunk: Uint8Array): void {
    const base = this.stats.bytes;
    this.stats.bytes += chunk.length;
    let pos = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl < 0) {
      this.appendCarry(chunk);
      return;
    }
    if (this.carryLength > 0 || this.skipping) {
      this.appendCarry(chunk.subarray(0, nl));
      this.emitCarry();
      pos = nl + 1;
      this.lineStart = base + pos;
      nl = chunk.indexOf(NEWLINE, pos);
    }
    // Collect newline positions of the whole-line region, then decode that region once.
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (nl >= 0 && lastNl >= pos) {
      const region = chunk.subarray(pos, lastNl);
      const text = this.decoder.decode(region);
      const hasReplacement = text.includes(REPLACEMENT);
      const ascii = text.length === region.length;
      let charPos = 0;
      let bytePos = pos;
      while (bytePos <= lastNl) {
        const end = chunk.indexOf(NEWLINE, bytePos);
        const lineBytes = end - bytePos;
        let charEnd: number;
        if (ascii) {
          charEnd = charPos + lineBytes;
        } else {
          charEnd = text.indexOf('\n', charPos);
          if (charEnd < 0) charEnd = text.length;
        }
        let line = text.slice(charPos, charEnd);
        const invalid = hasReplacement && line.includes(REPLACEMENT) && !this.isValidUtf8(chunk.subarray(bytePos, end));
        if (lineBytes > this.maxLineBytes) {
          line = this.decoder.decode(chunk.subarray(bytePos, bytePos + this.maxLineBytes));
          this.noteTruncated();
        }
        this.emit(line, base + bytePos, invalid);
        charPos = charEnd + 1;
        bytePos = end + 1;
      }
      pos = lastNl + 1;
    }
    this.lineStart = base + pos;
    if (pos < chunk.length) this.appendCarry(chunk.subarray(pos));
  }

  /** Emits the last line if the stream did not end with a newline. */
  end(): Readonly<LineSplitterStats> {
    if (this.carryLength > 0 || this.skipping) this.emitCarry();
    return this.stats;
  }

  private appendCarry(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const room = this.maxLineBytes - this.carryLength;
    if (room <= 0) {
      this.skipping = true;
      return;
    }
    if (bytes.length > room) {
      this.skipping = true;
      bytes = bytes.subarray(0, room);
    }
    // Copy: the caller may reuse the chunk's buffer.
    this.carry.push(bytes.slice());
    this.carryLength += bytes.length;
  }

  private emitCarry(): void {
    let bytes: Uint8Array;
    if (this.carry.length === 1) {
      bytes = this.carry[0]!;
    } else {
      bytes = new Uint8Array(this.carryLength);
      let at = 0;
      for (const part of this.carry) {
        bytes.set(part, at);
        at += part.length;
      }
    }
    if (this.skipping) this.noteTruncated();
    const text = this.decoder.decode(bytes);
    const invalid = text.includes(REPLACEMENT) && !this.isValidUtf8(bytes);
    this.emit(text, this.lineStart, invalid);
    this.carry = [];
    this.carryLength = 0;
    this.skipping = false;
  }

  private emit(text: string, offset: number, invalidUtf8: boolean): void {
    this.stats.lines++;
    if (invalidUtf8) {
      this.stats.invalidUtf8Lines++;
      if (this.stats.firstInvalidUtf8Line === 0) this.stats.firstInvalidUtf8Line = this.stats.lines;
    }
    const line = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    this.onLine(line, this.stats.lines, offset);
  }

  private noteTruncated(): void {
    this.stats.truncatedLines++;
    if (this.stats.firstTruncatedLine === 0) this.stats.firstTruncatedLine = this.stats.lines + 1;
  }

  private isValidUtf8(bytes: Uint8Array): boolean {
    try {
      this.strictDecoder.decode(bytes);
      return true;
    } catch {
      return false;
    }
  }
}
