import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/cli/main';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../corpus';
import { ACCESS_TEXT, KERN_TEXT, parseDocument, run, TempDir, UFW_LINE, type JsonDocument } from './helpers';
import { tarBytes } from '../../support/tar-writer';

const temps: TempDir[] = [];
function temp(): TempDir {
  const dir = new TempDir();
  temps.push(dir);
  return dir;
}
afterAll(() => { for (const dir of temps) dir.remove(); });

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses NDJSON and drops what differs between two copies of a file (its name). */
function ndjsonEvents(text: string): Record<string, unknown>[] {
  return text.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectAccounted(doc: JsonDocument): void {
  for (const e of doc.evidence) expect(e.lines, e.path).toBe(e.parsed + e.continued + e.unparsed);
  expect(doc.events).toBe(doc.evidence.reduce((n, e) => n + e.parsed + e.unparsed, 0));
  expect(Object.values(doc.datasets).reduce((a, b) => a + b, 0)).toBe(doc.events);
}

describe('loupe analyze --json', () => {
  it('prints exactly one document with the contract schema, every line accounted for', async () => {
    const dir = temp();
    const kern = dir.file('logs/kern.log', KERN_TEXT);
    dir.file('logs/apache2/access.log', ACCESS_TEXT);
    const r = await run('analyze', dir.path('logs'), '--json');
    expect(r.code).toBe(0);
    const doc = parseDocument(r.stdout);
    expect(Object.keys(doc)).toEqual(['evidence', 'hosts', 'events', 'datasets', 'findings']);
    expect(doc.evidence.map((e) => e.path)).toEqual(['logs/apache2/access.log', 'logs/kern.log']);
    for (const e of doc.evidence) {
      expect(Object.keys(e)).toEqual(['path', 'sha256', 'bytes', 'format', 'host', 'lines', 'parsed', 'continued', 'unparsed', 'errors']);
    }
    const k = doc.evidence[1]!;
    expect(k).toMatchObject({ format: 'syslog', host: 'region', lines: 3, parsed: 2, continued: 0, unparsed: 1, bytes: Buffer.byteLength(KERN_TEXT) });
    expect(k.sha256).toBe(sha256(kern));
    expect(k.errors).toEqual([expect.stringContaining('not understood as syslog')]);
    expect(doc.evidence[0]).toMatchObject({ format: 'web-access', lines: 1, parsed: 1, errors: [] });
    expect(doc).toMatchObject({ hosts: ['region'], events: 4, datasets: { ufw: 1, kernel: 1, unparsed: 1, 'apache.access': 1 }, findings: [] });
    expectAccounted(doc);
  });

  it('reads a loose file under its base name', async () => {
    const dir = temp();
    const kern = dir.file('a/b/kern.log', KERN_TEXT);
    const doc = parseDocument((await run('analyze', '--json', kern)).stdout);
    expect(doc.evidence.map((e) => e.path)).toEqual(['kern.log']);
  });

  it('reads gzip by its magic bytes and gives the same events as the plain file', async () => {
    const dir = temp();
    const plain = dir.file('plain/kern.log', KERN_TEXT.repeat(200));
    const gz = dir.file('gz/kern.log', gzipSync(readFileSync(plain)));
    // Misnamed on purpose: detection is by content, not by name.
    const misnamed = dir.file('gz2/kern.log.1', gzipSync(readFileSync(plain)));
    const docs = await Promise.all([plain, gz, misnamed].map(async (p) => {
      const out = dir.path(`${p.split('/').slice(-2).join('-')}.ndjson`);
      const r = await run('analyze', p, '--json', '--ndjson', out);
      expect(r.code).toBe(0);
      return { doc: parseDocument(r.stdout), events: ndjsonEvents(readFileSync(out, 'utf8')) };
    }));
    const [a, b, c] = docs;
    expect(b!.doc.evidence[0]).toMatchObject({ lines: 600, parsed: 400, unparsed: 200, bytes: readFileSync(gz).length, sha256: sha256(gz) });
    expect(b!.doc.evidence[0]!.errors).toEqual(a!.doc.evidence[0]!.errors);
    expect(c!.doc.evidence[0]!.sha256).toBe(sha256(misnamed));
    const strip = (events: Record<string, unknown>[]): Record<string, unknown>[] => events.map(({ ['log.file.path']: _path, ...rest }) => rest);
    expect(a!.events).toHaveLength(400 + 200);
    expect(strip(b!.events)).toEqual(strip(a!.events));
    expect(strip(c!.events)).toEqual(strip(a!.events));
    expect({ ...b!.doc, evidence: [] }).toEqual({ ...a!.doc, evidence: [] });
  });

  it('lists a corrupt .gz, a fake .xz, a damaged tar and zip with errors, opens a good tar and analyzes the rest (exit 0)', async () => {
    const dir = temp();
    dir.file('bundle/var/log/kern.log', KERN_TEXT);
    dir.file('bundle/var/log/kern.log.2.gz', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff]));
    dir.file('bundle/sosreport-x.tar.xz', Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 1, 2, 3]));
    dir.file('bundle/collected.zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0, 0]));
    const tar = new Uint8Array(1024);
    tar.set(Buffer.from('var/log/syslog'), 0);
    tar.set(Buffer.from('ustar\u000000'), 257);
    dir.file('bundle/damaged.tar', tar);
    dir.file('bundle/logs.tgz', gzipSync(tar));
    dir.file('bundle/good.tar', tarBytes([{ path: 'good/var/log/kern.log', data: KERN_TEXT }]));
    const r = await run('analyze', dir.path('bundle'), '--json');
    expect(r.code).toBe(0);
    const doc = parseDocument(r.stdout);
    const byPath = new Map(doc.evidence.map((e) => [e.path, e]));
    expect(byPath.get('bundle/var/log/kern.log')).toMatchObject({ format: 'syslog', lines: 3, errors: [expect.any(String)] });
    const corrupt = byPath.get('bundle/var/log/kern.log.2.gz')!;
    expect(corrupt).toMatchObject({ format: 'none', lines: 0 });
    expect(corrupt.errors).toEqual([expect.stringMatching(/^corrupt gzip/)]);
    expect(corrupt.sha256).toBe(sha256(dir.path('bundle/var/log/kern.log.2.gz')));
    expect(byPath.get('bundle/sosreport-x.tar.xz')).toMatchObject({ format: 'archive', lines: 0, errors: [expect.stringMatching(/^xz data is damaged or truncated/)] });
    expect(byPath.get('bundle/collected.zip')).toMatchObject({ format: 'archive', errors: ['not a zip file, or truncated: end of central directory not found'] });
    expect(byPath.get('bundle/damaged.tar')!.errors).toEqual(['tar archive with a damaged header: not read']);
    expect(byPath.get('bundle/logs.tgz')!.errors).toEqual(['tar.gz archive with a damaged header: not read']);
    expect(byPath.get('bundle/good.tar')).toMatchObject({ format: 'archive', errors: [], sha256: sha256(dir.path('bundle/good.tar')) });
    expect(byPath.get('good/var/log/kern.log')).toMatchObject({ format: 'syslog', lines: 3 });
    expect(doc.evidence.map((e) => e.path).indexOf('bundle/good.tar') + 1).toBe(doc.evidence.map((e) => e.path).indexOf('good/var/log/kern.log'));
    expect(doc.events).toBe(6);
    expectAccounted(doc);
  });

  it('exits 1 when nothing could be read, still printing the document', async () => {
    const dir = temp();
    const gz = dir.file('bad.gz', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const xz = dir.file('fake.xz', Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 9, 9, 9]));
    const r = await run('analyze', gz, xz, '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing could be read');
    const doc = parseDocument(r.stdout);
    expect(doc.evidence).toHaveLength(2);
    expect(doc.events).toBe(0);
    expect(doc.evidence.every((e) => e.errors.length > 0)).toBe(true);
  });

  it('exits 1 on a folder with no files', async () => {
    const dir = temp();
    mkdirSync(dir.path('void'));
    const r = await run('analyze', dir.path('void'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing to analyze');
  });

  it('lists symlinks inside folders without following them', async () => {
    const dir = temp();
    const target = dir.file('outside/secret.log', KERN_TEXT);
    dir.file('bundle/var/log/kern.log', KERN_TEXT);
    symlinkSync(target, dir.path('bundle/var/log/link.log'));
    const doc = parseDocument((await run('analyze', dir.path('bundle'), '--json')).stdout);
    expect(doc.evidence.find((e) => e.path === 'bundle/var/log/link.log')).toMatchObject({ sha256: null, lines: 0, errors: ['symlink not followed'] });
    expect(doc.events).toBe(3);
  });
});

