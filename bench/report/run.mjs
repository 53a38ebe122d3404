// `npm run bench -- --only=report [--runs=N]`: the time to build a 50-page incident report (core
// model + pdfmake, the CLI's and the report worker's path) in Node, median of N runs (5 by
// default), beside the peer in the same run: Chromium's print-to-PDF of the same content as
// escaped HTML (DESIGN.md measured 0.7 s for 27 pages that way). Figures, not tests.
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const TARGET_PAGES = 50;

export async function runReportBench({ root, runs }) {
  const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-report-'));
  try {
    // Inside the project, so that the external pdfmake resolves from its node_modules.
    const outfile = join(root, 'dist', 'bench', 'report.bench.mjs');
    await build({
      absWorkingDir: root, entryPoints: ['bench/report/report.bench.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      external: ['pdfmake'], logLevel: 'warning',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const bench = await import(pathToFileURL(outfile).href);
    // Size the synthetic case to a 50-page report (pages grow about linearly with findings).
    let findings = 20;
    let probe = await bench.buildOnce(bench.inputsFor(findings));
    for (let i = 0; i < 4 && Math.abs(probe.pages - TARGET_PAGES) > 1; i++) {
      findings = Math.max(1, Math.round((findings * TARGET_PAGES) / probe.pages));
      probe = await bench.buildOnce(bench.inputsFor(findings));
    }
    const inputs = bench.inputsFor(findings);
    console.log(`Report: ${findings} findings x 40 events (8 quoted each), 60 evidence files, 120 audit actions -> ${probe.pages} pages, ${fmt(probe.bytes / 1e6, 2)} MB`);
    const ours = [];
    const peer = [];
    let browser;
    try {
      browser = await chromium.launch({ executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    } catch (e) {
      console.log(`  (peer skipped: Chromium did not start: ${e.message.split('\n')[0]})`);
    }
    const html = bench.peerHtml(probe.model);
    let peerPages = 0;
    for (let run = 0; run < runs; run++) {
      const r = await bench.buildOnce(inputs);
      ours.push(r.totalMs);
      console.log(`  run ${run + 1}: loupe ${fmt(r.totalMs)} ms (model + definition ${fmt(r.modelMs)} ms, pdfmake ${fmt(r.renderMs)} ms), ${r.pages} pages`);
      if (browser !== undefined) {
        const page = await browser.newPage();
        const t0 = performance.now();
        await page.setContent(html);
        const pdf = await page.pdf({ format: 'A4' });
        const ms = performance.now() - t0;
        await page.close();
        peerPages = bench.pageCount(pdf);
        peer.push(ms);
        console.log(`         chromium print-to-PDF ${fmt(ms)} ms, ${peerPages} pages`);
      }
    }
    await browser?.close();
    console.log(`\nMedian of ${runs}: loupe report ${fmt(median(ours))} ms for ${probe.pages} pages (${fmt(median(ours) / probe.pages, 1)} ms/page)`);
    if (peer.length > 0) console.log(`  peer, Chromium print-to-PDF of the same content as HTML: ${fmt(median(peer))} ms for ${peerPages} pages; ratio loupe/peer per page ${fmt((median(ours) / probe.pages) / (median(peer) / Math.max(1, peerPages)), 2)}`);
    writeFileSync(join(root, 'bench/results/report.json'), `${JSON.stringify({ pages: probe.pages, findings, runs, medianMs: median(ours), runsMs: ours, peer: { pages: peerPages, medianMs: peer.length > 0 ? median(peer) : null, runsMs: peer } }, null, 2)}\n`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
