import { errorMessage, openEvidenceStream, type WalkFile } from '../core/archive/index';
import { BundleTracker } from '../core/bundle/tracker';
import {
  evidenceRole, HashedDuplicateIndex, ingestEvidence, isBundleFactFile, splitBundlePath,
  type BlockSink, type BundleFacts, type EventBlock, type EventSink, type EvidenceIngestOptions, type FileIngestReport,
} from '../core/index';
import { StreamDetection } from '../core/detect/stream';
import { cliDecompressors, needsWalk, nodeHasher, walkFile } from './archive-members';
import {
  describeError, readEvidence,
  type EvidenceEntry, type EvidenceFile, type EvidenceReadResult,
} from '../node/evidence/index';
import { BlockCollector, findingSummary, type FindingSummary, type RulePack } from './findings';
import type { NdjsonWriter } from './ndjson';
import type { Finding } from '../core/model/finding';
import { OutputError } from './ndjson';

/**
 * `loupe analyze`: reads every evidence file in bundle-path order, one at a time, and sums up
 * the per-file reports. Events go to the NDJSON writer as blocks are made, and are not kept:
 * the counts come from the reports, so memory stays flat however large the evidence.
 */

/** One evidence entry of the `--json` document (DESIGN.md, "The command line"). */
export interface EvidenceSummary {
  path: string;
  /** Null when the file could not be read at all. */
  sha256: string | null;
  /** Bytes on disk (compressed size for .gz), the bytes `sha256` covers. */
  bytes: number;
  /** Log format id, 'metadata' for bundle metadata, 'none' when nothing was parsed. */
  format: string;
  host: string | null;
  lines: number;
  parsed: number;
  continued: number;
  unparsed: number;
  errors: string[];
}

export interface AnalysisDocument {
  evidence: EvidenceSummary[];
  hosts: string[];
  events: number;
  datasets: Record<string, number>;
  /** With --findings: every finding, most severe first; otherwise empty. */
  findings: FindingSummary[];
}

export interface Analysis {
  readonly document: AnalysisDocument;
  /** Files read at least in part; 0 means nothing could be read (exit 1). */
  readonly readable: number;
  readonly tsMin: number;
  readonly tsMax: number;
  /** Raw bytes read from disk. */
  readonly bytesRead: number;
  /** Whether detection ran (--findings). */
  readonly detected: boolean;
  /** What each bundle root is (host, collection date, sos version). */
  readonly bundles: readonly BundleFacts[];
  /** The findings of detection (most severe first), as the core gives them; empty without it. */
  readonly findings: readonly Finding[];
  /** Path inside the bundle of each file id its events carry (loose files and archive members). */
  readonly filePaths: ReadonlyMap<number, string>;
}

export interface AnalyzeProgress {
  file(index: number, total: number, path: string): void;
  bytes(decoded: number): void;
}

export interface AnalyzeOptions {
  readonly ndjson?: NdjsonWriter;
  readonly progress?: AnalyzeProgress;
  /**
   * Run these rules over the events (--findings). Blocks are then kept in memory until the end,
   * and a kernel line found in both kern.log and syslog is stored once, as the app does.
   */
  readonly detect?: RulePack;
  /** Sees every block as it is made (the report keeps them; see report.ts). */
  readonly onBlock?: (block: EventBlock) => void;
  /** IANA zone for zone-less stamps of every host, over the zone its bundle names (--tz). */
  readonly tz?: string;
}

/** Format of an entry that was not parsed. */
const NO_FORMAT = 'none';
const HOSTNAME_READ_BYTES = 4096;

