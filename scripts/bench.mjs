// `npm run bench` (or `npm run bench -- --quick`: 100,000 events and a 10 MB file; `--runs=N`;
// `--max-wait=S`: how long each run waits for other processes to go quiet, 30 s by default).
// Prints medians and min–max of N runs (3 by default) and writes bench/results/latest.json
// (quick.json with --quick). Figures, not tests: nothing here passes or fails on time; only
// counts that come out wrong (a broken benchmark) give a non-zero exit.
//
// In headless Chromium (Debian's, a fresh profile per run), from a dedicated module worker:
//  1. store write: seeded synthetic events encoded into blocks of 4,096 and written 8 blocks per
//     transaction, insert alone and encode + insert;
//  2. a time-range query over ~1 % of the events, decoded to objects;
//  3. group-bys over every event on source.ip and host.name;
//  4. ordering the timeline (QueryService.open) and reading 200 rows from its middle;
//  5. IngestService.ingest of a generated syslog file with UFW kernel lines, fetched from the
//     bench server, beside lnav indexing the same file in the same run; peak RSS of Chromium.
//  6. (scripts/bench-families.mjs) the parse rate of each log family on generated 200 MB files,
//     beside GoAccess and lnav; `--families` runs only that, `--no-families` skips it.
// bench/browser/* and bench/generate.ts hold the code; this file bundles it (esbuild, to a temp
// dir), serves it with src/node/web-server.ts, drives Chromium and prints.
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { LNAV, MB, chromiumProcesses, createChecks, fmt, lnavEnv, median, otherLoad, printTable, rssBytes, runLnav as runLnavQuery, stats, versionOf, waitForQuiet as waitForQuietFor, warmUpLnav } from './bench-common.mjs';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
// --families: only the parse benchmark per log family (scripts/bench-families.mjs, issue 4); it
// also runs after the parts below otherwise (--no-families skips it).
const familiesOnly = argv.includes('--families');
const withFamilies = !argv.includes('--no-families') && !argv.includes('--layouts');
function runFamilies() {
  const args = argv.filter((a) => a === '--quick' || a.startsWith('--runs=') || a.startsWith('--max-wait=') || a.startsWith('--mb='));
  return spawnSync(process.execPath, [fileURLToPath(new URL('bench-families.mjs', import.meta.url)), ...args], { stdio: 'inherit' }).status ?? 1;
}
if (familiesOnly) process.exit(runFamilies());
// --layouts: only the diagnostic of bench/browser/layouts.bench.ts (the same blocks in several IndexedDB layouts).
const layoutsOnly = argv.includes('--layouts');
const runsArg = argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg !== undefined ? Math.max(1, Number(runsArg.slice('--runs='.length)) || 3) : 3;
// How long each run may wait for other processes to quiet down first (--max-wait=SECONDS).
const waitArg = argv.find((a) => a.startsWith('--max-wait='));
const MAX_WAIT_MS = (waitArg !== undefined ? Math.max(0, Number(waitArg.slice('--max-wait='.length)) || 0) : 30) * 1000;
// --only=investigate: the investigation view on the built app (bench/investigate/run.mjs) alone.
if (argv.includes('--only=investigate')) {
  const { runInvestigateBench } = await import('../bench/investigate/run.mjs');
  process.exit(await runInvestigateBench({ root, quick, runs: runsArg !== undefined ? RUNS : 3 }));
}
// --only=archive: issue 3's sos-style .tar.xz, dropped into the built app, beside lnav (bench/archive/run.mjs).
if (argv.includes('--only=archive')) {
  const { runArchiveBench } = await import('../bench/archive/run.mjs');
  const mbArg = argv.find((a) => a.startsWith('--mb='));
  const profileArg = argv.find((a) => a.startsWith('--cpu-profile='));
  process.exit(await runArchiveBench({
    root, quick, runs: runsArg !== undefined ? RUNS : quick ? 1 : 3, mb: mbArg !== undefined ? Number(mbArg.slice(5)) : undefined,
    profileDir: profileArg !== undefined ? resolve(profileArg.slice('--cpu-profile='.length)) : undefined,
  }));
}
// --only=report: the time to build a 50-page incident report (bench/report/run.mjs) alone.
if (argv.includes('--only=report')) {
  const { runReportBench } = await import('../bench/report/run.mjs');
  process.exit(await runReportBench({ root, runs: runsArg !== undefined ? RUNS : 5 }));
}
// --only=lab: issue 7's live rule test in the built app at 1M stored events (bench/lab/run.mjs).
if (argv.includes('--only=lab')) {
  const { runLabBench } = await import('../bench/lab/run.mjs');
  const profileArg = argv.find((a) => a.startsWith('--cpu-profile='));
  process.exit(await runLabBench({ root, quick, runs: runsArg !== undefined ? RUNS : 3, profileDir: profileArg !== undefined ? resolve(profileArg.slice('--cpu-profile='.length)) : undefined }));
}
// --only=detect: the detection benchmark (bench/detect.mjs): pack over 1M events, sshd rule vs fail2ban-regex, rule lab.
if (argv.includes('--only=detect')) {
  const { runDetectBench } = await import('../bench/detect.mjs');
  process.exit(await runDetectBench({ root, quick, runs: runsArg !== undefined ? RUNS : 3 }));
}
const eventsArg = argv.find((a) => a.startsWith('--events='));
const EVENTS = eventsArg !== undefined ? Math.max(1000, Number(eventsArg.slice('--events='.length)) || 0) : quick ? 100_000 : 1_000_000;
const INGEST_BYTES = quick ? 10_000_000 : 100_000_000;
const STORE_SEED = 42;
const SYSLOG_SEED = 7;
const CHROMIUM = process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium';
// count(*) makes lnav index every line of the file; the second column counts the UFW lines.
const LNAV_QUERY = ";SELECT count(*) AS lines, count(CASE WHEN log_body LIKE '%[UFW %' THEN 1 END) AS ufw FROM syslog_log";
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--js-flags=--max-old-space-size=8192',
];
const PAGE_TIMEOUT_MS = 10 * 60_000;
const RSS_INTERVAL_MS = 250;

