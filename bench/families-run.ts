/**
 * One timed Loupe pass over one generated file, in a process of its own (scripts/bench-families.mjs
 * spawns it once per run, so runs share no heap or JIT state):
 *   node families-run.mjs <parse|encode> <file> <path-in-bundle>
 * `parse` is the core's FileIngestor (split lines, sniff, parse, event objects); `encode` is
 * ingestEvidence (the same, plus the duplicate index and block encoding; blocks dropped, no store).
 * Single thread. Prints one JSON line: ms from opening the file to the last event, and the counts.
 */
import { createReadStream } from 'node:fs';
import { HashedDuplicateIndex } from '../src/core/ingest/duplicates';
import { ingestEvidence } from '../src/core/ingest/evidence-ingest';
import { FileIngestor, type FileIngestReport } from '../src/core/ingest/file-ingestor';

/** The year the generated files are written in (bench/generate.ts BENCH_START), plus a day. */
const REFERENCE_TIME = Date.UTC(2026, 2, 13);

async function* chunks(file: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
}

async function run(mode: string, file: string, path: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let report: FileIngestReport;
  let events = 0;
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
