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
interface Json {
  evidence: { path: string; sha256: string | null }[];
  findings: { rule: { id: string; title: string; author: string } }[];
}
let json: Json = { evidence: [], findings: [] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-report-'));
  const info = await generateDemoBundle(join(dir, 'demo'));
  const pdf = join(dir, 'report.pdf');
  const result = await run('analyze', info.bundleDir, '--pdf', pdf, '--rules', 'test/fixtures/report-rules');
  expect(result.code).toBe(0);
  stderr = result.stderr;
  text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
  json = JSON.parse((await run('analyze', info.bundleDir, '--json', '--rules', 'test/fixtures/report-rules')).stdout) as Json;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loupe analyze --pdf on the demo bundle', () => {
  it('says what it wrote: the findings of the built-in pack and --rules, as --findings lists them', () => {
    expect(json.findings.length).toBeGreaterThan(10);
    expect(stderr).toContain(`(${/\((\d+) pages/.exec(stderr)?.[1]} pages, ${json.findings.length} findings)`);
  });

  it('holds every finding, of the built-in pack and of --rules, with its rule author', () => {
    const flat = text.replace(/\s+/g, ' ');
    for (const f of json.findings) expect(flat).toContain(f.rule.title.replace(/\s+/g, ' '));
    for (const title of ['Port scan from one source', 'SQL injection tool in the user agent', 'MAAS API token created']) expect(text).toContain(title);
    expect(flat).toContain('Report tests (Loupe)');
    expect(flat).toContain('Thomas Patzke (SigmaHQ, original rule)');
    expect(text).toContain(DEMO_FACTS.scannerIp);
  });

  it('names each author of a correlation once', () => {
    // fw_port_scan: the correlation's "Loupe project" and its base rule's "...; Loupe project (correlation form and thresholds)".
    const line = text.split('\n').find((l) => l.startsWith('Rule author') && l.includes('Thomas Patzke'));
    expect(line).toBeDefined();
    expect(line!.match(/Loupe project/g)).toHaveLength(1);
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