export async function analyze(entries: readonly EvidenceEntry[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const archives = new Set<string>();
  for (const entry of entries) if (entry.kind === 'file' && (await needsWalk(entry.path))) archives.add(entry.path);
  const tracker = await recognize(entries.filter((e) => !archives.has(e.path)));

  const evidence: EvidenceSummary[] = [];
  const hosts = new Set<string>();
  const datasets: Record<string, number> = {};
  let events = 0;
  let readable = 0;
  let bytesRead = 0;
  let tsMin = Infinity;
  let tsMax = -Infinity;
  let nextBlockId = 0;
  // One log and nothing else wants its blocks (no --ndjson, no --pdf): detection runs on the
  // events as they are parsed, and no block is kept (see StreamDetection).
  const logs = entries.filter((e) => e.kind === 'file' && !archives.has(e.path) && evidenceRole(e.bundlePath) !== 'metadata');
  const streaming = options.detect !== undefined && options.ndjson === undefined && options.onBlock === undefined && archives.size === 0 && logs.length === 1
    ? { detection: new StreamDetection(options.detect.ruleSet), firstBlockId: 0, redo: undefined as (() => Promise<BlockCollector>) | undefined }
    : undefined;
  const collector = options.detect !== undefined && streaming === undefined ? new BlockCollector() : undefined;
  const duplicates = options.detect !== undefined ? new HashedDuplicateIndex() : undefined;
  let nextFileId = entries.length + 1;
  const filePaths = new Map<number, string>();
  const zoneOf = (facts: BundleFacts | undefined): string | undefined => options.tz ?? facts?.timeZone;

  /** Where the blocks of the file at `path` (in the bundle) go: counted, kept for detection, listeners, NDJSON. */
  function blockSink(path: string): BlockSink {
    return {
      nextBlockId: () => nextBlockId++,
      writeBlock: async (block: EventBlock) => {
        events += block.count;
        collector?.add(block);
        options.onBlock?.(block);
        await options.ndjson?.writeBlock(block, path);
      },
    };
  }

  function addReport(path: string, sha256: string | null, bytes: number, nothingRead: boolean, bundle: string | undefined, report: FileIngestReport, errors: string[]): void {
    errors.push(...report.warnings);
    for (const host of report.hosts) hosts.add(host);
    if (bundle !== undefined) hosts.add(bundle);
    for (const [dataset, count] of Object.entries(report.datasets)) datasets[dataset] = (datasets[dataset] ?? 0) + count;
    // Files with no parsed line only carry borrowed times (their mtime): they would stretch the range.
    if (report.parsed > 0) {
      tsMin = Math.min(tsMin, report.tsMin);
      tsMax = Math.max(tsMax, report.tsMax);
    }
    evidence.push({
      path,
      sha256,
      bytes,
      format: nothingRead ? NO_FORMAT : report.format,
      // The bundle's host if it names one, else the one host its lines name.
      host: bundle ?? (report.hosts.length === 1 ? report.hosts[0]! : null),
      lines: report.lines,
      parsed: report.parsed,
      continued: report.continued,
      unparsed: report.unparsed,
      errors,
    });
  }

  /** One member of an archive: hashed as stored, decoded, parsed, through the same core as the worker. */
  async function analyzeMember(member: WalkFile): Promise<void> {
    tracker.addPath(member.path);
    const role = evidenceRole(member.path);
    const stream = await openEvidenceStream(member.body, member.size, cliDecompressors(), nodeHasher(), { raw: role === 'metadata' });
    const facts = tracker.factsFor(member.path);
    const bundle = facts.host;
    if (role === 'metadata') {
      const keep = tracker.wantsText(member.path);
      const decoder = new TextDecoder();
      let text = '';
      let error: string | undefined;
      try {
        for await (const chunk of stream.chunks) if (keep && text.length < HOSTNAME_READ_BYTES) text += decoder.decode(chunk.subarray(0, HOSTNAME_READ_BYTES), { stream: true });
      } catch (e) {
        error = errorMessage(e);
      }
      if (keep) tracker.addText(member.path, text.slice(0, HOSTNAME_READ_BYTES));
      const end = await stream.finish();
      error ??= end.error;
      bytesRead += end.bytes;
      if (end.sha256 !== null) readable++;
      if (bundle !== undefined) hosts.add(bundle);
      evidence.push(emptySummary(member.path, end.sha256, end.bytes, 'metadata', bundle ?? null, error !== undefined ? [error] : []));
      return;
    }
    const fileId = nextFileId++;
    filePaths.set(fileId, member.path);
    let report: FileIngestReport | undefined;
    const errors: string[] = [];
    try {
      report = await ingestEvidence(counted(stream.chunks, options.progress), {
        fileId,
        path: member.path,
        referenceTime: facts.collectedAt ?? (Number.isFinite(member.mtime) ? member.mtime : Date.now()),
        ...(bundle !== undefined ? { host: bundle } : {}),
        ...(zoneOf(facts) !== undefined ? { timeZone: zoneOf(facts)! } : {}),
        ...(duplicates !== undefined ? { duplicates } : {}),
      }, blockSink(member.path));
    } catch (e) {
      if (e instanceof OutputError) throw e;
      errors.push(`ingest failed: ${describeError(e)}`);
    }
    const end = await stream.finish();
    bytesRead += end.bytes;
    if (end.error !== undefined && !errors.some((m) => m.includes(end.error!))) errors.push(end.error);
    const nothingRead = end.sha256 === null && (report?.lines ?? 0) === 0;
    if (!nothingRead) readable++;
    if (report === undefined) {
      evidence.push(emptySummary(member.path, end.sha256, end.bytes, NO_FORMAT, bundle ?? null, errors));
      return;
    }
    addReport(member.path, end.sha256, end.bytes, nothingRead, bundle, report, errors);
  }

  /** A dropped archive: itself as evidence (format 'archive', its SHA-256), then each member or refusal. */
  async function analyzeArchive(entry: EvidenceFile): Promise<void> {
    const problems: string[] = [];
    let members = 0;
    const at = evidence.length;
    try {
      for await (const item of await walkFile(entry.path, entry.bundlePath)) {
        if (item.kind === 'problem') {
          if (item.archive.length === 0) problems.push(item.problem);
          else evidence.push(emptySummary(item.path, null, 0, NO_FORMAT, tracker.factsFor(item.path).host ?? null, [item.problem]));
          continue;
        }
        members++;
        if (item.archive.length === 0) {
          // Not an archive after all (an .xz log): one file under its own name.
          await analyzeMember(item);
          return;
        }
        await analyzeMember(item);
      }
    } catch (e) {
      if (e instanceof OutputError) throw e;
      problems.push(describeError(e));
    }
    const read = await hashOnly(entry);
    bytesRead += read.bytes;
    if (read.error !== undefined) problems.push(read.error);
    if (members > 0) readable++;
    // Listed before its members.
    evidence.splice(at, 0, emptySummary(entry.bundlePath, read.sha256, read.bytes, 'archive', null, problems));
  }

  for (const [index, entry] of entries.entries()) {
    options.progress?.file(index, entries.length, entry.bundlePath);
    const facts = tracker.factsFor(entry.bundlePath);
    const bundle = facts?.host;
    if (entry.kind === 'skipped') {
      evidence.push(emptySummary(entry.bundlePath, null, 0, NO_FORMAT, bundle ?? null, [entry.error]));
      continue;
    }
    if (archives.has(entry.path)) {
      await analyzeArchive(entry);
      continue;
    }
    if (evidenceRole(entry.bundlePath) === 'metadata') {
      const read = await hashOnly(entry);
      bytesRead += read.bytes;
      if (read.sha256 !== null) readable++;
      if (bundle !== undefined) hosts.add(bundle);
      evidence.push(emptySummary(entry.bundlePath, read.sha256, read.bytes, 'metadata', bundle ?? null, read.error !== undefined ? [read.error] : []));
      continue;
    }

    const fileId = index + 1;
    filePaths.set(fileId, entry.bundlePath);
    const stream = readEvidence(entry.path);
    const sink: BlockSink | EventSink = streaming !== undefined
      ? { nextBlockId: () => nextBlockId++, event: (event, id) => { events++; streaming.detection.push(event, id, fileId); } }
      : blockSink(entry.bundlePath);
    const ingestOptions: EvidenceIngestOptions = {
      fileId,
      path: entry.bundlePath,
      // The bundle's collection date anchors year-less stamps better than a file's mtime.
      referenceTime: facts?.collectedAt ?? entry.mtimeMs,
      ...(bundle !== undefined ? { host: bundle } : {}),
      ...(duplicates !== undefined ? { duplicates } : {}),
      ...(zoneOf(facts) !== undefined ? { timeZone: zoneOf(facts)! } : {}),
    };
    if (streaming !== undefined) {
      streaming.firstBlockId = nextBlockId;
      streaming.redo = () => ingestAgain(entry.path, ingestOptions, streaming.firstBlockId);
    }
    let report: FileIngestReport | undefined;
    let ingestError: string | undefined;
    try {
      report = await ingestEvidence(counted(stream.chunks, options.progress), ingestOptions, sink);
    } catch (e) {
      // Output failures end the run; anything else is this file's problem only.
      if (e instanceof OutputError) throw e;
      ingestError = `ingest failed: ${describeError(e)}`;
    }
    const read = await stream.result;
    bytesRead += read.bytes;
    const errors = readErrors(read);
    if (ingestError !== undefined) errors.push(ingestError);
    const lines = report?.lines ?? 0;
    // A file counts as read unless it failed before giving a single line.
    const nothingRead = read.sha256 === null || (errors.length > 0 && lines === 0);
    if (!nothingRead) readable++;
    if (report === undefined) {
      evidence.push(emptySummary(entry.bundlePath, read.sha256, read.bytes, NO_FORMAT, bundle ?? null, errors));
      continue;
    }
    addReport(entry.bundlePath, read.sha256, read.bytes, nothingRead, bundle, report, errors);
  }

  let findings: Finding[] = [];
  if (options.detect !== undefined) {
    if (streaming === undefined) findings = collector!.detect(options.detect.ruleSet);
    else if (streaming.detection.inTimeOrder || streaming.redo === undefined) findings = streaming.detection.finish();
    // Lines out of time order: detection needs them sorted, from the blocks of a second read.
    else findings = (await streaming.redo()).detect(options.detect.ruleSet);
  }
  return {
    document: {
      evidence,
      hosts: [...hosts].sort(),
      events,
      datasets: sortDatasets(datasets),
      findings: findings.map(findingSummary),
    },
    findings,
    filePaths,
    readable,
    tsMin,
    tsMax,
    bytesRead,
    detected: options.detect !== undefined,
    bundles: tracker.settled(),
  };
}

function emptySummary(path: string, sha256: string | null, bytes: number, format: string, host: string | null, errors: string[]): EvidenceSummary {
  return { path, sha256, bytes, format, host, lines: 0, parsed: 0, continued: 0, unparsed: 0, errors };
}

function readErrors(read: EvidenceReadResult): string[] {
  const errors: string[] = [];
  // Archives with sound headers were opened by the walker: what is left here is damaged or unknown.
  if (read.unsupported !== undefined) {
    errors.push(['tar', 'tar.gz', 'zip', 'xz'].includes(read.unsupported) ? `${read.unsupported} archive with a damaged header: not read` : `archive format not supported: ${read.unsupported}`);
  }
  if (read.error !== undefined) errors.push(read.error);
  return errors;
}

/** Most events first, then by name: the order a reader scans a summary in. */
function sortDatasets(datasets: Record<string, number>): Record<string, number> {
  const sorted: Record<string, number> = {};
  for (const [name, count] of Object.entries(datasets).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) sorted[name] = count;
  return sorted;
}

/** The blocks of one log read again (ids from `firstBlockId`, as in the first read). */
async function ingestAgain(path: string, options: EvidenceIngestOptions, firstBlockId: number): Promise<BlockCollector> {
  const collector = new BlockCollector();
  let nextBlockId = firstBlockId;
  const stream = readEvidence(path);
  // A file that changed since the first read: its events come from this read (the hash from the first).
  await ingestEvidence(stream.chunks, { ...options, duplicates: new HashedDuplicateIndex() }, { nextBlockId: () => nextBlockId++, writeBlock: (block) => collector.add(block) });
  await stream.result;
  return collector;
}

async function hashOnly(entry: EvidenceFile): Promise<EvidenceReadResult> {
  const stream = readEvidence(entry.path, { raw: true });
  for await (const chunk of stream.chunks) void chunk;
  return stream.result;
}

async function* counted(chunks: AsyncIterable<Uint8Array>, progress: AnalyzeProgress | undefined): AsyncGenerator<Uint8Array> {
  if (progress === undefined) {
    yield* chunks;
    return;
  }
  let decoded = 0;
  for await (const chunk of chunks) {
    decoded += chunk.length;
    progress.bytes(decoded);
    yield chunk;
  }
}

/**
 * What each bundle root is (host, collection date, zone), from its small fact files: the same
 * recognition the ingest worker does, so the CLI and the app agree. Archive members join as they
 * are read.
 */
async function recognize(entries: readonly EvidenceEntry[]): Promise<BundleTracker> {
  const tracker = new BundleTracker();
  for (const entry of entries) tracker.addPath(entry.bundlePath);
  for (const entry of entries) {
    if (entry.kind !== 'file' || !isBundleFactFile(splitBundlePath(entry.bundlePath).inner)) continue;
    const text = await readHead(entry);
    if (text !== undefined) tracker.addText(entry.bundlePath, text);
  }
  return tracker;
}

async function readHead(entry: EvidenceFile): Promise<string | undefined> {
  const stream = readEvidence(entry.path);
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream.chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= HOSTNAME_READ_BYTES) break;
  }
  const read = await stream.result;
  if (read.error !== undefined || read.unsupported !== undefined) return undefined;
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, HOSTNAME_READ_BYTES));
}
