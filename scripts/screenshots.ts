/**
 * `npm run screenshots`: renders the workbench with the demo case in Debian's Chromium and saves
 * what an analyst sees under docs/ (used by the README). Run after `npm run build`.
 */
import { chromium } from '@playwright/test';
import { resolve } from 'node:path';
import { startWebServer } from '../src/node/web-server';

const root = process.cwd();
const server = await startWebServer({ rendererDir: resolve(root, 'dist/renderer'), demoDir: resolve(root, 'demo') });
const browser = await chromium.launch({
  executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const scheme of ['dark', 'light'] as const) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: scheme });
    await page.goto(`${server.url}?demo=1`);
    await page.getByTestId('message').filter({ hasText: 'Ingest finished' }).waitFor({ timeout: 60_000 });
    // Show the port scan: scroll to the first blocked connection to port 31337 and open it.
    const row = page.getByTestId('timeline-row').filter({ hasText: ':31337' }).first();
    const scroller = page.getByTestId('timeline-scroll');
    for (let i = 0; i < 400 && !(await row.isVisible()); i++) await scroller.evaluate((el) => { el.scrollTop += el.clientHeight * 0.8; });
    await row.click();
    await page.getByTestId('event-detail').waitFor();
    await row.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const file = resolve(root, `docs/workbench-timeline${scheme === 'light' ? '-light' : ''}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
