// `node bench/investigate/profile.mjs [--events=N] [--phase=open|filter|pivot|scroll]`: CPU profiles of
// the investigation view (page and query worker, through the DevTools protocol) on the built app.
// The case is seeded once into a profile kept in /tmp/loupe-profile-investigate (same port, same
// origin), so repeated profiles skip the 30 s seeding. Writes .cpuprofile files to /tmp and prints
// the top self-time functions of each.
/* global document, requestAnimationFrame */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keptSeededBrowser } from './run.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const events = Number(argv.find((a) => a.startsWith('--events='))?.slice(9) ?? 1_000_000);
const phase = argv.find((a) => a.startsWith('--phase='))?.slice(8) ?? 'open';
const profiling = !argv.includes('--no-profile');
const { server, context, page } = await keptSeededBrowser(root, events, 'loupe-prof-');
await page.goto('about:blank');
const cdp = await context.newCDPSession(page);
// Workers: attached through the page's session (not flattened), driven with sendMessageToTarget.
const workers = new Map();
let nextId = 1;
const pending = new Map();
cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
  const m = JSON.parse(message);
  if (m.id !== undefined && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
  void sessionId;
});
const toWorker = (sessionId, method, params = {}) => new Promise((resolve) => {
  const id = nextId++;
  pending.set(id, resolve);
  void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
});
cdp.on('Target.attachedToTarget', async ({ sessionId, targetInfo, waitingForDebugger }) => {
  workers.set(sessionId, targetInfo);
  await toWorker(sessionId, 'Profiler.enable');
  await toWorker(sessionId, 'Profiler.setSamplingInterval', { interval: 200 });
  if (profiling) await toWorker(sessionId, 'Profiler.start');
  if (waitingForDebugger) await toWorker(sessionId, 'Runtime.runIfWaitingForDebugger');
});
await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });

const marks = {};
if (phase === 'open' && profiling) await cdp.send('Profiler.start');
await page.goto(server.url);
marks.firstRows = await (await page.waitForFunction(() => (document.querySelector('[data-testid="timeline-row"] .col-time') !== null ? performance.now() : false), undefined, { polling: 'raf', timeout: 600_000 })).jsonValue();
marks.facets = await (await page.waitForFunction(() => (document.querySelector('[data-field="source.ip"] [data-testid="facet-value"]') !== null ? performance.now() : false), undefined, { polling: 100, timeout: 600_000 })).jsonValue();
if (phase !== 'open') {
  await page.waitForFunction(() => document.querySelector('.investigation[data-warm="true"]') !== null, undefined, { timeout: 600_000 });
  if (profiling) {
    for (const [sessionId] of workers) { await toWorker(sessionId, 'Profiler.stop'); await toWorker(sessionId, 'Profiler.start'); }
    await cdp.send('Profiler.start');
  }
  const t0 = Date.now();
  if (phase === 'filter' || phase === 'pivot') {
    await page.getByTestId('filter-input').fill('event.dataset:apache.access AND http.response.status_code:404');
    await page.getByTestId('filter-input').press('Enter');
    await page.waitForFunction(() => / of /.test(document.querySelector('[data-testid="filter-count"]')?.textContent ?? ''));
    marks.filter = Date.now() - t0;
  }
  if (phase === 'pivot') {
    await page.getByTestId('timeline-row').first().click();
    await page.locator('[data-testid="timeline-row"][aria-selected="true"]').first().waitFor();
    const t1 = Date.now();
    await page.getByTestId('pivot').filter({ hasText: 'All events of address' }).first().click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="filter-input"]')?.value ?? '').startsWith('source.ip:') && document.querySelector('[data-testid="timeline-row"] .col-time') !== null);
    marks.pivot = Date.now() - t1;
  }
  if (phase === 'scroll') {
    marks.scroll = await page.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('[data-testid="timeline-scroll"]');
      const deltas = [];
      let last = performance.now();
      let n = 0;
      const step = (now) => { deltas.push(now - last); last = now; el.scrollTop += 480; if (++n < 240) requestAnimationFrame(step); else resolve(Math.max(...deltas.slice(1))); };
      requestAnimationFrame(step);
    }));
  }
}
await new Promise((r) => setTimeout(r, 300));
console.log('marks', JSON.stringify(marks));
mkdirSync('/tmp/loupe-profiles', { recursive: true });
const report = (name, profile) => {
  const file = `/tmp/loupe-profiles/${phase}-${name}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${name}: ${Math.round(total)} ms sampled -> ${file}`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
};
if (profiling) report('page', (await cdp.send('Profiler.stop')).profile);
for (const [sessionId, info] of workers) {
  const m = await toWorker(sessionId, 'Profiler.stop');
  if (profiling && m.result?.profile !== undefined) report(`worker-${info.title || info.url.split('/').pop()}`, m.result.profile);
}
await context.close();
await server.close();
