// `node bench/investigate/trace.mjs [--events=N] [--frames=240] [--jump] [--after-clear] [--css=RULES]`: a Chromium performance
// trace (devtools.timeline) of the page while the timeline scrolls as the benchmark scrolls it, on
// the built app, seeded like profile.mjs (kept in /tmp/loupe-profile-investigate-N). Prints the
// renderer main thread's time by trace event (self time), the longest main-thread tasks with what
// they held, and the frames over 33 ms with the main-thread work inside each. The raw trace goes to
// /tmp/loupe-profiles/scroll-trace.json (open it in DevTools' Performance panel).
/* global document, requestAnimationFrame */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keptSeededBrowser } from './run.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const events = Number(argv.find((a) => a.startsWith('--events='))?.slice(9) ?? 1_000_000);
const frames = Number(argv.find((a) => a.startsWith('--frames='))?.slice(9) ?? 240);
const jump = argv.includes('--jump');
/** CSS added to the page before scrolling: try a style change without a build. */
const css = argv.find((a) => a.startsWith('--css='))?.slice(6);
/** As the benchmark does: filter, clear the filter, and scroll as soon as the rows are back. */
const afterClear = argv.includes('--after-clear');
const { server, context, page } = await keptSeededBrowser(root, events, 'loupe-trace-');
await page.goto(server.url);
await page.waitForFunction(() => document.querySelector('.investigation[data-warm="true"]') !== null, undefined, { timeout: 600_000 });
if (css !== undefined) await page.addStyleTag({ content: css });
await page.waitForTimeout(500);
if (afterClear) {
  await page.getByTestId('filter-input').fill('event.dataset:apache.access AND http.response.status_code:404');
  await page.getByTestId('filter-input').press('Enter');
  await page.waitForFunction(() => / of /.test(document.querySelector('[data-testid="filter-count"]')?.textContent ?? ''));
  await page.waitForTimeout(1000);
}
const cdp = await context.newCDPSession(page);
const chunks = [];
cdp.on('Tracing.dataCollected', ({ value }) => { for (const e of value) chunks.push(e); });
const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.start', {
  transferMode: 'ReportEvents',
  traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel', 'blink.user_timing', 'v8', 'v8.execute', 'blink', 'cc', 'gpu', 'viz'] },
});
if (afterClear) {
  await page.getByTestId('filter-clear').click();
  await page.waitForFunction(() => !/ of /.test(document.querySelector('[data-testid="filter-count"]')?.textContent ?? '') && document.querySelector('[data-testid="timeline-row"] .col-time') !== null);
}
const scroll = await page.evaluate(({ frames, jump }) => new Promise((resolve) => {
  const el = document.querySelector('[data-testid="timeline-scroll"]');
  const stamps = [];
  let n = 0;
  let blank = 0;
  let seed = 12345;
  const step = (now) => {
    stamps.push(now);
    if (el.querySelector('.col-loading') !== null) blank++;
    if (jump) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      el.scrollTop = (seed / 4294967296) * (el.scrollHeight - el.clientHeight);
    } else el.scrollTop += 480;
    if (++n < frames) requestAnimationFrame(step);
    else resolve({ stamps, blank, origin: performance.timeOrigin });
  };
  requestAnimationFrame(step);
}), { frames, jump });
await cdp.send('Tracing.end');
await complete;
await context.close();
await server.close();
mkdirSync('/tmp/loupe-profiles', { recursive: true });
writeFileSync('/tmp/loupe-profiles/scroll-trace.json', JSON.stringify({ traceEvents: chunks }));

