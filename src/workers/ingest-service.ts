import { openEvidenceStream, walkArchive, errorMessage, type ArchiveSource, type ByteStream, type Decompressors, type WalkOptions } from '../core/archive';
import { evidenceRole, splitBundlePath } from '../core/bundle/layout';
import { orderRotated, type BundleFacts } from '../core/bundle/recognize';
import { BundleTracker } from '../core/bundle/tracker';
import { HashedDuplicateIndex } from '../core/ingest/duplicates';
import { ingestEvidence, IngestCancelled, type CancelToken } from '../core/ingest/evidence-ingest';
import type { EventBlock } from '../core/model/block';
import { rezone } from '../core/time/rezone';
import { isValidTimeZone } from '../core/time/zone';
import {
  type DuplicateRecord, type EvidenceRecord, type LoupeDB,
  addDuplicates, addEvidence, deleteEvidenceFile, forgetBundles, listEvidence, maxBlockId, recordBundles, retimeFile, updateEvidence, writeBlocks,
} from '../store';
import { archiveSourceOf, sha256Hasher, workerDecompressors } from './archive-source';
import { readSmallText } from './byte-streams';
import type { HostZoneResult, IngestApi, IngestFileOutcome, IngestProgress, IngestResult, IngestSource } from './contract';

/** Blocks written per IndexedDB transaction: fewer, larger transactions write faster. */
const BLOCKS_PER_TRANSACTION = 8;
const PROGRESS_INTERVAL_MS = 100;
/** Names of archives: not bundle paths themselves (their members are), so not shown as loose files meanwhile. */
const ARCHIVE_NAME = /\.(tar|tgz|txz|tbz2?|zip|tar\.(gz|xz|bz2|zst))$/i;
/** Bytes of a bundle fact file (hostname, date, timezone) kept as text. */
const FACT_TEXT_BYTES = 4096;

function sourceBytes(source: IngestSource): number {
  return source.kind === 'file' ? source.file.size : source.bytes;
}

/** One file to ingest: a dropped file, or a member of a dropped archive. */
interface EvidenceFile {
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
  readonly archive: readonly string[];
  /** Its bytes as stored (gzip stays gzip). */
  readonly body: ByteStream;
}

/** What one file was read with: re-timed at the end if its bundle's zone turns out otherwise. */
interface ReadWith {
  readonly fileId: number;
  readonly path: string;
  readonly host: string | undefined;
  readonly timeZone: string | undefined;
}

/** Counts the raw bytes an archive source hands out (progress). */
function counting(source: ArchiveSource, onBytes: (n: number) => void): ArchiveSource {
  return {
    size: source.size,
    ...(source.mtime !== undefined ? { mtime: source.mtime } : {}),
    read: async (offset, length) => {
      const bytes = await source.read(offset, length);
      onBytes(bytes.length);
      return bytes;
    },
    stream: () => ({
      async *[Symbol.asyncIterator]() {
        for await (const chunk of source.stream()) {
          onBytes(chunk.length);
          yield chunk;
        }
      },
    }),
  };
}

async function sha256Of(stream: ByteStream): Promise<string> {
  const hasher = await sha256Hasher();
  for await (const chunk of stream) await hasher.update(chunk);
  return hasher.digest();
}

/** The zone a host's files are read in: the analyst's override, else the one its bundle names. */
function zoneFor(facts: BundleFacts | undefined, overrides: Readonly<Record<string, string>>): string | undefined {
  const host = facts?.host;
  return (host !== undefined ? overrides[host] : undefined) ?? facts?.timeZone;
}

export interface IngestServiceOptions {
  /** Archive limits (depth, entries, sizes, bomb ratio); the walker's defaults otherwise. */
  readonly walkLimits?: WalkOptions;
  /** Decoders; the browser's own plus wasm xz by default (tests in Node pass theirs). */
  readonly decompressors?: Decompressors;
}

