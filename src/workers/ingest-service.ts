import { evidenceRole, splitBundlePath } from '../core/bundle/layout';
import { isBundleFactFile, orderRotated, recognizeBundles, type BundleFacts } from '../core/bundle/recognize';
import { HashedDuplicateIndex } from '../core/ingest/duplicates';
import { ingestEvidence, IngestCancelled, type CancelToken } from '../core/ingest/evidence-ingest';
import type { EventBlock } from '../core/model/block';
import { type DuplicateRecord, type LoupeDB, addDuplicates, addEvidence, deleteEvidenceFile, maxBlockId, recordBundles, updateEvidence, writeBlocks } from '../store';
import { openSource, readSmallText } from './byte-streams';
import type { IngestApi, IngestFileOutcome, IngestProgress, IngestResult, IngestSource } from './contract';

/** Blocks written per IndexedDB transaction: fewer, larger transactions write faster. */
const BLOCKS_PER_TRANSACTION = 8;
const PROGRESS_INTERVAL_MS = 100;

function sourceBytes(source: IngestSource): number {
  return source.kind === 'file' ? source.file.size : source.bytes;
}

function sourceMtime(source: IngestSource): number {
  return source.kind === 'file' ? source.file.lastModified : source.lastModified;
}

/**
 * Reads evidence into the case: each file is streamed, hashed, decompressed, parsed by the core
 * and written as blocks. One bad file gets its errors recorded and the others go on; a cancel
 * removes the file being read, so the store never holds half a file.
 */
export class IngestService implements IngestApi {
  private cancelToken: { cancelled: boolean } = { cancelled: false };

  constructor(private readonly db: () => LoupeDB, private readonly now: () => number = () => performance.now()) {}

  cancel(): void {
    this.cancelToken.cancelled = true;
  }

  async ingest(caseId: string, dropped: readonly IngestSource[], onProgress: (progress: IngestProgress) => void): Promise<IngestResult> {
    // Rotated logs oldest first, so each log reads as one stream in time order.
    const sources = orderRotated(dropped, (s) => s.path);
    const token = { cancelled: false };
    this.cancelToken = token;
    const db = this.db();
    const started = this.now();
    let nextBlockId = (await maxBlockId(db, caseId)) + 1;
    const bytesTotal = sources.reduce((n, s) => n + sourceBytes(s), 0);
    let bytesDone = 0;
    let events = 0;
    let filesDone = 0;
    let currentPath = '';
    let lastProgress = -Infinity;
    const report = (force = false): void => {
      const t = this.now();
      if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = t;
      const elapsedMs = t - started;
      onProgress({ filesTotal: sources.length, filesDone, bytesTotal, bytesDone, events, eventsPerSecond: elapsedMs > 0 ? (events * 1000) / elapsedMs : 0, elapsedMs, currentPath });
    };

    const bundles = await this.recognize(sources);
    await recordBundles(db, caseId, bundles);
    const byRoot = new Map(bundles.map((b) => [b.root, b]));
    const duplicates = new HashedDuplicateIndex();
    const outcomes: IngestFileOutcome[] = [];
    for (const source of sources) {
      if (token.cancelled) break;
      currentPath = source.path;
      report(true);
      const { root } = splitBundlePath(source.path);
      const bundle = byRoot.get(root);
      const host = bundle?.host;
      const role = evidenceRole(source.path);
      const fileId = await addEvidence(db, {
        caseId, path: source.path, bytes: sourceBytes(source), sha256: '', format: role === 'metadata' ? 'metadata' : 'unknown',
        host: host ?? '', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: NaN, tsMax: NaN, datasets: {}, errors: [],
        status: 'ingesting', addedAt: Date.now(),
      });
      const pending: EventBlock[] = [];
      const repeats: DuplicateRecord[] = [];
      // One write in flight while the next batch is parsed: IndexedDB commits in the browser
      // process, so parsing on meanwhile overlaps the two (a failed write throws at the next flush).
      let writing: Promise<void> = Promise.resolve();
      const flush = async (): Promise<void> => {
        await writing;
        await addDuplicates(db, repeats.splice(0, repeats.length));
        if (pending.length === 0) return;
        const batch = pending.splice(0, pending.length);
        writing = writeBlocks(db, caseId, batch).then(() => {
          for (const b of batch) events += b.count;
          report();
        });
        // Handled here so a failure is not reported as unhandled before the next flush awaits it.
        writing.catch(() => undefined);
      };
      const flushAll = async (): Promise<void> => {
        await flush();
        await writing;
      };
      try {
        const opened = await openSource(source, sourceBytes(source), (n) => { bytesDone += n; });
        if (role === 'metadata') {
          for await (const chunk of opened.chunks) void chunk;
          await updateEvidence(db, fileId, { sha256: opened.sha256(), status: 'done' });
          outcomes.push({ path: source.path, status: 'done', format: 'metadata', lines: 0, errors: [] });
        } else {
          const result = await ingestEvidence(opened.chunks, { path: source.path, referenceTime: bundle?.collectedAt ?? sourceMtime(source), fileId, duplicates, ...(host !== undefined ? { host } : {}) }, {
            nextBlockId: () => nextBlockId++,
            writeBlock: async (block) => {
              pending.push(block);
              if (pending.length >= BLOCKS_PER_TRANSACTION) await flush();
            },
            duplicate: (line) => {
              repeats.push({ caseId, ...line });
            },
          }, token as CancelToken);
          await flushAll();
          await updateEvidence(db, fileId, {
            sha256: opened.sha256(), format: result.format, host: host ?? result.hosts.join(', '),
            lines: result.lines, parsed: result.parsed, continued: result.continued, unparsed: result.unparsed,
            tsMin: result.tsMin, tsMax: result.tsMax, datasets: { ...result.datasets }, errors: [...result.warnings],
            duplicates: result.duplicates,
            status: 'done',
          });
          outcomes.push({ path: source.path, status: 'done', format: result.format, lines: result.lines, errors: result.warnings });
        }
      } catch (error) {
        if (error instanceof IngestCancelled || token.cancelled) {
          await writing.catch(() => undefined);
          await deleteEvidenceFile(db, caseId, fileId);
          outcomes.push({ path: source.path, status: 'cancelled', format: '', lines: 0, errors: [] });
          break;
        }
        // Keep what was read before the failure: it is valid evidence up to that point.
        await flushAll().catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        await updateEvidence(db, fileId, { status: 'failed', errors: [message] });
        outcomes.push({ path: source.path, status: 'failed', format: '', lines: 0, errors: [message] });
      }
      filesDone++;
    }
    report(true);
    return { cancelled: token.cancelled, files: outcomes, events, elapsedMs: this.now() - started, bundles };
  }

  /** What each bundle root is, from its small fact files (hostname, date, version.txt, zone). */
  private async recognize(sources: readonly IngestSource[]): Promise<BundleFacts[]> {
    const texts = new Map<string, string>();
    for (const source of sources) {
      if (!isBundleFactFile(splitBundlePath(source.path).inner)) continue;
      try {
        texts.set(source.path, await readSmallText(source));
      } catch {
        // An unreadable fact file is reported when it is ingested as evidence.
      }
    }
    return recognizeBundles(sources.map((s) => s.path), texts);
  }
}