// ---------------------------------------------------------------------------------------------
// Build

const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
const www = join(tmp, 'www');
const dataDir = join(tmp, 'data');
mkdirSync(dataDir, { recursive: true });

/** Vite's `import url from 'x.wasm?url'`: the file copied beside the bundle, its URL as the default export. */
const assetUrls = {
  name: 'asset-url',
  setup(b) {
    b.onResolve({ filter: /\?url$/ }, async (args) => {
      const resolved = await b.resolve(args.path.slice(0, -'?url'.length), { kind: args.kind, resolveDir: args.resolveDir });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path, namespace: 'asset-url' };
    });
    b.onLoad({ filter: /.*/, namespace: 'asset-url' }, (args) => {
      const name = args.path.split('/').at(-1);
      mkdirSync(www, { recursive: true });
      copyFileSync(args.path, join(www, name));
      return { contents: `export default new URL(${JSON.stringify(`./${name}`)}, import.meta.url).href;`, loader: 'js' };
    });
  },
};

async function bundle() {
  await build({
    absWorkingDir: root,
    entryPoints: { 'store.bench.page': 'bench/browser/store.bench.page.ts', 'store.bench.worker': 'bench/browser/store.bench.worker.ts' },
    outdir: www, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'warning', plugins: [assetUrls],
  });
  copyFileSync(join(root, 'bench/browser/index.html'), join(www, 'index.html'));
  const support = join(tmp, 'node', 'bench-support.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents: "export { startWebServer } from './src/node/web-server';\nexport { generateSyslogText } from './bench/generate';\n",
      resolveDir: root, sourcefile: 'bench-support.ts', loader: 'ts',
    },
    outfile: support, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  });
  return import(pathToFileURL(support).href);
}

// ---------------------------------------------------------------------------------------------
// Chromium process tree: RSS sampling and the profile's IndexedDB size

