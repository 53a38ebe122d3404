// `npm run bench -- --only=lab [--quick] [--runs=N]`: issue 7's live test of a rule being edited, on
// the built app (run `npm run build` first) in Debian's headless Chromium, with 1,000,000 events
// stored (100,000 with --quick; the investigation bench's seeded case: 60 % UFW blocks). The rule
// is the built-in "repeated blocked connection attempts from one address" (an event_count
// correlation over the firewall's denied packets). Timed in the page, from the input to what the
// analyst sees: opening the rule until its first matches are listed and until the full count is
// shown; then a threshold edit (`gte: 20` -> `gte: 30`, typed) from the last keystroke until the
// new count is shown. Goal: feels live (first matches well under a second, the full count of an
// edit within ~1 s). Then, on a fresh load, a selective rule: the built-in "probe of a port used by
// known hacker tools" (denied packets to a listed port), opened until its full count is shown; most
// firewall events cannot match it, which the column pre-selection sees without decoding them.
// Checked: the rule has hits, every stored event was read, and the higher threshold gives fewer
// hits.
/* global document */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachWorkers, createChecks, fmt, median, printTable } from '../../scripts/bench-common.mjs';
import { seededBrowser } from '../investigate/run.mjs';

const RULE_ID = 'e359fdd1-795e-4162-940d-71b4408be468';
const SELECTIVE_RULE_ID = 'c7d3ef90-51ca-47d8-a2e0-77e13205104b';
const TIMEOUT = 10 * 60_000;

/** Milliseconds from `__t0` (set by the armed listener) until `done` holds, polled every frame. */
async function timeSince(page, done, arg) {
  return (await page.waitForFunction(done, arg, { polling: 'raf', timeout: TIMEOUT })).jsonValue();
}

const firstMatches = () => (document.querySelector('[data-testid="rule-match"]') !== null && globalThis.__t0 !== undefined ? performance.now() - globalThis.__t0 : false);
const fullCount = (previous) => {
  const hits = document.querySelector('[data-testid="rule-test-hits"]');
  return hits?.getAttribute('data-status') === 'done' && hits.getAttribute('data-hits') !== previous && globalThis.__t0 !== undefined
    ? { ms: performance.now() - globalThis.__t0, hits: Number(hits.getAttribute('data-hits')), text: hits.parentElement?.textContent ?? '' }
    : false;
};

/** Loads the app, opens the Rules view and clicks the rule `id`, timed from the click. */
async function openRule(page, url, id) {
  await page.goto(url);
  await page.getByTestId('timeline-row').first().waitFor({ timeout: TIMEOUT });
  await page.getByTestId('open-rules').click();
  const row = page.locator(`[data-testid="rule-row"][data-rule-id="${id}"]`);
  await row.waitFor();
  await page.evaluate(() => {
    globalThis.__t0 = undefined;
    document.addEventListener('click', () => { globalThis.__t0 = performance.now(); }, { capture: true, once: true });
  });
  await row.click();
}

async function oneRun(page, url) {
  await openRule(page, url, RULE_ID);
  const r = {};
  r.openFirstMs = await timeSince(page, firstMatches);
  const open = await timeSince(page, fullCount, null);
  r.openFullMs = open.ms;
  r.openHits = open.hits;
  r.openText = open.text;
  // The threshold line, edited as a person types: two backspaces, then "50".
  const line = page.locator('.cm-line').filter({ hasText: 'gte: 20' }).first();
  await line.scrollIntoViewIfNeeded();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('3');
  await page.evaluate(() => {
    globalThis.__t0 = undefined;
    document.addEventListener('keydown', () => { globalThis.__t0 = performance.now(); }, { capture: true, once: true });
  });
  await page.keyboard.type('0');
  const edit = await timeSince(page, fullCount, String(open.hits));
  r.editFullMs = edit.ms;
  r.editHits = edit.hits;
  await openRule(page, url, SELECTIVE_RULE_ID);
  const selective = await timeSince(page, fullCount, null);
  r.selectiveFullMs = selective.ms;
  r.selectiveHits = selective.hits;
  r.selectiveText = selective.text;
  return r;
}

export async function runLabBench({ root, quick, runs, profileDir }) {
  const events = quick ? 100_000 : 1_000_000;
  const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-lab-'));
  const checks = createChecks();
  const { server, context, page } = await seededBrowser(root, tmp, events, `Rule lab benchmark${quick ? ' (quick)' : ''}: ${fmt(events)} events, ${runs} run(s)`);
  const results = [];
  const load = [loadavg()[0]];
  try {
    for (let run = 0; run < runs; run++) {
      // --cpu-profile=DIR: the page and its workers (the rule lab's among them) profiled through the run.
      const attached = profileDir === undefined ? undefined : await attachWorkers(context, page, join(profileDir, `run-${run + 1}`));
      const r = await oneRun(page, server.url);
      await attached?.stop();
      results.push(r);
      load.push(loadavg()[0]);
      console.log(`  run ${run + 1}: open: first matches ${fmt(r.openFirstMs)} ms, full ${fmt(r.openFullMs)} ms (${fmt(r.openHits)} hits); edit gte 20 -> 30: full ${fmt(r.editFullMs)} ms (${fmt(r.editHits)} hits); selective rule: full ${fmt(r.selectiveFullMs)} ms (${fmt(r.selectiveHits)} hits)`);
      console.log(`         panel: ${r.openText.replace(/\s+/g, ' ').trim()}`);
      checks.check(`run ${run + 1}: the rule has hits`, r.openHits > 0, `${r.openHits}`);
      checks.check(`run ${run + 1}: a higher threshold gives fewer hits`, r.editHits < r.openHits, `${r.editHits} vs ${r.openHits}`);
      checks.check(`run ${run + 1}: every event was read`, new RegExp(`read ${fmt(events)} of ${fmt(events)}`).test(r.openText), r.openText);
      checks.check(`run ${run + 1}: the selective rule has fewer hits, every event read`, r.selectiveHits > 0 && r.selectiveHits < r.openHits && new RegExp(`read ${fmt(events)} of ${fmt(events)}`).test(r.selectiveText), r.selectiveText);
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const series = [
    ['open the rule: first matches listed', results.map((r) => r.openFirstMs), 'ms', 'from the click'],
    ['open the rule: full count shown', results.map((r) => r.openFullMs), 'ms', `${fmt(results[0]?.openHits ?? NaN)} hits`],
    ['edit the threshold: new count shown', results.map((r) => r.editFullMs), 'ms', `from the last keystroke; ${fmt(results[0]?.editHits ?? NaN)} hits`],
    ['open a selective rule: full count shown', results.map((r) => r.selectiveFullMs), 'ms', `hacker tool ports, ${fmt(results[0]?.selectiveHits ?? NaN)} hits`],
  ];
  console.log(`\nSummary: ${fmt(events)} events, ${runs} run(s): median (min, max)`);
  printTable(['measurement', 'unit', 'median', 'min', 'max', ''], series.map(([name, values, unit, note]) => [name, unit, fmt(median(values)), fmt(Math.min(...values)), fmt(Math.max(...values)), note]), [2, 3, 4]);
  console.log(`load average during the runs: ${load.map((l) => l.toFixed(2)).join(', ')}`);
  const passed = checks.report();
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', quick ? 'lab-quick.json' : 'lab.json'), `${JSON.stringify({
    date: new Date().toISOString(), events, runs, rule: RULE_ID, loadAverage: load,
    summary: series.map(([name, values, unit, note]) => ({ name, unit, note, median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values })),
    runsDetail: results, checks: checks.list,
  }, null, 2)}\n`);
  return passed ? 0 : 1;
}
