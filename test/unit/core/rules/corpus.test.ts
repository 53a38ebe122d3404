/**
 * The SigmaHQ rules copied to shared/corpus/sigma (PROVENANCE.md), loaded unmodified: how many
 * load and compile, why the others do not (grouped), and the webserver rules run over real
 * scanner traffic (shared/corpus/ocatak-apache-http-logs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';
import { compileRules, loadRules, type SigmaDiagnostic, type SigmaDocument } from '../../../../src/core/rules';
import { parseAccessLine } from '../../../../src/core/formats/web-access';
import type { LoupeEvent } from '../../../../src/core/model/event';

const FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'unsupported'];

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out.sort();
}

function reasonOf(d: SigmaDiagnostic): string {
  // Group by code and the message with names and values taken out.
  return `${d.code}: ${d.message.replace(/'[^']*'/g, "'…'").replace(/\/.*\//, '/…/')}`;
}

interface CorpusLoad {
  files: number;
  documents: SigmaDocument[];
  loadFailures: { file: string; errors: SigmaDiagnostic[] }[];
}

function loadCorpus(): CorpusLoad {
  const root = corpusPath('sigma');
  const files = FOLDERS.flatMap((f) => yamlFiles(join(root, f)));
  const documents: SigmaDocument[] = [];
  const loadFailures: CorpusLoad['loadFailures'] = [];
  for (const path of files) {
    const file = relative(root, path);
    const result = loadRules(readFileSync(path, 'utf8'), { file, collectErrors: true });
    documents.push(...result.documents);
    const errors = result.errors.filter((e) => e.severity === 'error');
    if (errors.length > 0) loadFailures.push({ file, errors });
  }
  return { files: files.length, documents, loadFailures };
}

describe.skipIf(!hasCorpus)('SigmaHQ corpus (shared/corpus/sigma)', () => {
  if (!hasCorpus) console.warn(CORPUS_MISSING);

  it('loads and compiles the rules; the failures are named and grouped', () => {
    const { files, documents, loadFailures } = loadCorpus();
    const ruleSet = compileRules(documents, { statuses: ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] });
    const reasons = new Map<string, string[]>();
    for (const f of loadFailures) {
      for (const e of f.errors) {
        const r = reasonOf(e);
        reasons.set(r, [...(reasons.get(r) ?? []), `${f.file}:${e.line ?? '?'}:${e.column ?? '?'}`]);
      }
    }
    for (const e of ruleSet.errors.filter((x) => x.severity === 'error')) {
      const r = `compile ${reasonOf(e)}`;
      reasons.set(r, [...(reasons.get(r) ?? []), e.rule ?? '?']);
    }
    const compiled = ruleSet.rules.length;
    const inactive = ruleSet.rules.filter((r) => r.kind === 'rule' && r.datasets.length === 0);
    const byDataset = new Map<string, number>();
    for (const r of ruleSet.rules) for (const d of r.datasets) byDataset.set(d, (byDataset.get(d) ?? 0) + 1);
    console.log(
      [
        `SigmaHQ corpus: ${files} files, ${documents.length} documents loaded, ${loadFailures.length} files with errors, ${compiled} rules compiled`,
        'Not loaded, by reason:',
        ...[...reasons].map(([r, where]) => `  ${String(where.length).padStart(3)}  ${r}\n         e.g. ${where.slice(0, 3).join(', ')}`),
        `Compiled but no Loupe dataset carries their log source: ${inactive.length}`,
        ...[...new Set(inactive.map((r) => JSON.stringify((r.document as { logsource?: unknown }).logsource)))].map((l) => `  ${l}`),
        'Rules per dataset:',
        ...[...byDataset].sort((a, b) => b[1] - a[1]).map(([d, n]) => `  ${String(n).padStart(3)}  ${d}`),
      ].join('\n'),
    );
    expect(files).toBeGreaterThanOrEqual(241);
    expect(documents.length).toBeGreaterThanOrEqual(225);
    expect(compiled).toBeGreaterThanOrEqual(225);
    // Every failure is a documented category (sigma.md D1).
    for (const r of reasons.keys()) expect(r).toMatch(/legacy|unsupported|placeholder/);
  });

  it('runs the webserver rules over real scanner traffic (acunetix, netsparker, w3af)', () => {
    const { documents } = loadCorpus();
    const web = documents.filter((d) => d.kind === 'rule' && d.logsource.category === 'webserver');
    const ruleSet = compileRules(web);
    const events: LoupeEvent[] = [];
    const perFile = new Map<string, number>();
    for (const name of ['acunetix.first2500.txt', 'netsparker.first2500.txt', 'w3af.txt']) {
      const lines = corpusLines(`ocatak-apache-http-logs/${name}`);
      let n = 0;
      lines.forEach((raw, i) => {
        const parsed = parseAccessLine(raw, 'apache.access');
        if (parsed.kind !== 'event') return;
        n++;
        events.push({
          id: events.length,
          timestamp: parsed.timestamp,
          fileId: perFile.size,
          line: i + 1,
          lineCount: 1,
          offset: 0,
          raw,
          fields: { ...parsed.fields, 'event.dataset': 'apache.access', 'log.file.path': name },
        });
      });
      perFile.set(name, n);
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    const repeat = 5;
    const t0 = performance.now();
    let matches = ruleSet.evaluate(events);
    for (let i = 1; i < repeat; i++) matches = ruleSet.evaluate(events);
    const ms = (performance.now() - t0) / repeat;
    const fired = new Map<string, { count: number; files: Set<string> }>();
    for (const m of matches) {
      const f = fired.get(m.title) ?? { count: 0, files: new Set<string>() };
      f.count += m.count;
      for (const id of m.eventIds) f.files.add(String(events[id]?.fields['log.file.path'] ?? '?'));
      fired.set(m.title, f);
    }
    console.log(
      [
        `Webserver rules over ocatak scanner logs: ${ruleSet.rules.length} rules, ${events.length} events (${[...perFile].map(([f, n]) => `${f} ${n}`).join(', ')})`,
        `  ${ms.toFixed(1)} ms per pass = ${Math.round(events.length / (ms / 1000)).toLocaleString('en')} events/s`,
        ...[...fired].sort((a, b) => b[1].count - a[1].count).map(([t, f]) => `  ${String(f.count).padStart(5)}  ${t}  [${[...f.files].join(', ')}]`),
      ].join('\n'),
    );
    expect(events.length).toBeGreaterThan(8000);
    expect([...fired.keys()].some((t) => /SQL Injection|Recon Tools|Path Traversal|Cross Site Scripting/i.test(t))).toBe(true);
  });
});
