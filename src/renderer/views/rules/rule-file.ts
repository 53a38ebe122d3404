import { mainDocument } from '../../../core/detect';
import { loadRules, ruleKey, type SigmaDiagnostic, type SigmaDocument } from '../../../core/rules';
import { BUILTIN_PLACEHOLDERS } from './builtin-data';

/** What the rules list shows of one rule file (one or more Sigma documents). */
export interface RuleFileSummary {
  /** Key of the file's main document: its correlation if it has one, else its first rule. */
  readonly key: string | undefined;
  /** Keys of every document in the file (findings are per document). */
  readonly keys: readonly string[];
  readonly title: string;
  readonly level: string;
  readonly status: string;
  /** `category/product/service` as set. */
  readonly logsource: string;
  readonly kind: 'rule' | 'correlation' | 'filter' | 'invalid';
  readonly errors: readonly SigmaDiagnostic[];
}

function logsourceText(documents: readonly SigmaDocument[]): string {
  const ls = documents.flatMap((d) => (d.kind === 'correlation' ? [] : [d.logsource]))[0];
  if (ls === undefined) return '';
  return [ls.category, ls.product, ls.service].filter((x) => x !== undefined).join(' / ') || 'any';
}

/** Checked as detection compiles it: with the pack's data tables for `expand` placeholders. */
export function summarizeRuleFile(yaml: string, placeholders: Readonly<Record<string, readonly string[]>> = BUILTIN_PLACEHOLDERS): RuleFileSummary {
  const loaded = loadRules(yaml, { collectErrors: true, placeholders });
  const errors = loaded.errors.filter((e) => e.severity === 'error');
  const main = mainDocument(loaded.documents);
  const titleMatch = /^title:\s*(.+)$/m.exec(yaml);
  return {
    key: main !== undefined ? ruleKey(main) : undefined,
    keys: loaded.documents.map(ruleKey),
    title: main?.title ?? titleMatch?.[1]?.trim() ?? '(untitled)',
    level: main?.level ?? '',
    status: main?.status ?? '',
    logsource: logsourceText(loaded.documents),
    kind: errors.length > 0 || main === undefined ? 'invalid' : main.kind,
    errors,
  };
}

/** A file name for a rule: its title in lower case, words joined by `_`. */
export function ruleFileName(title: string): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80);
  return `${base === '' ? 'rule' : base}.yml`;
}