describe('loupe analyze on a sos-like folder', () => {
  const SOS = 'sosreport-host1-2026-03-12-abcdefg';

  it('takes the host from etc/hostname and lists metadata files without parsing them', async () => {
    const dir = temp();
    dir.file(`${SOS}/etc/hostname`, 'host1\n');
    dir.file(`${SOS}/version.txt`, 'sosreport: 4.5.6\n');
    dir.file(`${SOS}/var/log/kern.log`, `${UFW_LINE}\n`);
    const r = await run('analyze', dir.path(SOS), '--json');
    expect(r.code).toBe(0);
    const doc = parseDocument(r.stdout);
    expect(doc.evidence.map((e) => e.path)).toEqual([`${SOS}/etc/hostname`, `${SOS}/var/log/kern.log`, `${SOS}/version.txt`]);
    expect(doc.evidence[0]).toMatchObject({ format: 'metadata', host: 'host1', lines: 0, parsed: 0, bytes: 6, sha256: sha256(dir.path(`${SOS}/etc/hostname`)), errors: [] });
    expect(doc.evidence[1]).toMatchObject({ format: 'syslog', host: 'host1', lines: 1, parsed: 1 });
    expect(doc.evidence[2]).toMatchObject({ format: 'metadata', host: 'host1' });
    expect(doc.datasets).toEqual({ ufw: 1 });
    // The line names its own host; the bundle names its host too.
    expect(doc.hosts).toEqual(['host1', 'region']);
  });

  it('falls back to the host in the sos folder name without a hostname file', async () => {
    const dir = temp();
    dir.file('sosreport-region2-2026-03-12-qwertyu/var/log/kern.log', `${UFW_LINE}\n`);
    const doc = parseDocument((await run('analyze', dir.path('sosreport-region2-2026-03-12-qwertyu'), '--json')).stdout);
    expect(doc.evidence[0]!.host).toBe('region2');
  });

  it.skipIf(!hasCorpus)(`reads the 44 real UFW lines of pogo-bot (${hasCorpus ? 'corpus found' : CORPUS_MISSING})`, async () => {
    const dir = temp();
    const lines = corpusLines('maas/ufw/pogo-bot.ufw.log');
    expect(lines).toHaveLength(44);
    dir.file(`${SOS}/etc/hostname`, 'host1\n');
    const kern = dir.file(`${SOS}/var/log/kern.log`, readFileSync(corpusPath('maas/ufw/pogo-bot.ufw.log')), new Date('2017-08-17T00:00:00Z'));
    const out = dir.path('events.ndjson');
    const r = await run('analyze', dir.path(SOS), '--json', '--ndjson', out);
    expect(r.code).toBe(0);
    const doc = parseDocument(r.stdout);
    const log = doc.evidence.find((e) => e.path === `${SOS}/var/log/kern.log`)!;
    expect(log).toMatchObject({ host: 'host1', format: 'syslog', lines: 44, parsed: 44, continued: 0, unparsed: 0, errors: [], sha256: sha256(kern) });
    expect(doc.datasets).toEqual({ ufw: 44 });
    const events = ndjsonEvents(readFileSync(out, 'utf8'));
    expect(events).toHaveLength(44);
    expect(events.map((e) => e['event.original'])).toEqual(lines);
    expect(events[0]).toMatchObject({ '@timestamp': '2017-07-31T20:23:19.000Z', 'event.dataset': 'ufw', 'source.ip': '37.139.50.4', 'log.file.line': 1, 'log.offset': 0 });
  });
});