/**
 * Reads evidence into the case. Every dropped item goes through the archive walker: a tar (plain,
 * gzip, xz), a zip or a nested archive gives its members one at a time, anything else is itself
 * the one file. Each file is streamed, hashed, decompressed, parsed by the core and written as
 * blocks, so memory does not grow with the archive. One bad file or member gets its errors
 * recorded and the others go on; a cancel removes the file being read, so the store never holds
 * half a file.
 */
export class IngestService implements IngestApi {
  private cancelToken: { cancelled: boolean } = { cancelled: false };

  constructor(
    private readonly db: () => LoupeDB,
    private readonly now: () => number = () => performance.now(),
    private readonly options: IngestServiceOptions = {},
  ) {}

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
    const overrides = (await db.cases.get(caseId))?.zoneOverrides ?? {};
    let nextBlockId = (await maxBlockId(db, caseId)) + 1;
    const bytesTotal = sources.reduce((n, s) => n + sourceBytes(s), 0);
    let bytesDone = 0;
    let events = 0;
    let filesDone = 0;
    let filesTotal = sources.length;
    let currentPath = '';
    let lastProgress = -Infinity;
    const report = (force = false): void => {
      const t = this.now();
      if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = t;
      const elapsedMs = t - started;
      onProgress({ filesTotal, filesDone, bytesTotal, bytesDone, events, eventsPerSecond: elapsedMs > 0 ? (events * 1000) / elapsedMs : 0, elapsedMs, currentPath });
    };

    // Dropped files and folders show every path now, and their fact files can be read ahead;
    // archive members join the tracker as they stream past.
    const tracker = new BundleTracker();
    for (const source of sources) if (!ARCHIVE_NAME.test(source.path)) tracker.addPath(source.path);
    for (const source of sources) {
      if (!tracker.wantsText(source.path)) continue;
      try {
        tracker.addText(source.path, await readSmallText(source));
      } catch {
        // An unreadable fact file is reported when it is ingested as evidence.
      }
    }
    const early = tracker.settled();
    await recordBundles(db, caseId, early);
    const decompressors = this.options.decompressors ?? workerDecompressors();
    const duplicates = new HashedDuplicateIndex();
    const outcomes: IngestFileOutcome[] = [];
    const readWith: ReadWith[] = [];

