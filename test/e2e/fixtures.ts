import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebServer, type RunningServer } from '../../src/node/web-server';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_DIR = resolve(ROOT, 'demo');

interface Fixtures {
  /** The app, opened on an empty case. */
  app: Page;
}

interface WorkerFixtures {
  server: RunningServer;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!existsSync(resolve(ROOT, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run "npm run build" first');
      const server = await startWebServer({ rendererDir: resolve(ROOT, 'dist/renderer'), demoDir: DEMO_DIR });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await expect(page.getByTestId('case-name')).not.toHaveText('…');
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** Scrolls the virtualized timeline until a row whose text matches appears; returns that row. */
export async function scrollToRow(page: Page, text: RegExp | string) {
  const scroller = page.getByTestId('timeline-scroll');
  const row = page.getByTestId('timeline-row').filter({ hasText: text }).first();
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  for (let step = 0; step < 2000; step++) {
    if (await row.isVisible()) return row;
    const done = await scroller.evaluate((el) => {
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += el.clientHeight * 0.8;
      return atEnd;
    });
    await page.waitForTimeout(30);
    if (done && !(await row.isVisible())) break;
  }
  await expect(row).toBeVisible();
  return row;
}
