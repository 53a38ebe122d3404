import type { CompiledRuleSet } from '../rules/engine';
import type { ReportRuleInput } from './inputs';

/**
 * The rules that ran, as the report's appendix lists them. `versions` maps a rule file (the
 * `source.file` its documents were loaded with) to the SHA-256 of its text: the exact version that
 * ran. The adapters hash (node:crypto in the CLI, hash-wasm in the worker); core only reads.
 */
export function reportRulesOf(ruleSet: Pick<CompiledRuleSet, 'rules'>, versions: ReadonlyMap<string, string>): ReportRuleInput[] {
  const seen = new Set<string>();
  const out: ReportRuleInput[] = [];
  for (const { key, document: doc } of ruleSet.rules) {
    if (seen.has(key)) continue;
    seen.add(key);
    const date = doc.modified ?? doc.date;
    const sha256 = doc.source.file !== undefined ? versions.get(doc.source.file) : undefined;
    out.push({
      id: key,
      title: doc.title,
      ...(doc.level !== undefined ? { level: doc.level } : {}),
      ...(doc.description !== undefined ? { description: doc.description.replace(/\s+/g, ' ').trim() } : {}),
      ...(doc.author !== undefined ? { author: doc.author } : {}),
      references: doc.references,
      falsePositives: doc.falsepositives,
      ...(date !== undefined ? { date } : {}),
      ...(sha256 !== undefined ? { sha256 } : {}),
      ...(doc.license !== undefined ? { license: doc.license } : {}),
    });
  }
  return out;
}
