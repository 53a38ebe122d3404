import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_FACTS } from '../../src/node/demo/demo-facts';
import { dropFiles, folderFiles } from './drop';
import { DEMO_DIR, expect, scrollToRow, test } from './fixtures';

const demoFolder = join(DEMO_DIR, DEMO_FACTS.bundleTopDir);
const COMMENT = 'Scanner probing 31337: first blocked packet (analyst note)';
const DESELECTED = 'Repeated failed web logins';

test('the analyst composes the demo case report: selects findings, leaves one out, comments an event, downloads the PDF', async ({ app }) => {
  test.setTimeout(180_000);
  const files = folderFiles(demoFolder);
  await dropFiles(app, files);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 90_000 });
  await expect(app.getByTestId('tab-findings')).toContainText(/Findings\d+/, { timeout: 30_000 });

  // An annotation comment on the first blocked connection to port 31337.
  const row = await scrollToRow(app, ':31337');
  await row.click();
  await app.getByTestId('annotation-comment').fill(COMMENT);
  await expect(app.getByTestId('tab-annotations')).toContainText('1');

  await app.getByTestId('tab-report').click();
  const choices = app.getByTestId('report-finding');
  await expect(choices.first()).toBeVisible();
  const titles = await choices.locator('.choice-text').evaluateAll((els) => els.map((e) => (e.firstChild?.textContent ?? '').trim()));
  expect(titles.length).toBeGreaterThan(5);
  await choices.filter({ hasText: DESELECTED }).locator('input').uncheck();
  await app.getByTestId('report-analyst').fill('Ελένη Παπαδοπούλου');
  await app.getByTestId('report-organisation').fill('Example Ops');
  await app.getByTestId('report-classification').selectOption('TLP:RED');
  const preview = app.getByTestId('report-preview-text');
  await expect(preview).toContainText(COMMENT);
  await expect(preview.getByTestId('report-preview-finding').filter({ hasText: DESELECTED })).toHaveCount(0);
  await expect(preview).toContainText('Ελένη Παπαδοπούλου');
  await app.screenshot({ path: '/tmp/report-view.png' });

  const download = app.waitForEvent('download');
  await app.getByTestId('report-export').click();
  const file = join(mkdtempSync(join(tmpdir(), 'loupe-e2e-report-')), 'report.pdf');
  await (await download).saveAs(file);
  await expect(app.getByTestId('report-status')).toContainText('Report saved');

  const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
  const flat = (s: string) => s.replace(/\s+/g, '');
  // The rules appendix names every rule that ran; the findings end where it starts.
  const body = text.slice(0, text.lastIndexOf('Appendix A. Evidence and rules'));
  for (const title of titles.filter((t) => !t.includes(DESELECTED))) expect(flat(body)).toContain(flat(title));
  expect(body).not.toContain(DESELECTED);
  expect(flat(text)).toContain(flat(COMMENT));
  expect(text).toContain('Ελένη Παπαδοπούλου');
  expect(text).toContain('TLP:RED');
  for (const f of files) expect(flat(text)).toContain(createHash('sha256').update(Buffer.from(f.base64, 'base64')).digest('hex'));
});

test('the Users view lists who acted in MAAS; an action opens its event in the timeline', async ({ app }) => {
  await dropFiles(app, folderFiles(demoFolder));
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 90_000 });
  await app.getByTestId('tab-users').click();
  await expect(app.getByTestId('user-item').first()).toBeVisible();
  await expect(app.getByTestId('users-view')).toContainText('maasops');
  await app.getByTestId('user-item').filter({ hasText: 'maasops' }).first().click();
  const action = app.getByTestId('user-action').filter({ hasText: "Started deploying 'worker-04'." }).first();
  await expect(action).toBeVisible();
  await app.screenshot({ path: '/tmp/users-view.png' });
  await action.click();
  const selected = app.locator('[data-testid="timeline-row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1, { timeout: 10_000 });
  await expect(app.getByTestId('event-detail')).toContainText('worker-04');
});
