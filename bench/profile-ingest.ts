/**
 * Where the core ingest path spends its time, in Node (no browser): the generated syslog of
 * bench/generate.ts in memory, cut into 64 KiB chunks as a stream delivers them, then
 *   split    LineSplitter alone (UTF-8 decode + newline search),
 *   parse    FileIngestor (split + sniff + parse + event objects), events dropped,
 *   encode   ingestEvidence (parse + duplicate index + block encoding), blocks dropped.
 * Each stage is timed on its own, median of --runs (3), in wall time and in this process's CPU
 * time (steadier on a shared machine: time spent waiting for a core is left out). Run it with
 *   node scripts/profile-ingest.mjs [--mb=50] [--runs=3] [--cpu-prof]
 * (--cpu-prof writes a V8 profile of the encode stage to /tmp for chrome://inspect or speedscope).
 */
import { HashedDuplicateIndex } from '../src/core/ingest/duplicates';
import { ingestEvidence } from '../src/core/ingest/evidence-ingest';
import { FileIngestor } from '../src/core/ingest/file-ingestor';
import { LineSplitter } from '../src/core/text/line-splitter';
import { FAMILY_PATHS, generateFamilyText, type Family } from './families';
import { generateSyslogText, type SyslogTextStats } from './generate';

export interface ProfileOptions {
  readonly megabytes: number;
  readonly runs: number;
  /** Only this stage (split, parse, encode). */
  readonly stage?: string;
  /** A family file of bench/families.ts instead of the store bench's syslog. */
  readonly family?: Family;
}

const CHUNK_BYTES = 64 * 1024;

function chunksOf(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) out.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES)));
  return out;
}

async function* stream(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
}

export async function profileIngest(options: ProfileOptions, log: (line: string) => void): Promise<void> {
  const written: SyslogTextStats = { bytes: 0, lines: 0, ufwLines: 0 };
  const family = options.family;
  const text = family === undefined
    ? [...generateSyslogText(7, options.megabytes * 1e6, written)].join('')
    : [...generateFamilyText(family, 11, options.megabytes * 1e6, { bytes: 0, lines: 0, events: 0 })].join('');
  if (family !== undefined) {
    written.bytes = text.length;
    written.lines = text.split('\n').length - 1;
  }
  const path = family === undefined ? 'var/log/syslog' : FAMILY_PATHS[family];
  const chunks = chunksOf(new TextEncoder().encode(text));
  log(`${(written.bytes / 1e6).toFixed(1)} MB ${path}, ${written.lines} lines, ${chunks.length} chunks of 64 KiB`);
  const referenceTime = Date.UTC(2026, 2, 13);
  const stages: Record<string, () => Promise<number>> = {
    split: () => {
      let lines = 0;
      const splitter = new LineSplitter(() => { lines++; });
      for (const chunk of chunks) splitter.push(chunk);
      splitter.end();
      return Promise.resolve(lines);
    },
    parse: () => {
      let events = 0;
      const ingestor = new FileIngestor({ path, referenceTime }, () => { events++; });
      for (const chunk of chunks) ingestor.push(chunk);
      ingestor.end();
      return Promise.resolve(events);
    },
    encode: async () => {
      let events = 0;
      let blockId = 0;
      await ingestEvidence(stream(chunks), { path, referenceTime, fileId: 1, duplicates: new HashedDuplicateIndex() }, {
        nextBlockId: () => blockId++,
        writeBlock: (block) => { events += block.count; },
      });
      return events;
    },
  };
  for (const [name, stage] of Object.entries(stages)) {
    if (options.stage !== undefined && options.stage !== name) continue;
    const times: number[] = [];
    const cpu: number[] = [];
    let count = 0;
    for (let run = 0; run < options.runs; run++) {
      const c = process.cpuUsage();
      const t = performance.now();
      count = await stage();
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    const ms = median(times);
    const cpuMs = median(cpu);
    const rate = (n: number, per: number): string => ((n / per) * 1000).toFixed(1).padStart(7);
    log(
      `${name.padEnd(7)} wall ${ms.toFixed(0).padStart(6)} ms ${rate(written.bytes / 1e6, ms)} MB/s | cpu ${cpuMs.toFixed(0).padStart(6)} ms ${rate(written.bytes / 1e6, cpuMs)} MB/s ` +
      `${rate(count, cpuMs)} lines/s  (${count} out; wall ${times.map((x) => x.toFixed(0)).join(', ')} ms)`,
    );
  }
}
