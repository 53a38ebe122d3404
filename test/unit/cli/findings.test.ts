import { afterAll, describe, expect, it } from 'vitest';
import { buildDemoFiles } from '../../../src/node/demo/demo-files';
import { DEMO_FACTS } from '../../../src/node/demo/demo-facts';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../corpus';
import type { FindingSummary } from '../../../src/cli/findings';
import { run, TempDir } from './helpers';

/** A finding as the --json document carries it (the CLI's own type: the test reads what it writes). */
type JsonFinding = FindingSummary;

const dir = new TempDir();
afterAll(() => dir.remove());
for (const f of buildDemoFiles()) dir.file(f.relativePath, f.content, new Date(f.mtime));
const bundle = dir.path(DEMO_FACTS.bundleTopDir);

describe('loupe analyze --findings', () => {
  it('--json: the demo attack as findings, with rule, author, entities, span, count and event ids', async () => {
    const r = await run('analyze', bundle, '--findings', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; events: number };
    const scan = doc.findings.find((f) => f.rule.title.startsWith('Port scan'))!;
    expect(scan.rule).toEqual({
      id: '4a240e32-bf50-44f3-9c6a-a4f25d1574c4', title: 'Port scan from one source (many blocked destination ports)', level: 'high',
      author: 'Thomas Patzke (SigmaHQ, original rule); Loupe project (correlation form and thresholds); Loupe project',
    });
    expect(scan.entities).toEqual({ 'source.ip': DEMO_FACTS.scannerIp, 'source.subnet': '203.0.113.0/24' });
    expect(scan.hosts).toEqual([DEMO_FACTS.host]);
    expect(scan.count).toBe(DEMO_FACTS.scenario.portScan.distinctPorts);
    expect(scan.events.length).toBe(scan.count);
    expect(scan.first).toMatch(/^2026-03-12T09:12:0\dZ|^2026-03-12T09:12:0\d\.\d{3}Z$/);
    // Most severe first; every finding names its author(s).
    const levels = doc.findings.map((f) => ['critical', 'high', 'medium', 'low', 'informational'].indexOf(f.rule.level));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(doc.findings.every((f) => f.rule.author.length > 0 && f.authors.length > 0)).toBe(true);
    const brute = doc.findings.find((f) => f.rule.title.startsWith('SSH brute force') && f.entities['source.ip'] === DEMO_FACTS.bruteForceIp);
    expect(brute?.count).toBe(66);
    expect(doc.findings.length).toBe(24);
  });

  it('the readable table lists findings by severity with their authors', async () => {
    const r = await run('analyze', bundle, '--findings');
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf('Findings'));
    expect(table).toMatch(/LEVEL +RULE +ENTITIES +SPAN \(UTC\) +COUNT +AUTHOR/);
    expect(table).toMatch(/HIGH +Port scan from one source \(many blocked destination ports\) +source\.ip=203\.0\.113\.66 +2026-03-12T09:12:0\dZ \.\. 09:13:5\dZ +150 +Thomas Patzke/);
    expect(table.indexOf('HIGH')).toBeLessThan(table.indexOf('MEDIUM'));
  });

  it('without --findings the rules do not run', async () => {
    const r = await run('analyze', bundle, '--json');
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('--rules: a bad rule is reported with file and line, the good ones run', async () => {
    const rules = new TempDir();
    rules.file('bad.yml', 'title: broken\nlogsource: {category: webserver}\ndetection:\n  sel:\n    cs-uri-query|containz: x\n  condition: sel\n');
    rules.file('nikto.yml', [
      'title: Nikto user agent', 'id: 0b5cfd7e-4d4b-4c4f-9b67-1f4cf8f3a0a1', 'author: Test Author', 'level: low',
      'logsource: {category: webserver}', 'detection:', '  sel:', "    cs-user-agent|contains: 'Nikto'", '  condition: sel', '',
    ].join('\n'));
    const r = await run('analyze', bundle, '--rules', rules.root, '--json');
    rules.remove();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rule not loaded: .*bad\.yml:5.*containz/);
    const nikto = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule.title === 'Nikto user agent');
    // Nikto's requests in the Apache access log, and those Apache passed on to regiond.
    const niktoLines = buildDemoFiles().filter((f) => /access\.log$|regiond\.log$/.test(f.relativePath)).flatMap((f) => f.content.split('\n')).filter((l) => l.includes('Nikto'));
    expect(niktoLines.length).toBe(86);
    expect(nikto.map((f) => [f.rule.author, f.entities['source.ip'], f.count])).toEqual([['Test Author', DEMO_FACTS.scannerIp, niktoLines.length]]);
  });

  it.skipIf(!hasCorpus)(`--rules with SigmaHQ's web and Linux rules, unmodified (${hasCorpus ? 'corpus' : CORPUS_MISSING})`, async () => {
    const r = await run('analyze', bundle, '--rules', corpusPath('sigma/rules/web'), '--rules', corpusPath('sigma/rules/linux'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const sigmaHq = findings.filter((f) => !f.rule.author.includes('Loupe project'));
    console.log(`SigmaHQ rules over the demo bundle:\n${sigmaHq.map((f) => `  ${f.rule.level} ${f.rule.title} (${f.rule.author}) ${JSON.stringify(f.entities)} x${f.count}`).join('\n')}`);
    expect(sigmaHq.some((f) => /SQL Injection/i.test(f.rule.title))).toBe(true);
    expect(sigmaHq.every((f) => f.rule.author.length > 0)).toBe(true);
  });
});
