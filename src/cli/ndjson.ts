import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { decodeEvent, Field, type EventBlock, type LoupeEvent } from '../core/index';

/**
 * Streams events as NDJSON, one ECS event per line, a block at a time: one write per block keeps
 * the syscall count low, and waiting for 'drain' keeps memory flat however large the evidence.
 */

export class OutputError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** One NDJSON record: ECS fields plus the evidence fields that point back at the raw line. */
export function eventRecord(event: LoupeEvent, filePath: string): Record<string, unknown> {
  const timestamp = Number.isFinite(event.timestamp) ? new Date(event.timestamp).toISOString() : null;
  // '@timestamp' first, for people reading the file.
  const record: Record<string, unknown> = { [Field.timestamp]: timestamp };
  for (const key in event.fields) record[key] = event.fields[key];
  // Evidence fields last and always ours: a parsed field cannot spoof where a line came from.
  record[Field.timestamp] = timestamp;
  record[Field.filePath] = filePath;
  record[Field.fileLine] = event.line;
  record[Field.offset] = event.offset;
  record[Field.original] = event.raw;
  return record;
}

export class NdjsonWriter {
  private failure: Error | undefined;

  private constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly ownsStream: boolean,
  ) {
    out.on('error', (error: Error) => { this.failure ??= error; });
  }

  /** Opens a file for writing, failing early (before any ingest) if it cannot be created. */
  static async toFile(path: string): Promise<NdjsonWriter> {
    const stream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (e) {
      throw new OutputError(`cannot write ${path}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code);
    }
    return new NdjsonWriter(stream, true);
  }

  static toStream(out: NodeJS.WritableStream): NdjsonWriter {
    return new NdjsonWriter(out, false);
  }

  async writeBlock(block: EventBlock, filePath: string): Promise<void> {
    this.check();
    let text = '';
    for (let i = 0; i < block.count; i++) text += `${JSON.stringify(eventRecord(decodeEvent(block, i), filePath))}\n`;
    if (!this.out.write(text)) {
      try {
        await once(this.out, 'drain');
      } catch (e) {
        this.failure ??= e as Error;
      }
    }
    this.check();
  }

  async close(): Promise<void> {
    this.check();
    if (!this.ownsStream) return;
    this.out.end();
    try {
      await once(this.out, 'finish');
    } catch (e) {
      this.failure ??= e as Error;
    }
    this.check();
  }

  private check(): void {
    const failure = this.failure;
    if (failure !== undefined) throw new OutputError(`cannot write NDJSON: ${failure.message}`, (failure as NodeJS.ErrnoException).code);
  }
}
