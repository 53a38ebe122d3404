// `npm run bench -- --only=archive [--quick] [--runs=N] [--mb=N]`: issue 3's bundle ingest, from
// drop to all events stored, on a generated sos-style report of --mb MB uncompressed (1,000 by
// default, 100 with --quick) packed as .tar.xz (xz -1). The archive is picked through the built
// app's "Open files…" (run `npm run build` first), in Debian's headless Chromium, a fresh profile
// per run; timed until the app says "Ingest finished". Meanwhile the Chromium processes are
// sampled every 250 ms (RSS per process type: the renderer holds the page and its workers) and
// the JS heaps of the page and of each worker are read over CDP. The peer in the same run: lnav
// opening the same .tar.xz (it unpacks archives itself) and counting all_logs rows, which makes it
// index every line; and lnav on the unpacked tree, without decompression. Figures, not tests: only
// wrong counts (events missing, files failed) give a non-zero exit.
/* global Worker */
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LNAV, MB, attachWorkers, chromiumProcesses, createChecks, fmt, median, printTable, rssBytes, rssParts } from '../../scripts/bench-common.mjs';

const CHROMIUM = process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium';
const LNAV_QUERY = ';SELECT count(*) AS rows FROM all_logs';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--js-flags=--max-old-space-size=8192',
];
const TIMEOUT_MS = 30 * 60_000;
const SAMPLE_MS = 250;

// ---------------------------------------------------------------------------------------------
// Chromium processes by type

/** Peak RSS per process type and of the whole tree, sampled until stop(); also the samples over time. */
function sampleChromium() {
  const peaks = new Map();
  let peakTotal = 0;
  const timeline = [];
  const t0 = Date.now();
  const sample = () => {
    const byType = new Map();
    const rendererParts = { anon: 0, file: 0, shmem: 0 };
    for (const { pid, type } of chromiumProcesses()) {
      byType.set(type, (byType.get(type) ?? 0) + rssBytes(pid));
      if (type === 'renderer') for (const [kind, bytes] of Object.entries(rssParts(pid))) rendererParts[kind] += bytes;
    }
    let total = 0;
    for (const [type, bytes] of byType) {
      total += bytes;
      peaks.set(type, Math.max(peaks.get(type) ?? 0, bytes));
    }
    peakTotal = Math.max(peakTotal, total);
    timeline.push({ ms: Date.now() - t0, total, renderer: byType.get('renderer') ?? 0, rendererParts });
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peaks: Object.fromEntries(peaks), peakTotal, timeline };
    },
  };
}

/**
 * JS heap of the page and of its workers, read over CDP every 250 ms (worker targets are attached
 * through the page's session, non-flat, and asked Runtime.getHeapUsage).
 */
