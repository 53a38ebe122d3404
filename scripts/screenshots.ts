/**
 * `npm run screenshots`: renders the workbench with the demo case in Debian's Chromium and saves
 * what an analyst sees under docs/ (used by the README). Run after `npm run build`.
 */
import { chromium, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWebServer } from '../src/node/web-server';

const root = process.cwd();
const server = await startWebServer({ rendererDir: resolve(root, 'dist/renderer'), demoDir: resolve(root, 'demo') });
const browser = await chromium.launch({
  executablePath: process.env['LOUPE_CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
/**
 * The Annotations view after an analyst marked the scan: the selected probe of port 31337, another
 * probe of the same sweep, and the port-scan finding itself.
 */
async function annotations(page: Page) {
  const note = async (scope: Locator, tags: readonly string[], comment: string) => {
    await scope.getByTestId('annotation-star').click();
    for (const tag of tags) {
      if (['malicious', 'benign', 'follow-up'].includes(tag)) await scope.getByTestId(`tag-${tag}`).click();
      else {
        await scope.getByTestId('tag-input').fill(tag);
        await scope.getByTestId('tag-input').press('Enter');
      }
    }
    await scope.getByTestId('annotation-comment').fill(comment);
  };
  const detail = page.getByTestId('event-detail');
  await note(detail, ['malicious', 'scanner'], 'Probe of 31337 (Back Orifice) from the scanner, blocked by UFW');
  const rows = page.getByTestId('timeline-row');
  const selected = await rows.evaluateAll((all) => all.findIndex((r) => r.getAttribute('aria-selected') === 'true'));
  await rows.nth(selected + 4).click();
  await note(detail, ['follow-up'], 'Same sweep, one SYN per port: check whether any port answered');
  await page.getByTestId('tab-findings').click();
  const scan = page.getByTestId('finding-row').filter({ hasText: 'Port scan from one source' }).first();
  await scan.getByTestId('finding-annotate').click();
  await note(page.getByTestId('finding-annotation'), ['malicious'], 'Confirmed: 203.0.113.66 swept the region controller from outside');
  await page.getByTestId('tab-annotations').click();
  await page.getByTestId('annotation-item').nth(2).waitFor();
  await page.getByTestId('annotation-jump').last().click();
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
  await reportScreenshots();
} finally {
  await browser.close();
  await server.close();
}

/** The Report and Users views, and pages of the PDF the Report view downloads (pdftoppm). */
async function reportScreenshots(): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' });
  await page.goto(`${server.url}?demo=1`);
  await page.getByTestId('message').filter({ hasText: 'Ingest finished' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('tab-findings').filter({ hasText: /Findings\d+/ }).waitFor({ timeout: 60_000 });
  // A commented event, so the report quotes the analyst.
  await page.getByTestId('tab-timeline').click();
  const row = page.getByTestId('timeline-row').filter({ hasText: ':31337' }).first();
  const scroller = page.getByTestId('timeline-scroll');
  for (let i = 0; i < 400 && !(await row.isVisible()); i++) await scroller.evaluate((el) => { el.scrollTop += el.clientHeight * 0.8; });
  await row.click();
  await page.getByTestId('annotation-comment').fill('First probe of 31337 (Back Orifice) from the scanner: escalate.');
  await page.getByTestId('annotation-star').click();
  await page.getByTestId('event-detail').getByRole('button', { name: 'Close detail' }).click();

  await page.getByTestId('tab-users').click();
  await page.getByTestId('user-action').first().waitFor();
  const users = resolve(root, 'docs/workbench-users.png');
  await page.screenshot({ path: users });
  console.log(`wrote ${users}`);

  await page.getByTestId('tab-report').click();
  await page.getByTestId('report-analyst').fill('J. Doe (SOC)');
  await page.getByTestId('report-organisation').fill('Example Hosting Ltd');
  await page.getByTestId('report-reference').fill('INC-2026-0312');
  await page.getByTestId('report-finding').filter({ hasText: 'Repeated blocked connection attempts from one address' }).locator('input').uncheck();
  await page.getByTestId('report-preview-text').filter({ hasText: 'J. Doe (SOC)' }).waitFor();
  await page.waitForTimeout(500);
  const report = resolve(root, 'docs/workbench-report.png');
  await page.screenshot({ path: report });
  console.log(`wrote ${report}`);

  const download = page.waitForEvent('download');
  await page.getByTestId('report-export').click();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-shots-'));
  const pdf = join(dir, 'report.pdf');
  await (await download).saveAs(pdf);
  // Page 1 is the cover; page 5 holds F1's chart and quoted events, with the analyst's comment.
  for (const [n, name] of [[1, 'report-pdf-cover'], [5, 'report-pdf-finding']] as const) {
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(n), '-l', String(n), '-singlefile', pdf, join(dir, name)]);
    renameSync(join(dir, `${name}.png`), resolve(root, `docs/${name}.png`));
    console.log(`wrote docs/${name}.png`);
  }
  await page.close();
}