    const ingestFile = async (file: EvidenceFile): Promise<'done' | 'cancelled'> => {
      currentPath = file.path;
      report();
      tracker.addPath(file.path);
      const facts = tracker.factsFor(file.path);
      const host = facts.host;
      const timeZone = zoneFor(facts, overrides);
      const role = evidenceRole(file.path);
      const fileId = await addEvidence(db, {
        caseId, path: file.path, bytes: file.size, sha256: '', format: role === 'metadata' ? 'metadata' : 'unknown',
        host: host ?? '', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: NaN, tsMax: NaN, datasets: {}, errors: [],
        status: 'ingesting', addedAt: Date.now(),
        ...(file.archive.length > 0 ? { archive: [...file.archive] } : {}),
        ...(timeZone !== undefined ? { timeZone } : {}),
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
      const stream = await openEvidenceStream(file.body, file.size, decompressors, await sha256Hasher(), { raw: role === 'metadata' });
      try {
        if (role === 'metadata') {
          const keep = tracker.wantsText(file.path);
          const decoder = new TextDecoder();
          let text = '';
          for await (const chunk of stream.chunks) {
            if (keep && text.length < FACT_TEXT_BYTES) text += decoder.decode(chunk.subarray(0, FACT_TEXT_BYTES), { stream: true });
          }
          if (keep) tracker.addText(file.path, text.slice(0, FACT_TEXT_BYTES));
          const end = await stream.finish();
          await updateEvidence(db, fileId, { sha256: end.sha256 ?? '', status: end.error === undefined ? 'done' : 'failed', errors: end.error === undefined ? [] : [end.error] });
          outcomes.push({ path: file.path, status: end.error === undefined ? 'done' : 'failed', format: 'metadata', lines: 0, errors: end.error === undefined ? [] : [end.error] });
          return 'done';
        }
        const referenceTime = facts.collectedAt ?? (Number.isFinite(file.mtime) ? file.mtime : Date.now());
        const result = await ingestEvidence(stream.chunks, {
          path: file.path, referenceTime, fileId, duplicates,
          ...(host !== undefined ? { host } : {}),
          ...(timeZone !== undefined ? { timeZone } : {}),
        }, {
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
        const end = await stream.finish();
        const errors = [...result.warnings, ...(end.error !== undefined ? [end.error] : [])];
        await updateEvidence(db, fileId, {
          sha256: end.sha256 ?? '', format: result.format, host: host ?? result.hosts.join(', '),
          lines: result.lines, parsed: result.parsed, continued: result.continued, unparsed: result.unparsed,
          tsMin: result.tsMin, tsMax: result.tsMax, datasets: { ...result.datasets }, errors,
          duplicates: result.duplicates,
          status: end.error === undefined ? 'done' : 'failed',
        });
        readWith.push({ fileId, path: file.path, host, timeZone });
        outcomes.push({ path: file.path, status: end.error === undefined ? 'done' : 'failed', format: result.format, lines: result.lines, errors });
        return 'done';
      } catch (error) {
        if (error instanceof IngestCancelled || token.cancelled) {
          await writing.catch(() => undefined);
          await deleteEvidenceFile(db, caseId, fileId);
          outcomes.push({ path: file.path, status: 'cancelled', format: '', lines: 0, errors: [] });
          return 'cancelled';
        }
        // Keep what was read before the failure: it is valid evidence up to that point.
        await flushAll().catch(() => undefined);
        const end = await stream.finish();
        const message = errorMessage(error);
        await updateEvidence(db, fileId, { status: 'failed', errors: [message], ...(end.sha256 !== null ? { sha256: end.sha256 } : {}) });
        readWith.push({ fileId, path: file.path, host, timeZone });
        outcomes.push({ path: file.path, status: 'failed', format: '', lines: 0, errors: [message] });
        return 'done';
      } finally {
        filesDone++;
      }
    };

    /** A member the walker would not or could not read: its own evidence record, with the reason. */
    const refused = async (path: string, archive: readonly string[], problem: string): Promise<void> => {
      tracker.addPath(path);
      const host = tracker.factsFor(path).host;
      await addEvidence(db, {
        caseId, path, bytes: 0, sha256: '', format: 'unknown', host: host ?? '', lines: 0, parsed: 0, continued: 0, unparsed: 0,
        tsMin: NaN, tsMax: NaN, datasets: {}, errors: [problem], status: 'failed', addedAt: Date.now(),
        ...(archive.length > 0 ? { archive: [...archive] } : {}),
      });
      outcomes.push({ path, status: 'failed', format: '', lines: 0, errors: [problem] });
    };

    walk: for (const source of sources) {
      if (token.cancelled) break;
      currentPath = source.path;
      report(true);
      const archiveSource = counting(archiveSourceOf(source), (n) => { bytesDone += n; });
      // The dropped archive itself is evidence too (its own SHA-256), listed before its members.
      let archiveId: number | undefined;
      const archiveProblems: string[] = [];
      const asArchive = async (): Promise<void> => {
        if (archiveId === undefined) tracker.removePath(source.path);
        archiveId ??= await addEvidence(db, {
          caseId, path: source.path, bytes: sourceBytes(source), sha256: '', format: 'archive', host: '', lines: 0, parsed: 0,
          continued: 0, unparsed: 0, tsMin: NaN, tsMax: NaN, datasets: {}, errors: [], status: 'ingesting', addedAt: Date.now(),
        });
      };
      let members = 0;
      for await (const entry of walkArchive(archiveSource, source.path, decompressors, this.options.walkLimits ?? {})) {
        if (entry.kind === 'problem') {
          if (entry.archive.length === 0 && members === 0 && archiveId === undefined && entry.path === source.path) {
            // The dropped file itself could not be read (a truncated .xz, a bzip2 file).
            await refused(source.path, [], entry.problem);
            filesDone++;
          } else if (entry.archive.length === 0) {
            await asArchive();
            archiveProblems.push(entry.problem);
          } else {
            await asArchive();
            filesTotal++;
            await refused(entry.path, entry.archive, entry.problem);
            filesDone++;
          }
          continue;
        }
        if (entry.archive.length > 0) {
          await asArchive();
          members++;
          filesTotal++;
        }
        const done = await ingestFile({ path: entry.path, size: entry.size, mtime: entry.mtime, archive: entry.archive, body: entry.body });
        if (done === 'cancelled' || token.cancelled) {
          if (archiveId !== undefined) await updateEvidence(db, archiveId, { status: 'cancelled' });
          break walk;
        }
      }
      if (archiveId !== undefined) {
        let sha256 = '';
        try {
          // After the walk, not beside it: the hash worker shares the other core with xz decoding,
          // and a second reader of the archive slowed the ingest (6.4 -> 6.75 s on 200 MB).
          sha256 = await sha256Of(archiveSourceOf(source).stream());
        } catch (error) {
          archiveProblems.push(`could not hash the archive: ${errorMessage(error)}`);
        }
        await updateEvidence(db, archiveId, { sha256, errors: archiveProblems, status: archiveProblems.length > 0 ? 'failed' : 'done' });
        outcomes.push({ path: source.path, status: archiveProblems.length > 0 ? 'failed' : 'done', format: 'archive', lines: 0, errors: archiveProblems });
        filesDone++;
      }
    }

    // Facts seen after a file was read (a zone file late in a tar) re-time that file now.
    const bundles = tracker.settled();
    await forgetBundles(db, caseId, early.map((b) => b.root).filter((root) => !bundles.some((b) => b.root === root)));
    await recordBundles(db, caseId, bundles);
    if (!token.cancelled) {
      const byRoot = new Map(bundles.map((b) => [b.root, b]));
      for (const read of readWith) {
        const facts = byRoot.get(splitBundlePath(read.path).root);
        const zone = zoneFor(facts, overrides);
        if (zone === read.timeZone || (zone !== undefined && !isValidTimeZone(zone))) continue;
        await retimeFile(db, caseId, read.fileId, (utc) => rezone(utc, read.timeZone, zone));
        await updateEvidence(db, read.fileId, zone === undefined ? {} : { timeZone: zone });
      }
    }
    report(true);
    return { cancelled: token.cancelled, files: outcomes, events, elapsedMs: this.now() - started, bundles };
  }

  async setHostZone(caseId: string, host: string, zone: string | undefined): Promise<HostZoneResult> {
    if (zone !== undefined && !isValidTimeZone(zone)) throw new Error(`unknown time zone '${zone}' (use an IANA name such as UTC or Europe/Berlin)`);
    const db = this.db();
    const record = await db.cases.get(caseId);
    if (record === undefined) throw new Error('no such case');
    const overrides = { ...(record.zoneOverrides ?? {}) };
    if (zone === undefined) delete overrides[host];
    else overrides[host] = zone;
    await db.cases.update(caseId, { zoneOverrides: overrides });
    const byRoot = new Map((record.bundles ?? []).map((b) => [b.root, b]));
    const files = (await listEvidence(db, caseId)).filter((e): e is EvidenceRecord & { id: number } => e.id !== undefined && e.host === host && e.format !== 'metadata' && e.format !== 'archive');
    let retimed = 0;
    let moved = 0;
    for (const file of files) {
      const target = zone ?? byRoot.get(splitBundlePath(file.path).root)?.timeZone;
      if (target === file.timeZone) continue;
      const result = await retimeFile(db, caseId, file.id, (utc) => rezone(utc, file.timeZone, target));
      await db.evidence.update(file.id, target === undefined ? { timeZone: undefined } : { timeZone: target });
      retimed++;
      moved += result.moved;
    }
    return { host, zone: zone ?? null, files: retimed, events: moved };
  }
}