describe('loupe analyze --ndjson', () => {
  it('writes one ECS event per line with evidence fields', async () => {
    const dir = temp();
    dir.file('logs/kern.log', KERN_TEXT);
    const out = dir.path('events.ndjson');
    const r = await run('analyze', dir.path('logs'), '--ndjson', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Events written to ${out}`);
    const events = ndjsonEvents(readFileSync(out, 'utf8'));
    expect(events).toHaveLength(3);
    for (const e of events) expect(e['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(events[0]).toMatchObject({
      '@timestamp': '2026-03-12T08:00:01.000Z', 'event.dataset': 'ufw', 'host.name': 'region',
      'log.file.path': 'logs/kern.log', 'log.file.line': 1, 'log.offset': 0, 'event.original': UFW_LINE,
    });
    expect(events[2]).toMatchObject({ 'event.dataset': 'unparsed', 'log.file.line': 3, 'log.offset': KERN_TEXT.indexOf('garbage'), 'event.original': 'garbage line' });
  });

  it('streams to stdout with - (backpressure honoured) and puts the summary on stderr', async () => {
    const dir = temp();
    dir.file('logs/kern.log', KERN_TEXT.repeat(3000));
    const r = await run('analyze', dir.path('logs'), '--ndjson', '-');
    expect(r.code).toBe(0);
    const events = ndjsonEvents(r.stdout);
    expect(events).toHaveLength(9000);
    expect(events.every((e) => typeof e['@timestamp'] === 'string')).toBe(true);
    expect(r.stderr).toContain('Evidence');
  });

  it('refuses an NDJSON file it cannot create (exit 2)', async () => {
    const dir = temp();
    dir.file('kern.log', KERN_TEXT);
    const r = await run('analyze', dir.path('kern.log'), '--ndjson', dir.path('no/such/folder/x.ndjson'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write/);
  });
});

describe('loupe readable summary', () => {
  it('shows evidence, datasets, time range and findings, and no progress line off a terminal', async () => {
    const dir = temp();
    dir.file('logs/kern.log', KERN_TEXT);
    const r = await run('analyze', dir.path('logs'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PATH +FORMAT +LINES +PARSED +CONT +UNPARSED +HOST/);
    expect(r.stdout).toMatch(/logs\/kern\.log +syslog +3 +2 +0 +1 +region/);
    expect(r.stdout).toMatch(/ufw +1/);
    expect(r.stdout).toContain('2026-03-12T08:00:01Z .. 2026-03-12T08:00:02Z');
    expect(r.stdout).toContain('Findings');
    expect(r.stderr).toBe('');
  });

  it('escapes control characters of hostile file names', async () => {
    const dir = temp();
    dir.file('logs/evil\u001b]0;pwned\u0007.log', KERN_TEXT);
    const r = await run('analyze', dir.path('logs'));
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('evil\\u001b]0;pwned\\u0007.log');
  });
});

describe('loupe usage', () => {
  it('prints help and version (exit 0)', async () => {
    for (const argv of [['--help'], ['analyze', '--help'], ['-h'], ['help']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: loupe analyze');
      expect(r.stdout).toContain('Archives');
    }
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const v = await run('--version');
    expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(VERSION).toBe(pkg.version);
  });

  it('exits 2 on bad usage', async () => {
    const dir = temp();
    const kern = dir.file('kern.log', KERN_TEXT);
    const cases: [string[], RegExp][] = [
      [['analyze', kern, '--bogus'], /Unknown option '--bogus'/],
      [['analyze'], /no evidence given/],
      [[], /Usage: loupe analyze/],
      [['inspect', kern], /unknown command 'inspect'/],
      [['analyze', dir.path('missing.log')], /missing\.log: no such file or folder/],
      [['analyze', kern, '--ndjson'], /argument missing/],
      [['analyze', kern, '--json', '--ndjson', '-'], /both want stdout/],
      [['analyze', kern, '--pdf', ''], /--pdf needs a file name/],
      [['analyze', kern, '--rules', dir.path('no-such-rules')], /--rules: .*no-such-rules does not exist/],
      [['analyze', kern, '--tz', 'Mars/Olympus_Mons'], /unknown time zone/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      expect(r.stdout, argv.join(' ')).toBe('');
    }
  });

  it('accepts a valid --tz and says it applied it', async () => {
    const dir = temp();
    const kern = dir.file('kern.log', KERN_TEXT);
    const r = await run('analyze', kern, '--tz', 'Europe/Berlin');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--tz Europe/Berlin applied');
    const j = await run('analyze', kern, '--tz', 'UTC', '--json');
    expect(j.code).toBe(0);
    expect(parseDocument(j.stdout).events).toBe(3);
  });
});
