import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_FACTS } from '../../src/node/demo/demo-facts';
import { ZONE_SOS, writeZoneSos, zoneSosFiles } from '../support/sos-fixture';
import { tarBytes } from '../support/tar-writer';
import { dropFiles, folderFiles, type DroppedFile } from './drop';
import { DEMO_DIR, expect, scrollToRow, test } from './fixtures';

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const scratch = mkdtempSync(join(tmpdir(), 'loupe-e2e-bundles-'));
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function archiveFile(path: string): DroppedFile {
  return { path: path.split('/').pop()!, base64: readFileSync(path).toString('base64'), mtime: Date.UTC(2026, 2, 12, 18, 30) };
}

test('a sos tarball built with tar -cJf: every member listed with its path inside the bundle and SHA-256, the bundle recognized, its events in the timeline', async ({ app }) => {
  const tarball = join(scratch, `${DEMO_FACTS.bundleTopDir}.tar.xz`);
  execFileSync('tar', ['-cJf', tarball, DEMO_FACTS.bundleTopDir], { cwd: DEMO_DIR });
  await dropFiles(app, [archiveFile(tarball)]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 90_000 });
  await expect(app.getByTestId('bundle')).toContainText('sos report 4.9.0 · MAAS snap · collected 2026-03-12 18:05 UTC · zone Etc/UTC');
  await expect(app.getByTestId('bundle')).toHaveCount(1);
  const archive = app.getByTestId('evidence-item').filter({ hasText: `${DEMO_FACTS.bundleTopDir}.tar.xz` });
  await expect(archive).toContainText('archive');
  await expect(archive).toHaveAttribute('title', new RegExp(`SHA-256 ${sha(readFileSync(tarball))}$`));
  // Every log of the demo folder is a member with the same path and hash as on disk.
  const logs = folderFiles(join(DEMO_DIR, DEMO_FACTS.bundleTopDir)).filter((f) => /\/var\//.test(f.path));
  for (const f of logs) {
    const item = app.getByTestId('evidence-item').filter({ hasText: f.path.slice(DEMO_FACTS.bundleTopDir.length + 1) });
    await expect(item, f.path).toHaveAttribute('title', `${f.path}\nSHA-256 ${sha(Buffer.from(f.base64, 'base64'))}`);
  }
  await expect(app.getByTestId('evidence-item').filter({ hasText: 'var/log/apache2/access.log' })).toContainText('web-access');
  await expect(app.getByTestId('evidence-item').filter({ hasText: 'var/log/kern.log' })).toContainText('syslog');
  await expect(app.getByTestId('case-stats')).toContainText(DEMO_FACTS.host);
  const ufw = DEMO_FACTS.knownUfwEvent;
  const row = await scrollToRow(app, `${ufw.sourceIp}:${ufw.sourcePort} → ${ufw.destinationIp}:${ufw.destinationPort}`);
  await row.click();
  await expect(app.getByTestId('detail-file')).toHaveText(`${DEMO_FACTS.bundleTopDir}/${ufw.file}`);
  await expect(app.getByTestId('detail-line')).toHaveText(String(ufw.line));
  await expect(app.getByTestId('event-detail')).toContainText(`${ufw.timestampIso.slice(0, 10)} ${ufw.timestampIso.slice(11, 23)}`);
  await app.screenshot({ path: '/tmp/loupe-bundles-tarxz.png' });
});