// The renderer's main thread: the thread named CrRendererMain of the process that ran our rAF.
const names = new Map();
for (const e of chunks) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const mains = [...names].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);
const countOn = (k) => chunks.filter((e) => `${e.pid}:${e.tid}` === k && e.name === 'FireAnimationFrame').length;
const main = mains.sort((a, b) => countOn(b) - countOn(a))[0];
const onMain = chunks.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
// Self time by event name: a complete event's duration less its direct children's.
const self = new Map();
const stack = [];
const tasks = [];
for (const e of onMain) {
  while (stack.length > 0 && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
  const parent = stack[stack.length - 1];
  if (parent !== undefined) parent.childDur = (parent.childDur ?? 0) + e.dur;
  else tasks.push(e);
  e.parent = parent;
  stack.push(e);
}
for (const e of onMain) {
  const key = e.name === 'FunctionCall' ? `FunctionCall ${e.args?.data?.functionName || ''}`.trim() : e.name === 'EventDispatch' ? `EventDispatch ${e.args?.data?.type ?? ''}` : e.name;
  self.set(key, (self.get(key) ?? 0) + (e.dur - (e.childDur ?? 0)) / 1000);
}
const span = (scroll.stamps[scroll.stamps.length - 1] - scroll.stamps[0]);
const busy = tasks.reduce((a, t) => a + t.dur, 0) / 1000;
console.log(`${scroll.stamps.length} frames in ${span.toFixed(0)} ms; main thread busy ${busy.toFixed(0)} ms in ${tasks.length} tasks; ${scroll.blank} frames showed loading rows`);
// Inclusive time per frame of the rendering steps (the events nest: Layout holds performLayout).
// Thread time (tdur), so other processes' load does not count.
const cpu = (e) => e.tdur ?? e.dur;
const perFrame = (name) => onMain.filter((e) => e.name === name).reduce((a, e) => a + cpu(e), 0) / 1000 / scroll.stamps.length;
const busyCpu = tasks.reduce((a, t) => a + cpu(t), 0) / 1000;
console.log(`per frame, thread time (ms): busy ${(busyCpu / scroll.stamps.length).toFixed(2)}, layout ${perFrame('Layout').toFixed(2)}, style ${perFrame('UpdateLayoutTree').toFixed(2)}, paint ${perFrame('Paint').toFixed(2)}, pre-paint ${perFrame('PrePaint').toFixed(2)}, layerize ${perFrame('Layerize').toFixed(2)}, scroll event ${(onMain.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'scroll').reduce((a, e) => a + cpu(e), 0) / 1000 / scroll.stamps.length).toFixed(2)}`);
console.log('main thread self time by trace event:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
const breakdown = (t) => {
  const inside = onMain.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
  const by = new Map();
  for (const e of inside) {
    const key = e.name === 'FunctionCall' ? 'FunctionCall' : e.name;
    by.set(key, (by.get(key) ?? 0) + (e.dur - (e.childDur ?? 0)) / 1000);
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
};
console.log('longest main-thread tasks (self time inside):');
for (const t of [...tasks].sort((a, b) => b.dur - a.dur).slice(0, 10)) console.log(`  ${(t.dur / 1000).toFixed(1).padStart(7)} ms  ${breakdown(t)}`);
// Frames: rAF stamps are page-clock ms; trace ts are µs on the same monotonic clock (timeOrigin apart).
const deltas = scroll.stamps.slice(1).map((s, i) => s - scroll.stamps[i]);
const sorted = [...deltas].sort((a, b) => a - b);
console.log(`frame deltas: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)}, over 50: ${deltas.filter((d) => d > 50).length}, over 33.4: ${deltas.filter((d) => d > 33.4).length}`);
const firstRaf = onMain.find((e) => e.name === 'FireAnimationFrame');
if (firstRaf !== undefined) {
  // Align: the first FireAnimationFrame of the trace is our first step.
  const rafs = onMain.filter((e) => e.name === 'FireAnimationFrame');
  const long = deltas.map((d, i) => [d, i]).filter(([d]) => d > 33.4).sort((a, b) => b[0] - a[0]).slice(0, 8);
  for (const [d, i] of long) {
    const a = rafs[i];
    const b = rafs[i + 1];
    if (a === undefined || b === undefined) continue;
    const between = tasks.filter((t) => t.ts >= a.ts && t.ts < b.ts);
    console.log(`  frame ${i + 1}: ${d.toFixed(1)} ms, ${between.length} tasks: ${between.sort((x, y) => y.dur - x.dur).slice(0, 4).map((t) => `${(t.dur / 1000).toFixed(1)} ms [${breakdown(t)}]`).join(' | ')}`);
  }
}
