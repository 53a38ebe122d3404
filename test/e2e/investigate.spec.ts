import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { DEMO_FACTS } from '../../src/node/demo/demo-facts';
import { dropFiles, folderFiles } from './drop';
import { DEMO_DIR, expect, test } from './fixtures';

const demoFolder = join(DEMO_DIR, DEMO_FACTS.bundleTopDir);

async function dropDemo(page: Page) {
  await dropFiles(page, folderFiles(demoFolder));
  await expect(page.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect(page.getByTestId('timeline-row').first()).toBeVisible();
}

/** The number of events the view shows, from "N of M" (or "M events" without a filter). */
async function viewCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('filter-count').textContent()) ?? '';
  return Number(/^([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

async function filter(page: Page, query: string) {
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.getByTestId('filter-input')).toBeFocused();
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
}

test('an analyst brushes the histogram, filters by query, pivots on the scanner, stars and tags an event, and finds it all after a reload', async ({ app }) => {
  await dropDemo(app);
  const total = await viewCount(app);
  expect(total).toBeGreaterThan(1000);

  // Brush: drag across the middle of the histogram; the table keeps only that time range.
  const over = app.getByTestId('histogram-plot').locator('.u-over');
  const box = (await over.boundingBox())!;
  await app.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await app.mouse.up();
  await expect(app.getByTestId('filter-range')).toBeVisible();
  await expect.poll(() => viewCount(app)).toBeLessThan(total);
  const brushed = await viewCount(app);
  expect(brushed).toBeGreaterThan(0);
  const range = await app.evaluate(() => document.querySelector('[data-testid="filter-range"]')?.textContent ?? '');
  const [, fromText, toText] = /Time range (\S+ \S+) UTC → (\S+ \S+) UTC/.exec(range)!;
  const times = await app.getByTestId('timeline-row').locator('.col-time').allTextContents();
  for (const t of times) expect(t >= fromText! && t <= toText!, `${t} within ${fromText}..${toText}`).toBe(true);
  await app.screenshot({ path: '/tmp/inv-brush.png' });
  await app.getByTestId('filter-range-clear').click();
  await expect.poll(() => viewCount(app)).toBe(total);

  // A query: the scan's blocked connections to the hacker-tool port.
  await filter(app, `event.dataset:ufw AND destination.port:${DEMO_FACTS.knownUfwEvent.destinationPort}`);
  await expect(app.getByTestId('filter-count')).toContainText(' of ');
  const scanRows = app.getByTestId('timeline-row');
  await expect(scanRows.first()).toContainText(`:${DEMO_FACTS.knownUfwEvent.destinationPort}`);
  for (const text of await scanRows.locator('.col-summary').allTextContents()) expect(text).toContain(`→ ${DEMO_FACTS.knownUfwEvent.destinationIp}:${DEMO_FACTS.knownUfwEvent.destinationPort}`);
  for (const text of await scanRows.locator('.col-dataset').allTextContents()) expect(text).toBe('ufw');

  // A syntax error says where, and keeps the view.
  const before = await viewCount(app);
  await app.getByTestId('filter-input').click();
  await app.keyboard.press('End');
  await app.keyboard.type(' AND (');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('filter-error')).toContainText('"(" is never closed');
  await expect(app.getByTestId('filter-error').locator('mark')).toHaveText('(');
  expect(await viewCount(app)).toBe(before);

  // Pivot from the scanner's event to everything its address did, across sources.
  await scanRows.first().click();
  await expect(app.getByTestId('event-detail')).toContainText(DEMO_FACTS.scannerIp);
  await app.getByTestId('pivot').filter({ hasText: 'All events of address' }).filter({ hasText: DEMO_FACTS.scannerIp }).click();
  await expect(app.getByTestId('filter-input')).toHaveValue(`source.ip:${DEMO_FACTS.scannerIp} OR destination.ip:${DEMO_FACTS.scannerIp}`);
  await expect(app.getByTestId('filter-error')).toBeHidden();
  const ipFacet = app.locator('[data-testid="facet"][data-field="source.ip"] [data-testid="facet-value"]');
  await expect(ipFacet.first()).toContainText(DEMO_FACTS.scannerIp);
  const pivoted = await viewCount(app);
  await expect(ipFacet.first().locator('.facet-count')).toHaveText(pivoted.toLocaleString('en-US'));
  const datasets = new Set(await app.locator('[data-testid="facet"][data-field="event.dataset"] .facet-label').allTextContents());
  expect(datasets.size, 'the scanner shows in more than one source').toBeGreaterThan(1);
  // The event pivoted from stays selected and in view.
  await expect(app.locator('[data-testid="timeline-row"][aria-selected="true"]')).toBeVisible();

  // A facet click narrows further: only the scanner's web requests.
  await app.locator('[data-testid="facet"][data-field="event.dataset"] [data-testid="facet-value"]').filter({ hasText: 'apache.access' }).click();
  await expect(app.getByTestId('filter-input')).toHaveValue(`(source.ip:${DEMO_FACTS.scannerIp} OR destination.ip:${DEMO_FACTS.scannerIp}) AND event.dataset:apache.access`);
  for (const text of await app.getByTestId('timeline-row').locator('.col-dataset').allTextContents()) expect(text).toBe('apache.access');

  // Star (s) and tag (t) the selected event.
  await app.getByTestId('timeline-row').first().click();
  await expect(app.getByTestId('timeline-row').first()).toHaveAttribute('aria-selected', 'true');
  const eventId = await app.getByTestId('timeline-row').first().getAttribute('data-event-id');
  await app.keyboard.press('s');
  await expect(app.getByTestId('annotation-star')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByTestId('timeline-row').first().getByTestId('row-star')).toBeVisible();
  await app.keyboard.press('t');
  await expect(app.getByTestId('tag-input')).toBeFocused();
  await app.keyboard.type('scanner');
  await app.keyboard.press('Enter');
  await app.getByTestId('tag-malicious').click();
  await app.getByTestId('annotation-comment').fill('SQL injection from the scanner');
  await expect(app.getByTestId('tab-annotations')).toContainText('1');
  await app.screenshot({ path: '/tmp/inv-annotated.png' });

  // Events around this one: every source within ±5 minutes.
  await app.getByTestId('around').click();
  await expect(app.getByTestId('filter-range')).toBeVisible();
  await expect(app.getByTestId('filter-input')).toHaveValue('');
  await expect(app.locator(`[data-testid="timeline-row"][data-event-id="${eventId}"]`)).toHaveAttribute('aria-selected', 'true');

  // Reload: the annotation is still there.
  await app.reload();
  await expect(app.getByTestId('timeline-row').first()).toBeVisible();
  await app.getByTestId('tab-annotations').click();
  const item = app.getByTestId('annotation-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('★');
  await expect(item).toContainText('scanner');
  await expect(item).toContainText('malicious');
  await expect(item).toContainText('SQL injection from the scanner');
  await expect(item).toContainText(DEMO_FACTS.scannerIp);
  await app.screenshot({ path: '/tmp/inv-annotations.png' });
  await item.getByTestId('annotation-jump').click();
  await expect(app.locator(`[data-testid="timeline-row"][data-event-id="${eventId}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('annotation-star')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByTestId('tag-malicious')).toHaveAttribute('aria-pressed', 'true');
});

test('saved searches survive a reload; annotations export and import as JSON', async ({ app }) => {
  await dropDemo(app);
  await filter(app, `source.ip:${DEMO_FACTS.scannerIp.split('.').slice(0, 3).join('.')}.0/24`);
  await expect(app.getByTestId('filter-count')).toContainText(' of ');
  app.once('dialog', (dialog) => void dialog.accept('scanner subnet'));
  await app.getByTestId('save-search').click();
  await expect(app.getByTestId('saved-searches')).toContainText('scanner subnet');
  await app.getByTestId('timeline-row').first().click();
  await expect(app.getByTestId('timeline-row').first()).toHaveAttribute('aria-selected', 'true');
  await app.getByTestId('annotation-star').click();
  await expect(app.getByTestId('tab-annotations')).toContainText('1');
  await app.reload();
  await expect(app.getByTestId('timeline-row').first()).toBeVisible();
  await app.getByTestId('saved-searches').selectOption({ label: 'scanner subnet' });
  await expect(app.getByTestId('filter-input')).toHaveValue(`source.ip:${DEMO_FACTS.scannerIp.split('.').slice(0, 3).join('.')}.0/24`);

  await app.getByTestId('tab-annotations').click();
  const download = app.waitForEvent('download');
  await app.getByTestId('annotations-export').click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { format: string; annotations: { starred: boolean; event: { path: string; line: number } }[] };
  expect(doc.format).toBe('loupe.annotations');
  expect(doc.annotations).toHaveLength(1);
  expect(doc.annotations[0]!.starred).toBe(true);
  expect(doc.annotations[0]!.event.path).toContain(DEMO_FACTS.bundleTopDir);

  // Unstar, then import the export back: the star returns.
  await app.getByTestId('annotation-jump').click();
  await expect(app.locator('[data-testid="timeline-row"][aria-selected="true"]')).toBeVisible();
  await expect(app.getByTestId('annotation-star')).toHaveAttribute('aria-pressed', 'true');
  await app.keyboard.press('s');
  await expect(app.getByTestId('annotation-star')).toHaveAttribute('aria-pressed', 'false');
  await app.getByTestId('tab-annotations').click();
  await expect(app.getByTestId('annotation-item')).toHaveCount(0);
  await app.getByTestId('annotations-import-file').setInputFiles(file);
  await expect(app.getByTestId('message')).toContainText('Imported 1 annotation(s)');
  await expect(app.getByTestId('annotation-item')).toHaveCount(1);
  await expect(app.getByTestId('annotation-item')).toContainText('★');
});

test('display: columns, colour by host, a chosen zone and the light/dark switch', async ({ app }) => {
  await dropDemo(app);
  await app.getByTestId('columns-menu').click();
  await app.getByTestId('column-source.ip').check();
  await app.getByTestId('columns-menu').click();
  await expect(app.locator('.timeline-header')).toContainText('Source IP');
  await filter(app, `source.ip:${DEMO_FACTS.scannerIp}`);
  await expect(app.getByTestId('timeline-row').first().locator('.col-extra')).toHaveText(DEMO_FACTS.scannerIp);
  const utcTime = await app.getByTestId('timeline-row').first().locator('.col-time').textContent();
  await app.getByTestId('zone-select').selectOption('Asia/Tokyo');
  await expect(app.locator('.timeline-header')).toContainText('Time (Asia/Tokyo)');
  const tokyo = await app.getByTestId('timeline-row').first().locator('.col-time').textContent();
  // Tokyo is UTC+9 all year.
  expect(Date.parse(`${tokyo!.replace(' ', 'T')}Z`) - Date.parse(`${utcTime!.replace(' ', 'T')}Z`)).toBe(9 * 3_600_000);
  const theme = await app.evaluate(() => document.documentElement.dataset['theme']);
  await app.getByTestId('theme-toggle').click();
  expect(await app.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme === 'dark' ? 'light' : 'dark');
  await app.reload();
  expect(await app.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme === 'dark' ? 'light' : 'dark');
  await expect(app.locator('.timeline-header')).toContainText('Time (Asia/Tokyo)');
});

test('the timeline marks what findings cover, colours rows by host or dataset, zooms the histogram by wheel and shows ± N minutes around an event', async ({ app }) => {
  await dropDemo(app);
  // Findings are drawn as bands on the histogram.
  await expect(app.locator('.histogram-header')).toContainText('drawn as bands');
  await expect.poll(() => app.getByTestId('histogram-plot').locator('.uplot').getAttribute('data-bands')).not.toBeNull();
  expect(Number(await app.getByTestId('histogram-plot').locator('.uplot').getAttribute('data-bands'))).toBeGreaterThan(0);

  // Wheel zoom: finer bins; double-click: the whole case again.
  const total = app.getByTestId('histogram-total');
  const binsOf = async () => /bins of ([\d.]+ \S+)/.exec((await total.textContent()) ?? '')?.[1] ?? '';
  const whole = await binsOf();
  const over = app.getByTestId('histogram-plot').locator('.u-over');
  const box = (await over.boundingBox())!;
  await app.mouse.move(box.x + box.width * 0.15, box.y + box.height / 2);
  for (let i = 0; i < 8; i++) await app.mouse.wheel(0, -120);
  await expect.poll(binsOf).not.toBe(whole);
  await over.dblclick();
  await expect.poll(binsOf).toBe(whole);

  // Severity marks: the scanner's blocked connections are covered by the port-scan finding.
  await filter(app, `event.dataset:ufw AND source.ip:${DEMO_FACTS.scannerIp}`);
  const marked = app.locator('[data-testid="timeline-row"][data-finding-event="true"]');
  await expect(marked.first()).toBeVisible();
  await expect(marked.first().locator('.mark-level')).toHaveAttribute('aria-label', /^finding (low|medium|high|critical)$/);

  // Colour by host (the demo has one host: one colour) and by dataset (several colours).
  const shadows = () => app.getByTestId('timeline-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).style.boxShadow));
  await filter(app, '');
  await app.getByTestId('colour-select').selectOption('host');
  // Until the rows are drawn again they are all uncoloured, which is one "colour" too: wait for the inset.
  await expect.poll(async () => {
    const all = await shadows();
    return new Set(all).size === 1 && (all[0] ?? '').includes('inset');
  }).toBe(true);
  const hostColour = (await shadows())[0];
  await app.getByTestId('colour-select').selectOption('dataset');
  await expect.poll(async () => (await shadows())[0]).not.toBe(hostColour);
  // By dataset: one colour per dataset, the same for every row of it.
  const datasets = await app.getByTestId('timeline-row').locator('.col-dataset').allTextContents();
  const colourOf = new Map<string, Set<string>>();
  (await shadows()).forEach((s, i) => colourOf.set(datasets[i]!, (colourOf.get(datasets[i]!) ?? new Set()).add(s)));
  for (const [dataset, colours] of colourOf) expect(colours.size, dataset).toBe(1);
  expect(new Set([...colourOf.values()].map((c) => [...c][0])).size).toBe(colourOf.size);
  await app.getByTestId('colour-select').selectOption('none');
  await expect.poll(async () => (await shadows()).every((s) => s === '')).toBe(true);

  // ± 1 minute around an event, all sources: the range is 2 minutes wide and holds the event.
  const row = app.getByTestId('timeline-row').nth(5);
  const eventId = await row.getAttribute('data-event-id');
  const at = (await row.locator('.col-time').textContent())!;
  await row.click();
  await app.getByTestId('around-minutes').selectOption('1');
  await app.getByTestId('around').click();
  const range = app.getByTestId('filter-range');
  await expect(range).toBeVisible();
  const [, fromText, toText] = /Time range (\S+ \S+) UTC → (\S+ \S+) UTC/.exec((await range.textContent()) ?? '')!;
  const ms = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`);
  expect(ms(toText!) - ms(fromText!)).toBe(2 * 60_000);
  expect(ms(at) - ms(fromText!)).toBe(60_000);
  await expect(app.locator(`[data-testid="timeline-row"][data-event-id="${eventId}"]`)).toHaveAttribute('aria-selected', 'true');
  for (const t of await app.getByTestId('timeline-row').locator('.col-time').allTextContents()) expect(ms(t) >= ms(fromText!) && ms(t) <= ms(toText!), t).toBe(true);
});
