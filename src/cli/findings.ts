/**
 * `loupe analyze --findings`: the built-in pack (plus --rules) run over the analysed events in
 * time order, printed as the `findings` of the --json document and as a readable table. Every
 * finding carries its rule's author(s) (Detection Rule License 1.1).
 */
import { DetectionRun, loadPack, timeOrder, type Finding, type TextFile } from '../core/detect';
import type { EventBlock } from '../core/index';
import { compileRules, fieldsRead, formatDiagnostic, type CompiledRuleSet, type SigmaDiagnostic } from '../core/rules';
import { readBuiltinPack, readRuleFiles } from '../node/rules/pack';
import { printable } from './summary';

/** One finding of the --json document (DESIGN.md, "The command line"). */
export interface FindingSummary {
  rule: { id: string; title: string; level: string; author: string };
  /** The same finding's authors, one by one (rule and base rules of a correlation). */
  authors: string[];
  hosts: string[];
  entities: Record<string, string>;
  first: string;
  last: string;
  count: number;
  events: number[];
}

export interface RulePack {
  readonly ruleSet: CompiledRuleSet;
  /** Load and compile problems of the extra rules (the built-in pack compiles clean). */
  readonly problems: readonly SigmaDiagnostic[];
  /** The rule files that were loaded (built-in pack first): the report hashes them as the rules' versions. */
  readonly files: readonly TextFile[];
}

/** The built-in pack and the extra rule files, compiled; problems are reported, the rest runs. */
export function loadRulePack(extra: readonly string[]): RulePack {
  const builtin = readBuiltinPack();
  const extraFiles: TextFile[] = readRuleFiles(extra);
  const pack = loadPack([...builtin.rules, ...extraFiles], builtin.data);
  const ruleSet = compileRules(pack.documents, { placeholders: pack.placeholders });
  const problems = [...pack.errors, ...ruleSet.errors].filter((d) => d.severity === 'error');
  return { ruleSet, problems, files: [...builtin.rules, ...extraFiles] };
}

/** Collects blocks as they are made, then runs the rules over all of them oldest first. */
export class BlockCollector {
  private readonly blocks = new Map<number, EventBlock>();

  add(block: EventBlock): void {
    this.blocks.set(block.blockId, block);
  }

  detect(ruleSet: CompiledRuleSet): Finding[] {
    const run = new DetectionRun(ruleSet);
    const order = timeOrder([...this.blocks.values()]);
    // Only the columns the rules read are decoded (all when a rule searches keywords), and only the
    // events a rule can match (the column pre-selection), as the detect worker does.
    const needs = fieldsRead(ruleSet.rules.map((r) => r.document));
    const fields = needs.all ? null : needs.fields;
    run.pushEvents(order, 0, order.length, (blockId) => this.blocks.get(blockId), fields, needs.raw);
    return run.finish();
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function findingSummary(f: Finding): FindingSummary {
  return {
    rule: { id: f.ruleId, title: f.title, level: f.level, author: f.authors.join('; ') },
    authors: [...f.authors],
    hosts: [...f.hosts],
    entities: { ...f.entities },
    first: iso(f.first),
    last: iso(f.last),
    count: f.count,
    events: [...f.eventIds],
  };
}

export function describeProblem(d: SigmaDiagnostic): string {
  return printable(formatDiagnostic(d));
}

/** Findings by severity: level, title, entities, span, count and author. */
export function renderFindings(findings: readonly FindingSummary[]): string[] {
  if (findings.length === 0) return ['  none'];
  const rows = findings.map((f) => [
    f.rule.level.toUpperCase(),
    printable(f.rule.title),
    printable(Object.entries(f.entities).filter(([k]) => k !== 'source.subnet' || f.entities['source.ip'] === undefined).map(([k, v]) => `${k}=${v}`).join(' ')),
    `${f.first.slice(0, 19)}Z .. ${f.last.slice(11, 19)}Z`,
    String(f.count),
    printable(f.rule.author),
  ]);
  const header = ['LEVEL', 'RULE', 'ENTITIES', 'SPAN (UTC)', 'COUNT', 'AUTHOR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [`  ${line(header)}`, ...rows.map((r) => `  ${line(r)}`)];
}
