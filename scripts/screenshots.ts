/**
 * `npm run screenshots`: renders the workbench with the demo case in Debian's Chromium and saves
 * what an analyst sees under docs/ (used by the README). Run after `npm run build`.
 */
import { chromium, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { startWebServer } from '../src/node/web-server';

const root = process.cwd();
const server = await startWebServer({ rendererDir: resolve(root, 'dist/renderer'), demoDir: resolve(root, 'demo') });
const browser = await chromium.launch({
  executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
/** The Annotations view after an analyst starred, tagged and commented a few events of the scan. */
async function annotations(page: Page) {
  const notes: readonly (readonly [tags: readonly string[], comment: string])[] = [
    [['malicious', 'scanner'], 'First probe of the Back Orifice port from the scanner'],
    [['follow-up'], 'Same source hits the MAAS API a minute later: check what it got'],
    [['benign'], 'Health check from the rack controller, not part of the attack'],
  ];
  const rows = page.getByTestId('timeline-row');
  for (let i = 0; i < notes.length; i++) {
    const [tags, comment] = notes[i]!;
    await rows.nth(12 + i * 3).click();
    await page.getByTestId('annotation-star').click();
    for (const tag of tags) {
      if (['malicious', 'benign', 'follow-up'].includes(tag)) await page.getByTestId(`tag-${tag}`).click();
      else {
        await page.getByTestId('tag-input').fill(tag);
        await page.getByTestId('tag-input').press('Enter');
      }
    }
    await page.getByTestId('annotation-comment').fill(comment);
  }
  await page.getByTestId('tab-annotations').click();
  await page.getByTestId('annotation-item').nth(notes.length - 1).waitFor();
  await page.getByTestId('annotation-jump').first().click();
  await page.getByTestId('tab-annotations').click();
  await page.getByTestId('annotation-item').first().waitFor();
  const file = resolve(root, 'docs/workbench-annotations.png');
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}

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
    if (scheme === 'dark') await annotations(page);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
