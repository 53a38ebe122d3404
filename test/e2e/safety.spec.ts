import { dropFiles, dropLargeFile, textFile } from './drop';
import { expect, scrollToRow, test } from './fixtures';

const UFW = 'Mar 12 08:00:01 region kernel: [ 12.5] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.66 DST=10.20.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 ';

test('hostile log text is shown as inert text: no script runs, escapes and bidi controls are made visible', async ({ app }) => {
  const hostile = [
    '203.0.113.9 - - [12/Mar/2026:08:00:00 +0000] "GET /<script>window.__pwned=1</script> HTTP/1.1" 404 10 "-" "<img src=x onerror=window.__pwned=2>"',
    'Mar 12 08:00:02 region sshd[1]: \u001b[31mred\u001b[0m \u202egnp.exe <svg onload=window.__pwned=3>',
    `Mar 12 08:00:03 region app: ${'A'.repeat(40_000)}`,
  ].join('\n');
  await dropFiles(app, [textFile('evil/access.log', `${hostile.split('\n')[0]}\n`), textFile('evil/syslog', `${hostile.split('\n').slice(1).join('\n')}\n`)]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished');
  const row = await scrollToRow(app, '<script>');
  await row.click();
  await expect(app.getByTestId('detail-raw')).toContainText('GET /<script>window.__pwned=1</script>');
  await expect(app.getByTestId('detail-fields')).toContainText('<img src=x onerror=window.__pwned=2>');
  const escRow = await scrollToRow(app, 'gnp.exe');
  await escRow.click();
  // ESC shows as the visible ␛ symbol, the right-to-left override as a named code point.
  await expect(app.getByTestId('detail-raw')).toContainText('␛[31mred␛[0m ⟨U+202E⟩gnp.exe <svg onload=window.__pwned=3>');
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await app.locator('img, svg[onload], script:not([type="module"])').count()).toBe(0);
});

test('cancel stops a running ingest, removes the partial file whole and keeps the finished ones', async ({ app }) => {
  // The small file's lines differ from the big one's, so none is a duplicate of the other.
  const other = UFW.replace('DPT=22', 'DPT=23');
  await dropLargeFile(app, [textFile('small/kern.log', `${other}\n${other}\n`)], 'big/kern.log', UFW, 600_000);
  const bar = app.getByTestId('ingest-bar');
  await expect(bar).toContainText('big/kern.log');
  await expect(bar).toContainText(/[1-9][\d,]* events/);
  await app.getByTestId('ingest-cancel').click();
  await expect(app.getByTestId('message')).toContainText('Ingest cancelled');
  await expect(bar).toBeHidden();
  await expect(app.getByTestId('evidence-item')).toHaveCount(1);
  await expect(app.getByTestId('evidence-item')).toHaveAttribute('title', /^small\/kern\.log\n/);
  await expect(app.getByTestId('case-stats')).toContainText('2 events');
  // What is stored is consistent after a reload too.
  await app.reload();
  await expect(app.getByTestId('case-stats')).toContainText('2 events');
  await expect(app.getByTestId('evidence-item')).toHaveCount(1);
});

test('a bad file gets its own error and the other files are ingested', async ({ app }) => {
  const corruptGzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]);
  await dropFiles(app, [textFile('b/kern.log.2.gz', corruptGzip), textFile('b/kern.log', `${UFW}\n`), textFile('b/notes.bin', new Uint8Array([0, 159, 146, 150, 10, 255, 254, 10]))]);
  await expect(app.getByTestId('message')).toContainText('1 file(s) could not be read');
  const items = app.getByTestId('evidence-item');
  await expect(items).toHaveCount(3);
  await expect(items.filter({ hasText: 'kern.log.2.gz' })).toContainText(/failed/);
  await expect(items.filter({ hasText: 'notes.bin' })).toContainText(/not valid UTF-8|unknown format/);
  await expect(app.getByTestId('case-stats')).toContainText(/^3 events/);
});

test('hostile text stays inert in facets, the filter error, pivots and annotations', async ({ app }) => {
  const user = '<img/src=x/onerror=window.__pwned=4>';
  const line = `203.0.113.9 - ${user} [12/Mar/2026:08:00:00 +0000] "GET /\u202e<script>window.__pwned=5</script> HTTP/1.1" 404 10 "-" "ua"`;
  await dropFiles(app, [textFile('evil/access.log', `${line}\n`)]);
  await expect(app.getByTestId('message')).toContainText('Ingest finished');
  const users = app.locator('[data-testid="facet"][data-field="user.name"]');
  await expect(users).toContainText(user);
  // A facet click quotes the value into the query and finds the event again.
  await users.getByTestId('facet-value').first().click();
  await expect(app.getByTestId('filter-count')).toContainText('1 events');
  await expect(app.getByTestId('filter-input')).toHaveValue(`user.name:"${user}"`);
  await app.getByTestId('filter-input').fill(`${user} AND (`);
  await app.getByTestId('filter-input').press('Enter');
  await expect(app.getByTestId('filter-error')).toContainText(user);
  const row = await scrollToRow(app, '<script>');
  await row.click();
  await expect(app.getByTestId('pivot').filter({ hasText: 'All events of user' })).toContainText(user);
  await expect(app.getByTestId('pivot').filter({ hasText: 'All requests for path' })).toContainText('⟨U+202E⟩<script>');
  await app.getByTestId('tag-input').fill('<svg onload=window.__pwned=6>');
  await app.getByTestId('tag-input').press('Enter');
  await app.getByTestId('annotation-comment').fill('<script>window.__pwned=7</script>\u202e');
  await app.getByTestId('tab-annotations').click();
  const item = app.getByTestId('annotation-item');
  await expect(item).toContainText('<svg onload=window.__pwned=6>');
  await expect(item.getByTestId('annotation-text')).toHaveText('<script>window.__pwned=7</script>⟨U+202E⟩');
  await expect(item).toContainText('<script>window.__pwned=5</script>');
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await app.locator('img, svg[onload], script:not([type="module"])').count()).toBe(0);
});
