import { BLOCK_CAPACITY, BlockBuilder, type EventBlock } from '../model/block';
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
}

export async function ingestEvidence(
  chunks: AsyncIterable<Uint8Array>,
  options: EvidenceIngestOptions,
  sink: BlockSink,
  cancel?: CancelToken,
): Promise<FileIngestReport> {
  const blockSize = Math.min(options.blockSize ?? BLOCK_CAPACITY, BLOCK_CAPACITY);
  const builder = new BlockBuilder(options.fileId);
  const full: EventBlock[] = [];
  const ingestor = new FileIngestor(options, (event) => {
    builder.add(event);
    if (builder.size >= blockSize) full.push(builder.build(sink.nextBlockId()));
  });
  for await (const chunk of chunks) {
    if (cancel?.cancelled === true) throw new IngestCancelled();
    ingestor.push(chunk);
    while (full.length > 0) await sink.writeBlock(full.shift()!);
  }
  const report = ingestor.end();
  while (full.length > 0) await sink.writeBlock(full.shift()!);
  if (builder.size > 0) await sink.writeBlock(builder.build(sink.nextBlockId()));
  return report;
}
