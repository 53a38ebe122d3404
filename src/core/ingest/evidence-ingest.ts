import { BLOCK_CAPACITY, BlockBuilder, eventId, type EventBlock, type PendingEvent } from '../model/block';
import { duplicateHash, type DuplicateIndex, type DuplicateLine } from './duplicates';
import { FileIngestor, type FileIngestOptions, type FileIngestReport } from './file-ingestor';

/**
 * Ingests one evidence file from its (already decompressed) chunks into encoded blocks. The
 * caller owns reading, decompression, hashing and storage; this stays pure and runs the same in
 * the ingest worker, the CLI and tests.
 */

export interface BlockSink {
  /** Called with each full block, and the last partial one; awaited (backpressure). */
  writeBlock(block: EventBlock): Promise<void> | void;
  /** Allocates the next block id of the case. */
  nextBlockId(): number;
  /** A line that repeats an event already stored (kept, not stored twice). */
  duplicate?(line: DuplicateLine): Promise<void> | void;
}

/**
 * Takes each event as it is parsed, instead of blocks: for a reader that needs no store (the
 * command line's detection over one log). Ids are the ones the event would have in its block.
 */
export interface EventSink {
  /** Called with each event in file order; repeats of other files' kernel lines are left out. */
  event(event: PendingEvent, id: number): void;
  /** Allocates the next block id of the case (one per blockSize events, as blocks would). */
  nextBlockId(): number;
  duplicate?(line: DuplicateLine): Promise<void> | void;
}

export interface CancelToken {
  readonly cancelled: boolean;
}

export class IngestCancelled extends Error {
  constructor() {
    super('ingest cancelled');
    this.name = 'IngestCancelled';
  }
}

export interface EvidenceIngestOptions extends FileIngestOptions {
  readonly fileId: number;
  readonly blockSize?: number;
  /** Events seen in other files of the same ingest; kernel lines found there again are duplicates. */
  readonly duplicates?: DuplicateIndex;
}

export interface EvidenceIngestReport extends FileIngestReport {
  /** Parsed lines that repeat an event of another file (kern.log and syslog carry the same kernel lines). */
  readonly duplicates: number;
}

export async function ingestEvidence(
  chunks: AsyncIterable<Uint8Array>,
  options: EvidenceIngestOptions,
  sink: BlockSink | EventSink,
  cancel?: CancelToken,
): Promise<EvidenceIngestReport> {
  const blockSize = Math.min(options.blockSize ?? BLOCK_CAPACITY, BLOCK_CAPACITY);
  const eventSink = 'event' in sink ? sink : undefined;
  const builder = eventSink === undefined ? new BlockBuilder(options.fileId) : undefined;
  const full: EventBlock[] = [];
  const repeated: DuplicateLine[] = [];
  // The block id is taken when a block starts, so each event knows its id before it is stored.
  let blockId = -1;
  let inBlock = 0;
  const ingestor = new FileIngestor(options, (event) => {
    const key = options.duplicates === undefined ? undefined : duplicateHash(event);
    if (inBlock === 0) blockId = sink.nextBlockId();
    if (key !== undefined) {
      const kept = options.duplicates!.seen(key, eventId(blockId, inBlock), options.fileId);
      if (kept !== undefined) {
        repeated.push({ keptId: kept, fileId: options.fileId, line: event.line, lineCount: event.lineCount, offset: event.offset });
        return;
      }
    }
    if (eventSink !== undefined) eventSink.event(event, eventId(blockId, inBlock));
    else builder!.add(event);
    if (++inBlock >= blockSize) {
      if (builder !== undefined) full.push(builder.build(blockId));
      inBlock = 0;
    }
  });
  let duplicates = 0;
  const drain = async (): Promise<void> => {
    while (full.length > 0) await (sink as BlockSink).writeBlock(full.shift()!);
    for (const line of repeated.splice(0, repeated.length)) {
      duplicates++;
      await sink.duplicate?.(line);
    }
  };
  for await (const chunk of chunks) {
    if (cancel?.cancelled === true) throw new IngestCancelled();
    ingestor.push(chunk);
    await drain();
  }
  const report = ingestor.end();
  if (builder !== undefined && builder.size > 0) full.push(builder.build(blockId));
  await drain();
  return { ...report, duplicates };
}