/** Waits for other processes to go quiet, up to --max-wait. */
const waitForQuiet = () => waitForQuietFor(MAX_WAIT_MS);

/**
 * Samples the Chromium tree every 250 ms: summed RSS (peak kept) and CPU time, so stop() can
 * also say how much CPU other processes took meanwhile.
 */
function sampleProcesses() {
  let peak = 0;
  let peakProcesses = 0;
  const load = otherLoad();
  const sample = () => {
    const pids = chromiumProcesses().map((p) => p.pid);
    load.track(pids);
    const total = pids.reduce((n, pid) => n + rssBytes(pid), 0);
    if (total > peak) [peak, peakProcesses] = [total, pids.length];
  };
  sample();
  const timer = setInterval(sample, RSS_INTERVAL_MS);
  let result;
  return {
    stop() {
      if (result === undefined) {
        clearInterval(timer);
        sample();
        result = { peakRssBytes: peak, processes: peakProcesses, otherCores: load.cores() };
      }
      return result;
    },
  };
}

function treeBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/**
 * Opens the bench page in a fresh Chromium profile and returns what the worker measured, with
 * the peak RSS of the Chromium tree while it ran and the size of the profile's IndexedDB after.
 */
async function inBrowser(server, query) {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const rss = sampleProcesses();
  let outcome;
  let memory;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => console.log(`      ${message.text()}`));
    page.on('pageerror', (error) => console.error(`      page error: ${error.message}`));
    await page.goto(`${server.url}index.html?${new URLSearchParams(query).toString()}`);
    await page.waitForFunction(() => globalThis.__benchDone === true, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 500 });
    outcome = await page.evaluate(() => globalThis.__benchResults);
  } finally {
    memory = rss.stop();
    await context.close();
  }
  if (outcome === undefined || outcome.kind === 'error') throw new Error(`benchmark page failed: ${outcome?.message ?? 'no result'}`);
  const indexedDbBytes = treeBytes(join(profile, 'Default', 'IndexedDB'));
  rmSync(profile, { recursive: true, force: true });
  return { ...outcome, ...memory, indexedDbBytes };
}

// ---------------------------------------------------------------------------------------------
// lnav, the peer

function runLnav(file, home) {
  // Output: a header line ("lines ufw") and one row of numbers.
  const r = runLnavQuery(file, LNAV_QUERY, lnavEnv(home));
  return { ms: r.ms, lines: r.numbers[0], ufw: r.numbers[1], otherCores: r.otherCores };
}

// ---------------------------------------------------------------------------------------------
// Runs