test('a zip built with zip -r: Berlin stamps stored in UTC, and the case settings re-time the host when the analyst overrides its zone', async ({ app }) => {
  writeZoneSos(scratch);
  const zip = join(scratch, 'rack02.zip');
  execFileSync('zip', ['-q', '-r', zip, ZONE_SOS.topDir], { cwd: scratch });
  await dropFiles(app, [archiveFile(zip)]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  await expect(app.getByTestId('bundle')).toContainText(`sos report ${ZONE_SOS.sosVersion} · no MAAS install seen · collected 2026-03-12 18:05 UTC · zone ${ZONE_SOS.zone}`);
  const titles = await app.getByTestId('evidence-item').evaluateAll((items) => items.map((i) => i.getAttribute('title')));
  for (const f of zoneSosFiles().filter((x) => x.path.includes('/var/'))) expect(titles, f.path).toContain(`${f.path}\nSHA-256 ${sha(f.data)}`);
  const failedRow = app.getByTestId('timeline-row').filter({ hasText: 'Failed password for root' }).first();
  await expect(failedRow).toContainText('2026-03-12 10:00:00');
  await app.getByTestId('open-case-settings').click();
  const row = app.getByTestId('zone-row').filter({ hasText: ZONE_SOS.host });
  await expect(row).toContainText(ZONE_SOS.zone);
  await row.getByTestId('zone-input').fill('America/New_York');
  await row.getByTestId('zone-apply').click();
  // Detection runs again over the re-timed case.
  await expect(app.getByTestId('zone-status')).toHaveText(new RegExp(`^${ZONE_SOS.host}: America/New_York; 5 event\\(s\\) in 4 file\\(s\\) re-timed; findings re-run: \\d+$`));
  await expect(row.getByTestId('zone-override')).toHaveText('America/New_York');
  await app.screenshot({ path: '/tmp/loupe-bundles-settings.png' });
  await app.getByTestId('case-settings-close').click();
  await expect(app.getByTestId('timeline-row').filter({ hasText: 'Failed password for root' }).first()).toContainText('2026-03-12 15:00:00');
  // The Apache line carried its offset: not moved.
  await expect(app.getByTestId('timeline-row').filter({ hasText: '/MAAS/api/2.0/machines/' })).toContainText('2026-03-12 09:41:02');
});

test('a hostile archive: a ../../etc/passwd member, a symlink and a corrupt member each show their error; the rest is ingested', async ({ app }) => {
  const t = ZONE_SOS.topDir;
  const syslog = zoneSosFiles().find((f) => f.path.endsWith('var/log/syslog'))!;
  const tar = tarBytes([
    { path: '../../etc/passwd', data: 'root:x:0:0:root:/root:/bin/bash\n' },
    { path: `${t}/var/log/link`, type: '2', linkpath: '/etc/shadow' },
    { path: `${t}/var/log/kern.log.2.gz`, data: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...new Array<number>(200).fill(0x5a)]) },
    { path: `${t}/var/log/syslog`, data: syslog.data },
  ]);
  await dropFiles(app, [{ path: 'hostile.tar', base64: Buffer.from(tar).toString('base64'), mtime: Date.UTC(2026, 2, 12, 18) }]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  const item = (text: string) => app.getByTestId('evidence-item').filter({ hasText: text });
  await expect(item('../../etc/passwd')).toContainText(/unsafe path \(.*\): not read/);
  await expect(item('var/log/link')).toContainText('symlink not followed (-> /etc/shadow)');
  await expect(item('kern.log.2.gz')).toContainText('gzip data is damaged or truncated');
  await expect(item('var/log/syslog')).toContainText('3 lines');
  await expect(app.getByTestId('timeline-row').filter({ hasText: 'Failed password for root' })).toHaveCount(2);
  // The escaping member makes no bundle of its own: only the sos report is described.
  await expect(app.getByTestId('bundle')).toHaveCount(1);
  await expect(app.getByTestId('bundle')).toContainText(ZONE_SOS.host);
  await app.screenshot({ path: '/tmp/loupe-bundles-hostile.png' });
});

test('a truncated and a damaged .tar.xz each get their own error (xz is decoded in a worker of its own); a file dropped with them is read', async ({ app }) => {
  const tarball = join(scratch, 'whole.tar.xz');
  execFileSync('tar', ['-cJf', tarball, DEMO_FACTS.bundleTopDir], { cwd: DEMO_DIR });
  const whole = readFileSync(tarball);
  const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
  const damaged = Buffer.from(whole);
  const middle = Math.floor(whole.length / 2);
  for (let i = middle; i < middle + 64; i++) damaged[i] = damaged[i]! ^ 0xa5;
  const syslog = zoneSosFiles().find((f) => f.path.endsWith('var/log/syslog'))!;
  await dropFiles(app, [
    { path: 'cut-short.tar.xz', base64: truncated.toString('base64'), mtime: Date.UTC(2026, 2, 12, 18) },
    { path: 'damaged.tar.xz', base64: damaged.toString('base64'), mtime: Date.UTC(2026, 2, 12, 18) },
    { path: 'syslog', base64: Buffer.from(syslog.data).toString('base64'), mtime: Date.UTC(2026, 2, 12, 18) },
  ]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished', { timeout: 60_000 });
  const item = (text: string) => app.getByTestId('evidence-item').filter({ hasText: text });
  await expect(item('cut-short.tar.xz').first()).toContainText(/xz data is (damaged or )?truncated/);
  await expect(item('damaged.tar.xz').first()).toContainText(/xz data is damaged/);
  // The loose syslog's two sshd failures are in the timeline.
  await app.getByTestId('filter-input').fill('host.name:rack02 AND "Failed password for root"');
  await app.getByTestId('filter-input').press('Enter');
  await expect(app.getByTestId('timeline-row').filter({ hasText: 'Failed password for root' })).toHaveCount(2);
});
