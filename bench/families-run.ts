/**
 * One timed Loupe pass over one generated file, in a process of its own (scripts/bench-families.mjs
 * spawns it once per run, so runs share no heap or JIT state):
 *   node families-run.mjs <parse|encode|lnav-index> <file> <path-in-bundle>
 * `parse` is the core's FileIngestor (split lines, sniff, parse, event objects); `encode` is
 * ingestEvidence (the same, plus the duplicate index and block encoding; blocks dropped, no store);
 * `lnav-index` is what lnav's line index does to a syslog file, run in V8: the same splitter, then
 * lnav's own pattern and level patterns on each line, no fields (a yardstick, not a parser).
 * Single thread. Prints one JSON line: ms from opening the file to the last event, and the counts.
 */
import { createReadStream } from 'node:fs';
import { HashedDuplicateIndex } from '../src/core/ingest/duplicates';
import { ingestEvidence } from '../src/core/ingest/evidence-ingest';
import { FileIngestor, type FileIngestReport } from '../src/core/ingest/file-ingestor';
import { LineSplitter } from '../src/core/text/line-splitter';

/** The year the generated files are written in (bench/generate.ts BENCH_START), plus a day. */
const REFERENCE_TIME = Date.UTC(2026, 2, 13);

async function* chunks(file: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
}

/**
 * lnav's syslog_log `std` pattern and its level patterns (lnav src/formats/syslog_log.json; PCRE's
 * `(?i)` spelled out as classes): what lnav matches on every line of a syslog file as it indexes it.
 */
const LNAV_SYSLOG = /^(?<timestamp>(?:\S{3,8}\s+\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z))(?: (?<log_hostname>[a-zA-Z0-9:][^ ]+[a-zA-Z0-9]))?(?:(?: (?<log_procname>(?:[^[:]+|[^:]+))(?:\[(?<log_pid>\d+)\])?:(?<body>(?:.|\n)*))$|:?(?:(?: ---)? last message repeated \d+ times?(?: ---)?))/;
const LNAV_ERROR = /(?:(?<![a-zA-Z])[Ee][Rr][Rr][Oo][Rr][Ss]?(?![a-zA-Z])|failed|failure)/;
const LNAV_WARNING = /(?:[Ww][Aa][Rr][Nn]|not responding|init: cannot execute)/;

/** Lines matched, and how many of them have a level of error or warning. */
function lnavIndexWork(file: string): Promise<{ lines: number; matched: number; levelled: number; bytes: number }> {
  let matched = 0;
  let levelled = 0;
  const splitter = new LineSplitter((line) => {
    const m = LNAV_SYSLOG.exec(line);
    if (m === null) return;
    matched++;
    const body = m.groups?.['body'];
    if (body !== undefined && (LNAV_ERROR.test(body) || LNAV_WARNING.test(body))) levelled++;
  });
  return (async () => {
    for await (const chunk of chunks(file)) splitter.push(chunk);
    const stats = splitter.end();
    return { lines: stats.lines, matched, levelled, bytes: stats.bytes };
  })();
}

async function run(mode: string, file: string, path: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let report: FileIngestReport;
  let events = 0;
  if (mode === 'lnav-index') {
    const work = await lnavIndexWork(file);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, ...work })}\n`);
    return;
  }
  if (mode === 'parse') {
    const ingestor = new FileIngestor({ path, referenceTime: REFERENCE_TIME }, () => { events++; });
    for await (const chunk of chunks(file)) ingestor.push(chunk);
    report = ingestor.end();
  } else {
    let blockId = 0;
    report = await ingestEvidence(chunks(file), { path, referenceTime: REFERENCE_TIME, fileId: 1, duplicates: new HashedDuplicateIndex() }, {
      nextBlockId: () => blockId++,
      writeBlock: (block) => { events += block.count; },
    });
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({
    ms, cpuMs: (used.user + used.system) / 1000, events, format: report.format, bytes: report.bytes, lines: report.lines,
    parsed: report.parsed, continued: report.continued, unparsed: report.unparsed, datasets: report.datasets,
  })}\n`);
}

const [mode = 'parse', file = '', path = ''] = process.argv.slice(2);
await run(mode, file, path);