async function writeSyslog(generateSyslogText, path) {
  const written = { bytes: 0, lines: 0, ufwLines: 0 };
  const out = createWriteStream(path);
  for (const chunk of generateSyslogText(SYSLOG_SEED, INGEST_BYTES, written)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

const checks = createChecks();
const check = checks.check;

async function storeRuns(server) {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    console.log(`  store run ${run + 1}/${RUNS}`);
    await waitForQuiet();
    const r = await inBrowser(server, { bench: 'store', events: EVENTS, seed: STORE_SEED, run });
    runs.push(r);
    console.log(
      `    insert ${fmt((r.events / r.insertMs) * 1000)} ev/s, encode+insert ${fmt((r.events / (r.encodeMs + r.insertMs)) * 1000)} ev/s, ` +
      `range ${fmt(r.rangeMs)} ms (${fmt(r.rangeEvents)} ev), by ip ${fmt(r.groupByIpMs)} ms, by host ${fmt(r.groupByHostMs)} ms, ` +
      `clone ${fmt(r.cloneMs)} ms, whole-block insert ${fmt((r.events / r.wholeBlockInsertMs) * 1000)} ev/s, open ${fmt(r.timelineOpenMs)} ms, rows ${fmt(r.timelineRowsMs, 1)} ms, peak RSS ${fmt(r.peakRssBytes / MB)} MB, IndexedDB ${fmt(r.indexedDbBytes / MB)} MB; ` +
      `other processes ${r.otherCores.toFixed(2)} cores`,
    );
    check(`store run ${run + 1}: count by source.ip sums to the events`, r.ipTotal === EVENTS, `${r.ipTotal} vs ${EVENTS}`);
    check(`store run ${run + 1}: count by host.name sums to the events`, r.hostTotal === EVENTS, `${r.hostTotal} vs ${EVENTS}`);
    check(`store run ${run + 1}: timeline holds every event`, r.timelineTotal === EVENTS, `${r.timelineTotal} vs ${EVENTS}`);
    check(`store run ${run + 1}: 200 rows from the middle, in time order`, r.timelineRows === 200 && r.timelineRowsOrdered, `${r.timelineRows} rows, ordered ${r.timelineRowsOrdered}`);
    check(`store run ${run + 1}: time range holds ~1 % of the events`, Math.abs(r.rangeEvents - EVENTS / 100) <= EVENTS / 1000, `${r.rangeEvents}`);
  }
  return runs;
}

async function layoutRuns(server) {
  const byName = new Map();
  for (let run = 0; run < RUNS; run++) {
    console.log(`  layouts run ${run + 1}/${RUNS}`);
    await waitForQuiet();
    const r = await inBrowser(server, { bench: 'layouts', events: EVENTS, seed: STORE_SEED, run });
    for (const t of r.timings) byName.set(t.name, [...(byName.get(t.name) ?? []), (r.events / t.ms) * 1000]);
    console.log(`    other processes ${r.otherCores.toFixed(2)} cores`);
  }
  console.log(`\nLayouts, ${fmt(EVENTS)} events, insert events/s: median (min, max)`);
  for (const [name, rates] of byName) console.log(`  ${fmt(median(rates)).padStart(9)} (${fmt(Math.min(...rates))}, ${fmt(Math.max(...rates))})  ${name}`);
}

async function ingestRuns(server, file, written, lnavHome, withLnav) {
  const loupe = [];
  const lnav = [];
  const path = 'var/log/syslog';
  const lastModified = Math.floor(statSync(file).mtimeMs);
  for (let run = 0; run < RUNS; run++) {
    console.log(`  ingest run ${run + 1}/${RUNS}`);
    await waitForQuiet();
    const r = await inBrowser(server, { bench: 'ingest', url: '/data/syslog', path, bytes: written.bytes, lastModified, run });
    loupe.push(r);
    console.log(`    loupe ${fmt(r.ms)} ms, ${fmt(r.bytes / MB / (r.ms / 1000), 1)} MB/s, ${fmt((r.events / r.ms) * 1000)} ev/s (fetch only ${fmt(r.fetchMs)} ms, fetch + parse + encode ${fmt(r.parseMs)} ms), peak RSS ${fmt(r.peakRssBytes / MB)} MB (${r.processes} processes); other processes ${r.otherCores.toFixed(2)} cores`);
    check(`ingest run ${run + 1}: file read`, r.status === 'done' && r.errors.length === 0, `${r.status} ${r.errors.join('; ')}`);
    check(`ingest run ${run + 1}: one event per line`, r.events === written.lines, `${r.events} events vs ${written.lines} lines`);
    check(`ingest run ${run + 1}: parse-only pass gives the same events`, r.parseEvents === r.events, `${r.parseEvents} vs ${r.events}`);
    check(`ingest run ${run + 1}: UFW events`, (r.datasets['ufw'] ?? 0) === written.ufwLines, `${r.datasets['ufw'] ?? 0} vs ${written.ufwLines} generated`);
    if (withLnav) {
      await waitForQuiet();
      const l = runLnav(file, lnavHome);
      lnav.push(l);
      console.log(`    lnav  ${fmt(l.ms)} ms, ${fmt(written.bytes / MB / (l.ms / 1000), 1)} MB/s, ${fmt(l.lines)} lines, ${fmt(l.ufw)} UFW; other processes ${l.otherCores.toFixed(2)} cores`);
      check(`ingest run ${run + 1}: lnav counts the same UFW lines`, l.ufw === written.ufwLines, `${l.ufw} vs ${written.ufwLines}`);
    }
  }
  return { loupe, lnav };
}

// ---------------------------------------------------------------------------------------------
// Main

const started = Date.now();
const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const lnavVersion = versionOf(LNAV, ['-V']);
let exitCode = 0;
try {
  console.log(`Loupe benchmark${quick ? ' (quick)' : ''}: ${fmt(EVENTS)} events, ${fmt(INGEST_BYTES / MB)} MB syslog, ${RUNS} run${RUNS === 1 ? '' : 's'} each`);
  console.log(`  ${chromiumVersion}; Node ${process.version}; ${cpus().length} CPUs; ${lnavVersion ?? 'lnav not found'}`);
  const support = await bundle();
  const file = join(dataDir, 'syslog');
  const t = Date.now();
  const written = await writeSyslog(support.generateSyslogText, file);
  console.log(`  generated ${fmt(written.bytes / MB, 1)} MB syslog, ${fmt(written.lines)} lines (${fmt(written.ufwLines)} UFW) in ${fmt((Date.now() - t) / 1000, 1)} s`);
  const lnavHome = mkdtempSync(join(tmp, 'lnav-home-'));
  if (lnavVersion !== undefined) warmUpLnav(tmp, lnavEnv(lnavHome));
  const server = await support.startWebServer({ rendererDir: www, mounts: { data: dataDir } });
  if (layoutsOnly) {
    try {
      await layoutRuns(server);
    } finally {
      await server.close();
    }
    process.exit(0);
  }
  let store;
  let ingest;
  try {
    console.log('\nStore (1–4)');
    store = await storeRuns(server);
    console.log('\nIngest vs lnav (5)');
    ingest = await ingestRuns(server, file, written, lnavHome, lnavVersion !== undefined);
  } finally {
    await server.close();
  }

  // Summary
  const rows = [];
  const row = (name, unit, values, digits = 0, note = '') => rows.push({ name, unit, digits, note, ...stats(values) });
  const perSecond = (count, ms) => (count / ms) * 1000;
  row('store write, insert only', 'events/s', store.map((r) => perSecond(r.events, r.insertMs)), 0, 'goal >= 300,000');
  row('store write, insert only', 'MB/s raw', store.map((r) => r.rawBytes / MB / (r.insertMs / 1000)), 1, 'raw line bytes');
  row('store write, insert only', 'MB/s block', store.map((r) => r.blockBytes / MB / (r.insertMs / 1000)), 1, 'encoded block bytes');
  row('store write, encode + insert', 'events/s', store.map((r) => perSecond(r.events, r.encodeMs + r.insertMs)), 0, 'goal >= 300,000');
  row('store write, encode + insert', 'MB/s raw', store.map((r) => r.rawBytes / MB / ((r.encodeMs + r.insertMs) / 1000)), 1);
  row('  (generate events, not in e2e)', 'ms', store.map((r) => r.generateMs), 0);
  row('  (encode blocks)', 'ms', store.map((r) => r.encodeMs), 0);
  row('  (insert blocks)', 'ms', store.map((r) => r.insertMs), 0);
  row('  (structuredClone of the blocks)', 'ms', store.map((r) => r.cloneMs), 0, 'serialization floor of the insert');
  row('whole-block records, insert only', 'events/s', store.map((r) => perSecond(r.events, r.wholeBlockInsertMs)), 0, 'reference layout: 1 record/block, same blocks');
  row('time range, ~1 %, decoded', 'ms', store.map((r) => r.rangeMs), 0, `${fmt(store[0].rangeEvents)} events, ${store[0].rangeBlocksRead} blocks read`);
  row('group-by source.ip', 'ms', store.map((r) => r.groupByIpMs), 0, `goal < 1,000; ${fmt(store[0].ipGroups)} groups, sum ${fmt(store[0].ipTotal)}`);
  row('group-by host.name', 'ms', store.map((r) => r.groupByHostMs), 0, `${store[0].hostGroups} groups, sum ${fmt(store[0].hostTotal)}`);
  row('timeline open (order all)', 'ms', store.map((r) => r.timelineOpenMs), 0, `${fmt(store[0].timelineTotal)} events`);
  row(`timeline rows(${fmt(Math.floor(EVENTS / 2))}, 200)`, 'ms', store.map((r) => r.timelineRowsMs), 1);
  row('store: peak RSS, Chromium', 'MB', store.map((r) => r.peakRssBytes / MB), 0, 'sum over processes');
  row('store: IndexedDB on disk', 'MB', store.map((r) => r.indexedDbBytes / MB), 0, 'after close');
  row('ingest (IngestService, url)', 'MB/s', ingest.loupe.map((r) => r.bytes / MB / (r.ms / 1000)), 1, `${fmt(written.bytes / MB, 1)} MB syslog`);
  row('ingest (IngestService, url)', 'events/s', ingest.loupe.map((r) => perSecond(r.events, r.ms)), 0, `${fmt(ingest.loupe[0].events)} events`);
  row('ingest (IngestService, url)', 'ms', ingest.loupe.map((r) => r.ms), 0);
  row('  (fetch only)', 'MB/s', ingest.loupe.map((r) => r.bytes / MB / (r.fetchMs / 1000)), 1, 'read the body to its end');
  row('  (fetch + parse + encode)', 'MB/s', ingest.loupe.map((r) => r.bytes / MB / (r.parseMs / 1000)), 1, 'ingestEvidence, no hash, no store');
  row('ingest: peak RSS, Chromium', 'MB', ingest.loupe.map((r) => r.peakRssBytes / MB), 0, 'sum over processes');
  if (ingest.lnav.length > 0) {
    row('lnav -n (index + count)', 'MB/s', ingest.lnav.map((r) => written.bytes / MB / (r.ms / 1000)), 1, `${fmt(ingest.lnav[0].lines)} lines, ${fmt(ingest.lnav[0].ufw)} UFW`);
    row('lnav -n (index + count)', 'ms', ingest.lnav.map((r) => r.ms), 0);
    row('ratio Loupe / lnav', 'x MB/s', ingest.loupe.map((r, i) => ingest.lnav[i].ms / r.ms), 2, 'per run, same file');
  }
  row('other processes during runs', 'cores', [...store, ...ingest.loupe, ...ingest.lnav].map((r) => r.otherCores), 2, 'CPU others used meanwhile; > 0.3 = noisy');

  const table = rows.map((r) => [r.name, r.unit, fmt(r.median, r.digits), fmt(r.min, r.digits), fmt(r.max, r.digits), r.note]);
  console.log(`\nSummary: ${fmt(EVENTS)} events, ${fmt(written.bytes / MB, 1)} MB syslog, ${RUNS} run${RUNS === 1 ? '' : 's'}: median (min, max)`);
  printTable(['measurement', 'unit', 'median', 'min', 'max', ''], table, [2, 3, 4]);
  if (!checks.report()) exitCode = 1;

  const results = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpus: cpus().length, node: process.version, chromium: chromiumVersion, lnav: lnavVersion ?? null, chromiumArgs: CHROMIUM_ARGS },
    params: { events: EVENTS, runs: RUNS, storeSeed: STORE_SEED, syslogSeed: SYSLOG_SEED, blocksPerTransaction: 8, lnavQuery: LNAV_QUERY },
    summary: rows.map(({ name, unit, median: m, min, max, note }) => ({ name, unit, median: m, min, max, note })),
    store: { runs: store },
    ingest: { file: written, loupe: ingest.loupe, lnav: ingest.lnav },
    checks: checks.list,
  };
  const out = join(root, 'bench', 'results', quick ? 'quick.json' : 'latest.json');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${out.slice(root.length)}`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (withFamilies) {
  console.log('');
  if (runFamilies() !== 0) exitCode = 1;
}
process.exit(exitCode);
