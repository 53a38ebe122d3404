/**
 * `npm run bench`: prints medians (and min–max) of
 *  1. the store, in headless Chromium, from a dedicated worker: writing 1,000,000 events in blocks,
 *     a time-range query, group-bys, ordering the timeline;
 *  2. the ingest core in Node (`loupe analyze`) on a generated UFW syslog file, beside lnav
 *     indexing the same file in the same run.
 * Figures, not tests: nothing here passes or fails on time.
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWebServer } from '../src/node/web-server';
import { lcg } from './store/generate';
import type { StoreRun } from './store/store.worker';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 100_000 : 1_000_000;
const RUNS = 3;
const INGEST_LINES = quick ? 50_000 : 550_000;
const root = process.cwd();
const pageDir = resolve(process.argv[2] ?? 'dist/bench');

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: readonly number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

async function storeBench(): Promise<StoreRun[]> {
  const server = await startWebServer({ rendererDir: pageDir });
  const profile = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--max-old-space-size=8192'],
  });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}index.html?events=${EVENTS}&runs=${RUNS}`);
    const handle = await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, undefined, { timeout: 20 * 60_000, polling: 500 });
    const outcome = (await handle.jsonValue()) as { results?: StoreRun[]; error?: string };
    if (outcome.error !== undefined) throw new Error(outcome.error);
    return outcome.results ?? [];
  } finally {
    await context.close();
    await server.close();
  }
}

/** A syslog file of UFW kernel lines like kern.log, from a seeded generator. */
function writeUfwLog(path: string, lines: number): Promise<void> {
  const random = lcg(7);
  const out = createWriteStream(path);
  let i = 0;
  return new Promise((done) => {
    const write = () => {
      let ok = true;
      while (i < lines && ok) {
        const s = Math.floor(i / 10);
        const stamp = `Mar 12 ${String(Math.floor(s / 3600) % 24).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
        const src = `203.0.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
        ok = out.write(`${stamp} maas-region-01 kernel: [ ${(i / 10).toFixed(6)}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:7c:d8:0f:fe:54:00:7c:d8:0f:08:00 SRC=${src} DST=10.20.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=240 ID=${i & 65535} PROTO=TCP SPT=${1024 + Math.floor(random() * 60000)} DPT=${1 + Math.floor(random() * 65535)} WINDOW=1024 RES=0x00 SYN URGP=0 \n`);
        i++;
      }
      if (i < lines) out.once('drain', write);
      else out.end(done);
    };
    write();
  });
}

function timed(command: string, args: readonly string[]): { ms: number; stdout: string } {
  const t = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

async function ingestBench() {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ingest-'));
  const file = join(dir, 'kern.log');
  await writeUfwLog(file, INGEST_LINES);
  const megabytes = statSync(file).size / 1e6;
  const loupe: number[] = [];
  const lnav: number[] = [];
  let loupeEvents = 0;
  let lnavCount = 0;
  for (let r = 0; r < RUNS; r++) {
    const ours = timed(process.execPath, [resolve(root, 'bin/loupe.mjs'), 'analyze', file, '--json']);
    loupe.push(ours.ms);
    loupeEvents = (JSON.parse(ours.stdout) as { events: number }).events;
    const peer = timed('lnav', ['-n', '-c', ';SELECT count(*) FROM syslog_log', file]);
    lnav.push(peer.ms);
    lnavCount = Number(/\d+/.exec(peer.stdout.split('\n').slice(1).join(' '))?.[0] ?? NaN);
  }
  return { megabytes, loupe, lnav, loupeEvents, lnavCount };
}

const store = await storeBench();
const rate = (run: StoreRun, ms: number) => (run.events / ms) * 1000;
console.log(`\nStore (Chromium ${quick ? 'quick: ' : ''}worker, Dexie, blocks of 4,096 events), ${EVENTS.toLocaleString('en-US')} events, ${RUNS} runs: median (min–max)`);
console.log(`  write, insert only        ${spread(store.map((r) => rate(r, r.insertMs)))} events/s   ${spread(store.map((r) => r.rawMegabytes / (r.insertMs / 1000)))} MB/s of raw lines`);
console.log(`  write, build + insert     ${spread(store.map((r) => rate(r, r.buildMs + r.insertMs)))} events/s`);
console.log(`  time-range query (1%)     ${spread(store.map((r) => r.rangeMs))} ms for ${store[0]?.rangeEvents.toLocaleString('en-US')} events decoded`);
console.log(`  group-by source.ip        ${spread(store.map((r) => r.groupByIpMs))} ms (${store[0]?.groupByIpGroups} groups; ${store[0]?.groupByIpTotal.toLocaleString("en-US")} events carry a source.ip)`);
console.log(`  read whole blocks (no work) ${spread(store.map((r) => r.readAllMs))} ms`);
console.log(`  group-by host.name        ${spread(store.map((r) => r.groupByHostMs))} ms`);
console.log(`  timeline order (open)     ${spread(store.map((r) => r.timelineOpenMs))} ms`);
console.log(`  timeline rows (200)       ${spread(store.map((r) => r.timelineRowsMs), 1)} ms`);

const ingest = await ingestBench();
console.log(`\nIngest core in Node (loupe analyze --json) vs lnav, ${ingest.megabytes.toFixed(0)} MB UFW kern.log, ${RUNS} runs: median (min–max)`);
console.log(`  loupe analyze   ${spread(ingest.loupe)} ms   ${(ingest.megabytes / (median(ingest.loupe) / 1000)).toFixed(1)} MB/s   ${((ingest.loupeEvents / median(ingest.loupe)) * 1000).toFixed(0)} events/s   (${ingest.loupeEvents} events)`);
console.log(`  lnav            ${spread(ingest.lnav)} ms   ${(ingest.megabytes / (median(ingest.lnav) / 1000)).toFixed(1)} MB/s   (${ingest.lnavCount} rows)`);
console.log(`  ratio loupe/lnav throughput: ${(median(ingest.lnav) / median(ingest.loupe)).toFixed(2)}x`);

mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, `bench/results/${quick ? 'quick' : 'latest'}.json`), `${JSON.stringify({ date: new Date().toISOString(), events: EVENTS, store, ingest }, null, 2)}\n`);
