import { join } from 'node:path';
import { DEMO_FACTS } from '../../src/node/demo/demo-facts';
import { dropFiles, folderFiles } from './drop';
import { DEMO_DIR, expect, scrollToRow, test } from './fixtures';
import type { Page } from '@playwright/test';

const demoFolder = join(DEMO_DIR, DEMO_FACTS.bundleTopDir);
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;

/** Opens the detail of the row matching `text` whose evidence is `file` (the same packet is in kern.log and syslog). */
async function openEvent(page: Page, text: string, file: string) {
  await scrollToRow(page, text);
  const rows = page.getByTestId('timeline-row').filter({ hasText: text });
  for (let i = 0; i < (await rows.count()); i++) {
    await rows.nth(i).click();
    // The row shows as selected once its detail has arrived.
    await expect(rows.nth(i)).toHaveAttribute('aria-selected', 'true');
    if ((await page.getByTestId('detail-file').textContent())?.endsWith(file) === true) return;
  }
  throw new Error(`no row "${text}" from ${file}`);
}

async function field(page: Page, name: string) {
  return page.getByTestId('detail-fields').locator(`tr[data-field="${name}"] td`);
}

test('dropping the demo bundle shows its UFW and Apache events in one UTC timeline, with every field and the raw line', async ({ app }) => {
  const files = folderFiles(demoFolder);
  await dropFiles(app, files);
  await expect(app.getByTestId('ingest-bar').or(app.getByTestId('message'))).toBeVisible();
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect(app.getByTestId('evidence-item').first()).toBeVisible();
  await expect(app.getByTestId('case-stats')).toContainText(DEMO_FACTS.host);
  // What the bundle is, and what it lacks.
  const bundle = app.getByTestId('bundle');
  await expect(bundle).toContainText(DEMO_FACTS.host);
  await expect(bundle).toContainText('sos report 4.9.0 · MAAS snap · collected 2026-03-12 18:05 UTC · zone Etc/UTC');
  // The demo carries all five families (its MAAS audit export included): no gap to show.
  await expect(app.getByTestId('bundle-gap')).toHaveCount(0);

  const ufw = DEMO_FACTS.knownUfwEvent;
  await openEvent(app, `${ufw.sourceIp}:${ufw.sourcePort} → ${ufw.destinationIp}:${ufw.destinationPort}`, ufw.file);
  const detail = app.getByTestId('event-detail');
  await expect(detail).toContainText(utc(ufw.timestampIso));
  await expect(app.getByTestId('detail-file')).toHaveText(`${DEMO_FACTS.bundleTopDir}/${ufw.file}`);
  await expect(app.getByTestId('detail-line')).toHaveText(String(ufw.line));
  await expect(await field(app, 'event.dataset')).toHaveText('ufw');
  await expect(await field(app, 'event.action')).toHaveText(ufw.action);
  await expect(await field(app, 'host.name')).toHaveText(DEMO_FACTS.host);
  await expect(await field(app, 'source.ip')).toHaveText(ufw.sourceIp);
  await expect(await field(app, 'source.port')).toHaveText(String(ufw.sourcePort));
  await expect(await field(app, 'destination.ip')).toHaveText(ufw.destinationIp);
  await expect(await field(app, 'destination.port')).toHaveText(String(ufw.destinationPort));
  await expect(await field(app, 'network.transport')).toHaveText(ufw.transport);
  await expect(await field(app, 'network.direction')).toHaveText('inbound');
  await expect(app.getByTestId('detail-raw')).toContainText(`SRC=${ufw.sourceIp} DST=${ufw.destinationIp}`);
  // rsyslog wrote the same kernel line to syslog too: one event, both places listed.
  await expect(app.getByTestId('timeline-row').filter({ hasText: `${ufw.sourceIp}:${ufw.sourcePort} → ${ufw.destinationIp}:${ufw.destinationPort}` })).toHaveCount(1);
  await expect(app.getByTestId('detail-also-in')).toHaveText(new RegExp(`^${DEMO_FACTS.bundleTopDir}/var/log/syslog, line \\d+$`));
  await expect(app.getByTestId('evidence-item').filter({ hasText: 'var/log/syslog' })).toContainText('duplicates');

  const web = DEMO_FACTS.knownApacheEvent;
  await openEvent(app, web.urlOriginal, web.file);
  await expect(detail).toContainText(utc(web.timestampIso));
  await expect(app.getByTestId('detail-line')).toHaveText(String(web.line));
  await expect(await field(app, 'event.dataset')).toHaveText('apache.access');
  await expect(await field(app, 'source.ip')).toHaveText(web.sourceIp);
  await expect(await field(app, 'http.request.method')).toHaveText(web.method);
  await expect(await field(app, 'url.original')).toHaveText(web.urlOriginal);
  await expect(await field(app, 'http.response.status_code')).toHaveText(String(web.statusCode));
  await expect(await field(app, 'http.response.body.bytes')).toHaveText(String(web.bytes));
  await expect(await field(app, 'user_agent.original')).toHaveText(web.userAgent);
  await expect(await field(app, 'host.name')).toHaveText(DEMO_FACTS.host);
});

test('the timeline is in UTC order across hosts and sources, and j/k move the selection', async ({ app }) => {
  await dropFiles(app, folderFiles(demoFolder));
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect.poll(() => app.getByTestId('timeline-row').locator('.col-time').count()).toBeGreaterThan(20);
  const times = await app.getByTestId('timeline-row').locator('.col-time').allTextContents();
  expect([...times].sort()).toEqual(times);
  await app.getByTestId('timeline-row').nth(2).click();
  await expect(app.getByTestId('timeline-row').nth(2)).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('j');
  await expect(app.getByTestId('timeline-row').nth(3)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('event-detail')).toBeVisible();
  await app.keyboard.press('k');
  await expect(app.getByTestId('timeline-row').nth(2)).toHaveAttribute('aria-selected', 'true');
});

test('Open folder… reads a sos tree through the folder picker and reports every evidence file', async ({ app }) => {
  const chooser = app.waitForEvent('filechooser');
  await app.getByTestId('open-folder').click();
  await (await chooser).setFiles(demoFolder);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  const logs = folderFiles(demoFolder).filter((f) => /\/var\/|maas_events_query_level_AUDIT\.json$/.test(f.path));
  await expect(app.getByTestId('evidence-item')).toHaveCount(logs.length);
  const kern = app.getByTestId('evidence-item').filter({ hasText: 'var/log/kern.log' });
  await expect(kern).toContainText('syslog');
  await expect(kern).not.toContainText('unparsed');
  await expect(app.getByTestId('evidence-item').filter({ hasText: 'apache2/access.log' })).toContainText('web-access');
});

test('the demo case opens by itself with ?demo=1 (what npm start shows)', async ({ page, server }) => {
  await page.goto(`${server.url}?demo=1`);
  await expect(page.getByTestId('case-name')).toHaveText(/Demo case/);
  await expect(page.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect(page.getByTestId('timeline-row').first()).toBeVisible();
  await expect(page.getByTestId('case-stats')).toContainText(DEMO_FACTS.host);
});
