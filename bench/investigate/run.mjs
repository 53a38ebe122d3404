// `npm run bench -- --only=investigate [--quick] [--runs=N]`: the investigation view on the built
// app (run `npm run build` first), in Debian's headless Chromium. With 1,000,000 events stored
// (100,000 with --quick): time to first rows after opening the case, time to apply a filter
// query, time to pivot on an address, and frame times while scrolling the timeline. Each figure
// beside its goal; filter and pivot also beside the peer, the same query answered row at a time
// (every event decoded, then tested) in the same browser and run. Figures, not tests: only wrong
// counts (our filter disagreeing with the peer) give a non-zero exit.
/* global document, requestAnimationFrame */
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--js-flags=--max-old-space-size=8192',
];
const FILTER_QUERY = 'event.dataset:apache.access AND http.response.status_code:404';
const GOALS = { firstRows: 1000, filter: 300, pivot: 300, frame: 50 };
const TIMEOUT = 10 * 60_000;
const SCROLL_FRAMES = 240;
const JUMP_FRAMES = 60;

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

export async function prepare(root, tmp, port) {
  const renderer = join(root, 'dist/renderer');
  if (!existsSync(join(renderer, 'index.html'))) throw new Error('dist/renderer is missing: run "npm run build" first');
  const www = join(tmp, 'www');
  cpSync(renderer, www, { recursive: true });
  await build({
    absWorkingDir: root, entryPoints: { 'bench-seed': 'bench/investigate/seed.page.ts' }, outdir: www,
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'warning',
  });
  writeFileSync(join(www, 'bench-seed.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>seed</title></head><body><script type="module" src="./bench-seed.js"></script></body></html>\n');
  const support = join(tmp, 'node', 'web-server.mjs');
  await build({ absWorkingDir: root, entryPoints: ['src/node/web-server.ts'], outfile: support, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const { startWebServer } = await import(pathToFileURL(support).href);
  return startWebServer({ rendererDir: www, ...(port !== undefined ? { port } : {}) });
}

export async function benchPage(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => globalThis.__benchDone === true, undefined, { timeout: TIMEOUT, polling: 250 });
  const outcome = await page.evaluate(() => globalThis.__benchResults);
  if (outcome?.kind === 'error') throw new Error(`bench page failed: ${outcome.message}`);
  return outcome;
}

/** Milliseconds from an input event (Enter in the filter, a click on a pivot) until `done()` holds, polled every frame. */
async function timeUntil(page, arm, act, done, arg) {
  await page.evaluate(arm);
  await act();
  const handle = await page.waitForFunction(done, arg, { polling: 'raf', timeout: TIMEOUT });
  return handle.jsonValue();
}

const armEnter = () => {
  document.querySelector('[data-testid="filter-input"]').addEventListener('keydown', (e) => { if (e.key === 'Enter') globalThis.__t0 = performance.now(); }, { capture: true, once: true });
};
const armPivot = () => {
  document.addEventListener('click', (e) => { if (e.target.closest('[data-testid="pivot"]') !== null) globalThis.__t0 = performance.now(); }, { capture: true, once: true });
};
/** The view shows a new count and its first rows are drawn. */
const viewReady = ({ previous, prefix }) => {
  const count = document.querySelector('[data-testid="filter-count"]')?.textContent ?? '';
  const input = document.querySelector('[data-testid="filter-input"]')?.value ?? '';
  const rows = document.querySelectorAll('[data-testid="timeline-row"] .col-time');
  const loading = document.querySelector('[data-testid="timeline-scroll"] .col-loading');
  return count !== previous && input.startsWith(prefix) && rows.length > 0 && loading === null && globalThis.__t0 !== undefined ? performance.now() - globalThis.__t0 : false;
};
const countOf = (text) => Number(/^([\d,]+)/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

/** The frames over 33.4 ms (two frames' time), as [frame number, ms]: where in the scroll they fell. */
const longFrames = (deltas) => deltas.flatMap((d, i) => (d > 33.4 ? [[i + 1, Math.round(d)]] : []));

async function scrollFrames(page, frames, jump) {
  return page.evaluate(({ frames, jump }) => new Promise((resolve) => {
    const el = document.querySelector('[data-testid="timeline-scroll"]');
    const deltas = [];
    let blank = 0;
    let last = performance.now();
    let n = 0;
    let seed = 12345;
    const step = (now) => {
      deltas.push(now - last);
      last = now;
      if (el.querySelector('.col-loading') !== null) blank++;
      if (jump) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        el.scrollTop = (seed / 4294967296) * (el.scrollHeight - el.clientHeight);
      } else el.scrollTop += 480;
      if (++n < frames) requestAnimationFrame(step);
      else resolve({ deltas: deltas.slice(1), blank, scrollHeight: el.scrollHeight });
    };
    requestAnimationFrame(step);
  }), { frames, jump });
}

export async function oneRun(page, url) {
  const r = {};
  await page.goto(url);
  r.firstRowsMs = await (await page.waitForFunction(() => (document.querySelector('[data-testid="timeline-row"] .col-time') !== null ? performance.now() : false), undefined, { polling: 'raf', timeout: TIMEOUT })).jsonValue();
  r.total = countOf(await page.getByTestId('filter-count').textContent());
  r.facetsMs = await (await page.waitForFunction(() => (document.querySelector('[data-field="source.ip"] [data-testid="facet-value"]') !== null ? performance.now() : false), undefined, { polling: 100, timeout: TIMEOUT })).jsonValue();
  r.warmMs = await (await page.waitForFunction(() => (document.querySelector('.investigation[data-warm="true"]') !== null ? performance.now() : false), undefined, { polling: 100, timeout: TIMEOUT })).jsonValue();

  await page.getByTestId('filter-input').fill(FILTER_QUERY);
  let previous = await page.getByTestId('filter-count').textContent();
  r.filterMs = await timeUntil(page, armEnter, () => page.getByTestId('filter-input').press('Enter'), viewReady, { previous, prefix: 'event.dataset' });
  r.filterMatched = countOf(await page.getByTestId('filter-count').textContent());
  // The worker's own time, as the filter bar shows it ("· N ms").
  r.filterWorkerMs = Number(/· (\d+) ms/.exec((await page.getByTestId('filter-count').textContent()) ?? '')?.[1] ?? NaN);

  await page.getByTestId('timeline-row').first().click();
  await page.locator('[data-testid="timeline-row"][aria-selected="true"]').first().waitFor();
  r.pivotIp = (await page.getByTestId('detail-fields').locator('tr[data-field="source.ip"] td').first().textContent()) ?? '';
  previous = await page.getByTestId('filter-count').textContent();
  await page.evaluate(() => { globalThis.__t0 = undefined; });
  r.pivotMs = await timeUntil(page, armPivot, () => page.getByTestId('pivot').filter({ hasText: 'All events of address' }).first().click(), viewReady, { previous, prefix: 'source.ip:' });
  r.pivotMatched = countOf(await page.getByTestId('filter-count').textContent());
  r.pivotWorkerMs = Number(/· (\d+) ms/.exec((await page.getByTestId('filter-count').textContent()) ?? '')?.[1] ?? NaN);

  await page.getByTestId('filter-clear').click();
  await page.waitForFunction((total) => /^([\d,]+) events/.exec(document.querySelector('[data-testid="filter-count"]')?.textContent ?? '')?.[1]?.replace(/,/g, '') === String(total), r.total);
  await page.getByTestId('timeline-row').first().waitFor();
  const scroll = await scrollFrames(page, SCROLL_FRAMES, false);
  const jumps = await scrollFrames(page, JUMP_FRAMES, true);
  r.scrollHeight = scroll.scrollHeight;
  r.scroll = { max: Math.max(...scroll.deltas), p95: percentile(scroll.deltas, 0.95), median: median(scroll.deltas), over50: scroll.deltas.filter((d) => d > 50).length, frames: scroll.deltas.length, blankFrames: scroll.blank, long: longFrames(scroll.deltas) };
  r.jumps = { max: Math.max(...jumps.deltas), p95: percentile(jumps.deltas, 0.95), median: median(jumps.deltas), over50: jumps.deltas.filter((d) => d > 50).length, frames: jumps.deltas.length, blankFrames: jumps.blank };
  return r;
}

/**
 * The built app served from `tmp` and a fresh Chromium profile on it, with a case of `events`
 * generated events stored in the app's database (the case it opens next). Also the rule lab bench's.
 */
export async function seededBrowser(root, tmp, events, title) {
  const server = await prepare(root, tmp);
  const profile = join(tmp, 'profile');
  mkdirSync(profile);
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error(`      page error: ${error.message}`));
  console.log(`${title}; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
  const seeded = await benchPage(page, `${server.url}bench-seed.html?mode=seed&events=${events}&seed=42`);
  console.log(`  stored ${fmt(seeded.events)} events in ${fmt(seeded.ms)} ms`);
  return { server, context, page };
}

/**
 * For the diagnostics (profile.mjs, trace.mjs): the built app on a fixed port with a Chromium profile
 * kept in /tmp/loupe-profile-investigate-N (same origin each time), seeded with N events on first use,
 * so repeated runs skip the seeding.
 */
export async function keptSeededBrowser(root, events, tmpPrefix) {
  const profileDir = `/tmp/loupe-profile-investigate-${events}`;
  const server = await prepare(root, mkdtempSync(join(tmpdir(), tmpPrefix)), 47311);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 }, args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => console.log(`  [page] ${m.text()}`));
  if (!existsSync(join(profileDir, 'seeded'))) {
    const seeded = await benchPage(page, `${server.url}bench-seed.html?mode=seed&events=${events}&seed=42`);
    console.log(`seeded ${seeded.events} events in ${Math.round(seeded.ms)} ms`);
    writeFileSync(join(profileDir, 'seeded'), '');
  }
  return { server, context, page };
}

export async function runInvestigateBench({ root, quick, runs }) {
  const events = quick ? 100_000 : 1_000_000;
  const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-investigate-'));
  const checks = [];
  const check = (what, ok, detail) => {
    checks.push({ what, ok, detail });
    if (!ok) console.log(`    CHECK FAILED: ${what}: ${detail}`);
  };
  const { server, context, page } = await seededBrowser(root, tmp, events, `Investigation benchmark${quick ? ' (quick)' : ''}: ${fmt(events)} events, ${runs} run(s)`);
  const results = [];
  const load = [loadavg()[0]];
  try {
    for (let run = 0; run < runs; run++) {
      const r = await oneRun(page, server.url);
      const peerFilter = await benchPage(page, `${server.url}bench-seed.html?mode=peer&kind=filter`);
      const peerPivot = await benchPage(page, `${server.url}bench-seed.html?mode=peer&kind=pivot&ip=${encodeURIComponent(r.pivotIp)}`);
      r.peerFilterMs = peerFilter.ms;
      r.peerPivotMs = peerPivot.ms;
      results.push(r);
      load.push(loadavg()[0]);
      console.log(
        `  run ${run + 1}: first rows ${fmt(r.firstRowsMs)} ms (facets ${fmt(r.facetsMs)}, warm ${fmt(r.warmMs)}), filter ${fmt(r.filterMs)} ms (${fmt(r.filterMatched)}; peer ${fmt(peerFilter.ms)} ms), ` +
        `pivot ${fmt(r.pivotMs)} ms (${r.pivotIp}: ${fmt(r.pivotMatched)}; peer ${fmt(peerPivot.ms)} ms), scroll frames max ${fmt(r.scroll.max, 1)} / p95 ${fmt(r.scroll.p95, 1)} ms` +
        ` (frames over 33 ms: ${r.scroll.long.map(([i, d]) => `#${i} ${d}`).join(', ') || 'none'}), jumps max ${fmt(r.jumps.max, 1)} ms`,
      );
      check(`run ${run + 1}: the timeline holds every event`, r.total === events, `${r.total} vs ${events}`);
      check(`run ${run + 1}: the filter keeps what the peer keeps`, r.filterMatched === peerFilter.matched, `${r.filterMatched} vs ${peerFilter.matched}`);
      check(`run ${run + 1}: the pivot keeps what the peer keeps`, r.pivotMatched === peerPivot.matched, `${r.pivotMatched} vs ${peerPivot.matched}`);
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const rows = [
    ['first rows after opening the case', results.map((r) => r.firstRowsMs), `goal < ${GOALS.firstRows}`],
    ['  facets shown', results.map((r) => r.facetsMs), 'from navigation start'],
    ['  pivot columns cached (warm)', results.map((r) => r.warmMs), 'from navigation start'],
    [`filter: ${FILTER_QUERY}`, results.map((r) => r.filterMs), `goal < ${GOALS.filter}`],
    ['  of which the query worker', results.map((r) => r.filterWorkerMs), 'evaluation and the new view'],
    ['  peer: row at a time', results.map((r) => r.peerFilterMs), 'every event decoded, then tested'],
    ['  ratio peer / Loupe', results.map((r) => r.peerFilterMs / r.filterMs), 'x'],
    ['pivot: all events of an address', results.map((r) => r.pivotMs), `goal < ${GOALS.pivot}`],
    ['  of which the query worker', results.map((r) => r.pivotWorkerMs), ''],
    ['  peer: row at a time', results.map((r) => r.peerPivotMs), 'same query'],
    ['  ratio peer / Loupe', results.map((r) => r.peerPivotMs / r.pivotMs), 'x'],
    ['scroll: longest frame', results.map((r) => r.scroll.max), `goal <= ${GOALS.frame}; ${SCROLL_FRAMES} frames of 480 px`],
    ['scroll: p95 frame', results.map((r) => r.scroll.p95), ''],
    ['scroll: frames over 50 ms', results.map((r) => r.scroll.over50), 'count'],
    ['scroll: frames with rows still loading', results.map((r) => r.scroll.blankFrames), 'count'],
    ['random jumps: longest frame', results.map((r) => r.jumps.max), `${JUMP_FRAMES} jumps anywhere in the scaled scrollbar`],
    ['random jumps: frames with rows loading', results.map((r) => r.jumps.blankFrames), 'count'],
  ];
  console.log(`\nSummary: ${fmt(events)} events, ${runs} run(s), ms unless noted: median (min, max). Scroll height ${fmt(results[0]?.scrollHeight ?? 0)} px (scaled).`);
  for (const [name, values, note] of rows) {
    const digits = note === 'x' ? 1 : 0;
    console.log(`  ${name.padEnd(62)} ${fmt(median(values), digits).padStart(8)}  (${fmt(Math.min(...values), digits)}, ${fmt(Math.max(...values), digits)})  ${note}`);
  }
  console.log(`  load average during the runs: ${load.map((l) => l.toFixed(2)).join(', ')} (other engineers' work: noisy figures when > 1)`);
  const failed = checks.filter((c) => !c.ok);
  console.log(failed.length === 0 ? `checks: all ${checks.length} passed` : `checks: ${failed.length} of ${checks.length} FAILED`);
  const out = join(root, 'bench', 'results', quick ? 'investigate-quick.json' : 'investigate.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), events, runs, goals: GOALS, filterQuery: FILTER_QUERY, loadAverage: load, summary: rows.map(([name, values, note]) => ({ name, note, median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values })), runsDetail: results, checks }, null, 2)}\n`);
  console.log(`results: ${out.slice(root.length)}`);
  return failed.length === 0 ? 0 : 1;
}
