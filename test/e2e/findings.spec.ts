import { join } from 'node:path';
import { DEMO_FACTS } from '../../src/node/demo/demo-facts';
import { dropFiles, folderFiles } from './drop';
import { DEMO_DIR, expect, test } from './fixtures';

const demoFolder = join(DEMO_DIR, DEMO_FACTS.bundleTopDir);

test('after ingest the Findings view lists the port scan and failed logins; a finding opens its events in the timeline', async ({ app }) => {
  await dropFiles(app, folderFiles(demoFolder));
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect(app.getByTestId('tab-findings')).toHaveText('Findings24', { timeout: 30_000 });
  await app.getByTestId('tab-findings').click();
  const rows = app.getByTestId('finding-row');
  const scan = rows.filter({ hasText: 'Port scan from one source (many blocked destination ports)' });
  await expect(scan).toHaveCount(1);
  await expect(scan).toContainText(DEMO_FACTS.scannerIp);
  await expect(scan).toContainText('Thomas Patzke');
  await expect(scan.locator('td.count')).toHaveText(String(DEMO_FACTS.scenario.portScan.distinctPorts));
  await expect(rows.filter({ hasText: 'SSH brute force' }).filter({ hasText: DEMO_FACTS.bruteForceIp })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Repeated failed MAAS UI logins' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Repeated failed web logins' })).toHaveCount(1);
  await app.screenshot({ path: '/tmp/detect-findings.png' });

  // A finding is annotated like an event: star and tag it, it is listed among the annotations.
  await scan.getByTestId('finding-annotate').click();
  const panel = app.getByTestId('finding-annotation');
  await panel.getByTestId('annotation-star').click();
  await panel.getByTestId('tag-malicious').click();
  await expect(panel.getByTestId('tag-malicious')).toHaveAttribute('aria-pressed', 'true');
  await expect(scan.getByTestId('finding-annotate')).toHaveText('★ 1');
  await expect(app.getByTestId('tab-annotations')).toContainText('1');
  await app.getByTestId('tab-annotations').click();
  await expect(app.getByTestId('annotation-item')).toContainText('Port scan from one source');
  await expect(app.getByTestId('annotation-item')).toContainText('malicious');
  await app.getByTestId('tab-findings').click();

  await scan.click();
  await expect(app.getByTestId('timeline-scroll')).toBeVisible();
  const selected = app.locator('[data-testid="timeline-row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1, { timeout: 10_000 });
  await expect(selected).toContainText(DEMO_FACTS.scannerIp);
  await expect(selected).toHaveAttribute('data-finding-event', 'true');
  await app.screenshot({ path: '/tmp/detect-timeline.png' });
});
