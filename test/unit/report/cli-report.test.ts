import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoBundle } from '../../../src/node/demo/generate-demo-bundle';
import { DEMO_FACTS } from '../../../src/node/demo/demo-facts';
import { run } from '../cli/helpers';

/** `loupe analyze <demo> --pdf` read back with pdftotext (poppler-utils). */
let dir = '';
let text = '';
let stderr = '';
let json: { evidence: { path: string; sha256: string | null }[] } = { evidence: [] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-report-'));
  const info = await generateDemoBundle(join(dir, 'demo'));
  const pdf = join(dir, 'report.pdf');
  const result = await run('analyze', info.bundleDir, '--pdf', pdf, '--rules', 'test/fixtures/report-rules');
  expect(result.code).toBe(0);
  stderr = result.stderr;
  text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
  json = JSON.parse((await run('analyze', info.bundleDir, '--json')).stdout) as typeof json;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loupe analyze --pdf on the demo bundle', () => {
  it('says what it wrote', () => {
    expect(stderr).toMatch(/report written to .*report\.pdf \(\d+ pages, 3 findings\)/);
  });

  it('holds every finding with its rule author', () => {
    for (const title of ['Port scan from one source', 'SQL injection tool in the user agent', 'MAAS API token created']) expect(text).toContain(title);
    expect(text).toContain('Report tests (Loupe); ideas from the MAAS logging reference');
    expect(text).toContain(DEMO_FACTS.scannerIp);
  });

  it('quotes key events as text with their file and line', () => {
    expect(text).toContain(DEMO_FACTS.scenario.sqlInjection.userAgent.slice(0, 20));
    expect(text).toMatch(/var\/log\/kern\.log:\d+/);
  });

  it('lists every evidence file with its SHA-256', () => {
    expect(json.evidence.length).toBeGreaterThan(10);
    // pdftotext may break a long hash over two lines when a cell wraps: compare without whitespace.
    const flat = text.replace(/\s+/g, '');
    for (const e of json.evidence) {
      expect(flat).toContain(e.sha256);
      expect(flat).toContain(e.path.replace(/\s+/g, ''));
    }
  });

  it('accounts user activity from the MAAS audit log', () => {
    expect(text).toContain('User activity (MAAS audit log)');
    expect(text).toMatch(/maasops/);
    expect(text).toMatch(/operator/);
    expect(text).toContain("Started deploying 'worker-04'.");
  });
});