async function sampleHeaps(context, page, profileDir) {
  const { session, workers, ask, stop } = await attachWorkers(context, page, profileDir);
  let pagePeak = 0;
  const workerPeaks = new Map();
  // Per sample, over the page and its workers: V8 heap used and committed, and ArrayBuffer backing stores.
  const heapTimeline = [];
  const t0 = Date.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sum = { ms: Date.now() - t0, used: 0, committed: 0, backing: 0, byTarget: {} };
      const add = (usage, name = 'page') => {
        sum.used += usage.usedSize ?? 0;
        sum.committed += usage.totalSize ?? 0;
        sum.backing += usage.backingStorageSize ?? 0;
        sum.byTarget[name] = [usage.usedSize ?? 0, usage.totalSize ?? 0, usage.backingStorageSize ?? 0].map((b) => Math.round(b / MB));
      };
      try {
        const usage = await session.send('Runtime.getHeapUsage');
        pagePeak = Math.max(pagePeak, usage.usedSize);
        add(usage);
      } catch {
        // the page is navigating
      }
      for (const [sessionId, name] of workers) {
        const usage = await ask(sessionId, 'Runtime.getHeapUsage');
        if (usage?.usedSize !== undefined) workerPeaks.set(name, Math.max(workerPeaks.get(name) ?? 0, usage.usedSize));
        if (usage !== undefined) add(usage, name);
      }
      heapTimeline.push(sum);
      await new Promise((done) => setTimeout(done, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await stop();
      return { pagePeak, workerPeaks: Object.fromEntries(workerPeaks), heapTimeline };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Runs

/**
 * The floor under Loupe's figure: the built app's own xz worker decoding the .tar.xz, alone (no
 * tar, parse or store), in a fresh profile; the archive is served by the bench's web server
 * (under /bench-archive/). Returns ms and the decoded bytes.
 */
async function xzAloneRun(root, server, archive, tmp) {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const workerFile = readdirSync(join(root, 'dist/renderer/assets')).find((f) => /^xz\.worker[-.].*\.js$/.test(f));
    if (workerFile === undefined) throw new Error('no xz worker in dist/renderer/assets');
    await page.goto(server.url);
    return await page.evaluate(async ([url, archiveUrl]) => {
      const worker = new Worker(url, { type: 'module' });
      const input = (await fetch(archiveUrl)).body;
      const started = performance.now();
      const reply = await new Promise((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.postMessage({ id: 1, input }, [input]);
      });
      if (reply.error !== undefined) throw new Error(reply.error);
      let bytes = 0;
      const reader = reply.output.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
      }
      worker.terminate();
      return { ms: performance.now() - started, bytes };
    }, [`/assets/${workerFile}`, `/bench-archive/${basename(archive)}`]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function loupeRun(server, archive, tmp, profileDir) {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error(`      page error: ${error.message}`));
    await page.goto(server.url);
    await page.getByTestId('case-name').filter({ hasNotText: '…' }).waitFor();
    const heaps = await sampleHeaps(context, page, profileDir);
    const rss = sampleChromium();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-files').click();
    const t0 = Date.now();
    await (await chooser).setFiles(archive);
    const message = page.getByTestId('message').filter({ hasText: /Ingest (finished|cancelled)/ });
    await message.waitFor({ timeout: TIMEOUT_MS });
    const ms = Date.now() - t0;
    const memory = rss.stop();
    const heap = await heaps.stop();
    const text = (await page.getByTestId('message').textContent()) ?? '';
    const events = Number(/([\d,]+) events/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
    const workerMs = Number(/in ([\d.]+) s/.exec(text)?.[1] ?? NaN) * 1000;
    const failed = await page.getByTestId('evidence-item').filter({ hasText: /failed/i }).count();
    const members = await page.getByTestId('evidence-item').count();
    return { ms, workerMs, events, members, failed, message: text, ...memory, ...heap };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * lnav headless with a fresh TMPDIR each time: it unpacks an archive under
 * $TMPDIR/lnav-user-<uid>-work/archives and keeps it for days, so a second run on the same
 * .tar.xz would skip the decompression that Loupe's every run pays.
 */
function runLnav(args, home) {
  const work = mkdtempSync(join(home, 'tmp-'));
  const t = process.hrtime.bigint();
  const result = spawnSync(LNAV, ['-n', ...args], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TMPDIR: work } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  rmSync(work, { recursive: true, force: true });
  if (result.status !== 0) return { ms, rows: NaN, error: (result.stderr || result.stdout).trim().split('\n').slice(0, 3).join(' ') };
  return { ms, rows: Number(result.stdout.trim().split('\n').at(-1).trim()) };
}

async function prepare(root, tmp) {
  const renderer = join(root, 'dist/renderer');
  if (!existsSync(join(renderer, 'index.html'))) throw new Error('dist/renderer is missing: run "npm run build" first');
  const support = join(tmp, 'node', 'support.mjs');
  await build({
    absWorkingDir: root,
    stdin: { contents: "export { startWebServer } from './src/node/web-server';\nexport { writeSosTree, SOS_TOP_DIR } from './bench/archive/sos-tree';\n", resolveDir: root, sourcefile: 'archive-support.ts', loader: 'ts' },
    outfile: support, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  });
  return import(pathToFileURL(support).href);
}

export async function runArchiveBench({ root, quick, runs, mb, profileDir }) {
  const targetMb = mb ?? (quick ? 100 : 1000);
  const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-archive-'));
  const checks = createChecks();
  const check = checks.check;
  try {
    const lnavVersion = spawnSync(LNAV, ['-V'], { encoding: 'utf8' }).stdout?.trim();
    const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    console.log(`Archive ingest benchmark: a sos-style .tar.xz of ${fmt(targetMb)} MB uncompressed, ${runs} run${runs === 1 ? '' : 's'}`);
    console.log(`  ${chromiumVersion}; Node ${process.version}; ${cpus().length} CPUs; ${lnavVersion ?? 'lnav not found'}`);
    const support = await prepare(root, tmp);
    const treeDir = join(tmp, 'tree');
    let t = Date.now();
    const tree = await support.writeSosTree(treeDir, targetMb * MB);
    console.log(`  generated ${fmt(tree.bytes / MB, 1)} MB, ${fmt(tree.lines)} lines (${fmt(tree.events)} events) in ${fmt((Date.now() - t) / 1000, 1)} s`);
    const archive = join(tmp, `${support.SOS_TOP_DIR}.tar.xz`);
    t = Date.now();
    const packed = spawnSync('tar', ['-I', 'xz -1 -T2', '-cf', archive, support.SOS_TOP_DIR], { cwd: treeDir, encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`tar failed: ${packed.stderr}`);
    const archiveBytes = statSync(archive).size;
    console.log(`  packed ${fmt(archiveBytes / MB, 1)} MB .tar.xz (xz -1) in ${fmt((Date.now() - t) / 1000, 1)} s`);

    const server = await support.startWebServer({ rendererDir: join(root, 'dist/renderer'), mounts: { 'bench-archive': dirname(archive) } });
    const lnavHome = mkdtempSync(join(tmp, 'lnav-home-'));
    const loupe = [];
    const xzAlone = [];
    const lnavArchive = [];
    const lnavTree = [];
    try {
      if (lnavVersion !== undefined) {
        const warm = join(tmp, 'warm.log');
        writeFileSync(warm, 'Mar 12 08:00:01 maas-region-01 CRON[1]: (root) CMD (true)\n');
        runLnav(['-c', LNAV_QUERY, warm], lnavHome);
      }
      for (let run = 0; run < runs; run++) {
        console.log(`  run ${run + 1}/${runs}`);
        const r = await loupeRun(server, archive, tmp, profileDir === undefined ? undefined : join(profileDir, `run-${run + 1}`));
        loupe.push(r);
        const xz = await xzAloneRun(root, server, archive, tmp);
        xzAlone.push(xz);
        console.log(`    xz alone (the app's xz worker, nothing else): ${fmt(xz.ms)} ms, ${fmt(xz.bytes / MB / (xz.ms / 1000), 1)} MB/s`);
        check(`run ${run + 1}: the xz worker decodes the whole tar`, xz.bytes >= tree.bytes, `${xz.bytes} bytes decoded, ${tree.bytes} in the files`);
        console.log(`    loupe stored in ${fmt(r.workerMs)} ms, ${fmt(tree.bytes / MB / (r.workerMs / 1000), 1)} MB/s, ${fmt((r.events / r.workerMs) * 1000)} ev/s; findings ready ${fmt(r.ms)} ms after the drop; ` +
          `${r.members} evidence files (${r.failed} failed); peak RSS: renderer ${fmt((r.peaks.renderer ?? 0) / MB)} MB, all ${fmt(r.peakTotal / MB)} MB; ` +
          `JS heap: page ${fmt(r.pagePeak / MB)} MB, workers ${Object.entries(r.workerPeaks).map(([n, b]) => `${n} ${fmt(b / MB)} MB`).join(', ') || 'not seen'}`);
        // The generator counts a journal traceback as one event; journalctl gives each line its own entry.
        check(`run ${run + 1}: every event stored`, r.events >= tree.events && r.events <= tree.lines, `${r.events} stored; ${tree.events} generated events in ${tree.lines} lines`);
        check(`run ${run + 1}: no file failed`, r.failed === 0, `${r.failed} failed: ${r.message}`);
        if (lnavVersion !== undefined) {
          const a = runLnav(['-c', LNAV_QUERY, archive], lnavHome);
          lnavArchive.push(a);
          const d = runLnav(['-r', '-c', LNAV_QUERY, join(treeDir, support.SOS_TOP_DIR)], lnavHome);
          lnavTree.push(d);
          check(`run ${run + 1}: lnav and Loupe count the same events`, a.rows === r.events, `lnav ${a.rows} rows, Loupe ${r.events} events`);
          console.log(`    lnav .tar.xz ${fmt(a.ms)} ms, ${fmt(a.rows)} rows${a.error !== undefined ? ` (${a.error})` : ''}; lnav unpacked tree ${fmt(d.ms)} ms, ${fmt(d.rows)} rows${d.error !== undefined ? ` (${d.error})` : ''}`);
        }
      }
    } finally {
      await server.close();
    }

    const rows = [];
    const row = (name, unit, values, digits = 0, note = '') => rows.push([name, unit, fmt(median(values), digits), fmt(Math.min(...values), digits), fmt(Math.max(...values), digits), note]);
    row('Loupe: drop to all events stored', 'ms', loupe.map((r) => r.workerMs), 0, 'the ingest worker\'s own clock');
    row('Loupe: drop to all events stored', 'MB/s', loupe.map((r) => tree.bytes / MB / (r.workerMs / 1000)), 1, 'uncompressed bytes');
    row('Loupe: drop to all events stored', 'events/s', loupe.map((r) => (r.events / r.workerMs) * 1000), 0, `${fmt(loupe[0].events)} events`);
    row('Loupe: drop to findings shown', 'ms', loupe.map((r) => r.ms), 0, 'ingest, then the rule pack over the case');
    row('Loupe: xz decoding alone', 'ms', xzAlone.map((r) => r.ms), 0, 'the app\'s xz worker, no tar, parse or store: the floor');
    row('Loupe: xz decoding alone', 'MB/s', xzAlone.map((r) => r.bytes / MB / (r.ms / 1000)), 1, 'decoded tar bytes');
    row('Loupe: peak RSS, renderer (page + workers)', 'MB', loupe.map((r) => (r.peaks.renderer ?? 0) / MB));
    row('Loupe: peak RSS, all Chromium', 'MB', loupe.map((r) => r.peakTotal / MB), 0, Object.keys(loupe[0].peaks).join(', '));
    row('Loupe: peak JS heap, page', 'MB', loupe.map((r) => r.pagePeak / MB));
    for (const name of Object.keys(loupe[0].workerPeaks)) row(`Loupe: peak JS heap, worker ${name}`, 'MB', loupe.map((r) => (r.workerPeaks[name] ?? 0) / MB));
    if (lnavArchive.length > 0) {
      row('lnav: .tar.xz, count all_logs', 'ms', lnavArchive.map((r) => r.ms), 0, `${fmt(lnavArchive[0].rows)} rows`);
      row('lnav: unpacked tree, count all_logs', 'ms', lnavTree.map((r) => r.ms), 0, `${fmt(lnavTree[0].rows)} rows`);
      row('ratio lnav .tar.xz / Loupe stored', 'x', loupe.map((r, i) => lnavArchive[i].ms / r.workerMs), 2, '> 1 = Loupe faster');
      row('ratio lnav tree / Loupe stored', 'x', loupe.map((r, i) => lnavTree[i].ms / r.workerMs), 2, 'lnav spared the decompression');
      row('ratio lnav .tar.xz / Loupe xz alone', 'x', xzAlone.map((r, i) => lnavArchive[i].ms / r.ms), 2, '< 1: decoding alone is slower than lnav\'s whole job');
    }
    console.log(`\nSummary: ${fmt(tree.bytes / MB, 1)} MB uncompressed, ${fmt(archiveBytes / MB, 1)} MB .tar.xz, ${runs} run${runs === 1 ? '' : 's'}: median (min, max)`);
    printTable(['measurement', 'unit', 'median', 'min', 'max', ''], rows, [2, 3, 4]);
    // Flat memory: the renderer's RSS late in the ingest against early in it (detection, after, is left out).
    const flat = loupe.map((r) => {
      const end = r.workerMs;
      // The sample of the renderer's peak in a window of the ingest, with its RSS by kind.
      const peak = (from, to) => r.timeline.filter((s) => s.ms >= from * end && s.ms <= to * end).reduce((a, s) => (a === undefined || s.renderer > a.renderer ? s : a), undefined);
      const early = peak(0.1, 0.25);
      const late = peak(0.75, 1);
      // The JS side at the same moments: heaps used and committed, ArrayBuffers, over the page and its workers.
      const heapAt = (sample) => (sample === undefined ? undefined : r.heapTimeline.reduce((a, h) => (a === undefined || Math.abs(h.ms - sample.ms) < Math.abs(a.ms - sample.ms) ? h : a), undefined));
      return { first: early?.renderer ?? 0, last: late?.renderer ?? 0, firstParts: early?.rendererParts, lastParts: late?.rendererParts, firstHeaps: heapAt(early), lastHeaps: heapAt(late) };
    });
    const parts = (p, h) => (p === undefined ? '' : ` (anonymous ${fmt(p.anon / MB)}, file ${fmt(p.file / MB)}, shared ${fmt(p.shmem / MB)}`
      + (h === undefined ? ')' : `; JS heaps used ${fmt(h.used / MB)}, committed ${fmt(h.committed / MB)}, ArrayBuffers ${fmt(h.backing / MB)})`));
    console.log(`renderer RSS while ingesting, peak in 10–25 % of the ingest vs 75–100 %: ${flat.map((f) => `${fmt(f.first / MB)}${parts(f.firstParts, f.firstHeaps)} → ${fmt(f.last / MB)} MB${parts(f.lastParts, f.lastHeaps)}`).join('; ')}`);
    for (const f of flat) if (f.firstHeaps !== undefined) console.log(`  MB used/committed/ArrayBuffers by target, early ${JSON.stringify(f.firstHeaps.byTarget)}, late ${JSON.stringify(f.lastHeaps?.byTarget)}`);
    const passed = checks.report();
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', quick ? 'archive-quick.json' : 'archive.json'), `${JSON.stringify({
      date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version, chromium: chromiumVersion, lnav: lnavVersion ?? null },
      tree, archiveBytes, lnavQuery: LNAV_QUERY,
      loupe: loupe.map(({ timeline, heapTimeline: _heaps, ...r }) => ({ ...r, samples: timeline.length })), xzAlone, lnavArchive, lnavTree, flat, checks: checks.list,
    }, null, 2)}\n`);
    return passed ? 0 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
