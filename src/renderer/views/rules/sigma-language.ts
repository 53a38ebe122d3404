import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { MODIFIERS, datasetsFor, fieldTableFor, loadRules, mappedFieldNames, peekLogsource, type DetectionNode, type LogSource, type SigmaDiagnostic } from '../../../core/rules';
import { BUILTIN_PLACEHOLDERS } from './builtin-data';

/**
 * Sigma in the editor: completion of field names (the log source's taxonomy names and the ECS
 * fields the case's events of that log source carry) and of modifiers after `|`; diagnostics
 * from the core's loader and validator at their line and column, plus a warning for fields no
 * event of the log source in the case carries (sigma.md A8, "field observability").
 */

/** Per dataset, the ECS fields the case's events of it carry (empty until the case is read). */
export type ObservedFields = ReadonlyMap<string, ReadonlySet<string>>;

const MODIFIER_INFO: Readonly<Record<string, string>> = {
  contains: 'value anywhere in the field', startswith: 'field starts with the value', endswith: 'field ends with the value',
  all: 'every value of the list must match', re: 'regular expression', cidr: 'IP address in a network', exists: 'field present (true) or absent (false)',
  windash: '- also as / and other dashes', base64: 'value base64-encoded', base64offset: 'value base64-encoded at any offset',
  gt: 'greater than', gte: 'greater or equal', lt: 'less than', lte: 'less or equal', neq: 'not equal', cased: 'case-sensitive', expand: 'placeholder values',
  fieldref: 'equal to another field',
};

/** The text of the `---`-separated document holding `pos`, and where it starts. */
function documentAt(doc: Text, pos: number): { text: string; from: number } {
  const lineNo = doc.lineAt(pos).number;
  let start = 1;
  let end = doc.lines;
  for (let l = lineNo; l >= 1; l--) {
    if (/^---\s*$/.test(doc.line(l).text)) {
      start = l + 1;
      break;
    }
  }
  for (let l = lineNo + 1; l <= doc.lines; l++) {
    if (/^---\s*$/.test(doc.line(l).text)) {
      end = l - 1;
      break;
    }
  }
  if (start > end) return { text: '', from: doc.line(Math.min(start, doc.lines)).from };
  return { text: doc.sliceString(doc.line(start).from, doc.line(end).to), from: doc.line(start).from };
}

/** The log source of the document at `pos`, read leniently (the text is being typed). */
export function logsourceAt(doc: Text, pos: number): LogSource | undefined {
  return peekLogsource(documentAt(doc, pos).text);
}

const indentOf = (line: string): number => /^\s*/.exec(line)![0].length;

/** Whether line `lineNo` (being typed at column `indent`) sits under a search identifier of `detection` or `filter`. */
function inDetectionBody(doc: Text, lineNo: number, indent: number): boolean {
  const ancestors: string[] = [];
  let want = indent;
  for (let l = lineNo - 1; l >= 1 && want > 0; l--) {
    const text = doc.line(l).text;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    if (/^---\s*$/.test(text)) break;
    const i = indentOf(text);
    if (i < want) {
      ancestors.push(text.trim().replace(/^-\s*/, ''));
      want = i;
    }
  }
  // [identifier, detection] innermost first, possibly with list items in between.
  const top = ancestors[ancestors.length - 1] ?? '';
  return (top.startsWith('detection:') || top.startsWith('filter:')) && ancestors.length >= 2;
}

export function sigmaCompletion(observed: () => ObservedFields) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const m = /^(\s+)(?:-\s+)?([A-Za-z0-9_.@-]*)((?:\|[A-Za-z0-9_]*)*)$/.exec(before);
    if (m === null) return null;
    const modifiers = m[3] ?? '';
    if (!inDetectionBody(context.state.doc, line.number, m[1]!.length)) return null;
    if (modifiers !== '') {
      const typed = modifiers.slice(modifiers.lastIndexOf('|') + 1);
      const options: Completion[] = Object.keys(MODIFIERS).map((name) => ({ label: name, type: 'keyword', detail: MODIFIER_INFO[name] ?? 'modifier' }));
      return { from: context.pos - typed.length, options, validFor: /^[A-Za-z0-9_]*$/ };
    }
    const typed = m[2] ?? '';
    if (typed === '' && !context.explicit) return null;
    const logsource = logsourceAt(context.state.doc, context.pos);
    const table = logsource !== undefined ? fieldTableFor(logsource) : undefined;
    const datasets = logsource !== undefined ? [...new Set(datasetsFor(logsource).map((s) => s.dataset))] : null;
    const ecs = new Set<string>();
    for (const [dataset, fields] of observed()) if (datasets === null || datasets.includes(dataset)) for (const f of fields) ecs.add(f);
    const options: Completion[] = [];
    for (const [name] of Object.entries(table?.fields ?? {})) {
      options.push({ label: name, type: 'property', detail: `→ ${mappedFieldNames(name, table).join(' | ')}`, boost: 1 });
    }
    const taxonomy = new Set(options.map((o) => o.label));
    for (const name of [...ecs].sort()) if (!taxonomy.has(name)) options.push({ label: name, type: 'variable', detail: 'in this case' });
    return { from: context.pos - typed.length, options, validFor: /^[A-Za-z0-9_.@-]*$/ };
  };
}

function walkItems(node: DetectionNode, visit: (field: string, loc: { line?: number; column?: number } | undefined) => void): void {
  if (node.kind === 'item') {
    if (node.item.field !== null) visit(node.item.field, node.item.loc);
  } else for (const n of node.nodes) walkItems(n, visit);
}

/** Position of a 1-based line and column in the document (clamped). */
export function positionOf(doc: Text, line: number | undefined, column: number | undefined): number {
  if (line === undefined) return 0;
  const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
  return Math.min(l.to, l.from + Math.max(0, (column ?? 1) - 1));
}

function toDiagnostic(doc: Text, d: SigmaDiagnostic): Diagnostic {
  const from = positionOf(doc, d.line, d.column);
  const lineEnd = doc.lineAt(from).to;
  // Underline the word at the position (a key, a value), or one character.
  const word = /^[^\s:]+/.exec(doc.sliceString(from, lineEnd))?.[0].length ?? 1;
  return { from, to: Math.min(lineEnd, from + Math.max(1, word)), severity: d.severity, message: d.message, source: d.code };
}

/**
 * Diagnostics of a Sigma text: the loader's and validator's errors and warnings, then fields the
 * case never has for the rule's log source (`observed` known only once the case is read).
 */
export function sigmaDiagnostics(doc: Text, observedByDataset?: ObservedFields): Diagnostic[] {
  // With the pack's data tables, as detection compiles the rule: `expand` placeholders resolve.
  const loaded = loadRules(doc.toString(), { collectErrors: true, placeholders: BUILTIN_PLACEHOLDERS });
  const out = loaded.errors.map((d) => toDiagnostic(doc, d));
  if (observedByDataset === undefined || observedByDataset.size === 0) return out;
  for (const rule of loaded.documents) {
    if (rule.kind === 'correlation') continue;
    const table = fieldTableFor(rule.logsource);
    const datasets = [...new Set(datasetsFor(rule.logsource).map((s) => s.dataset))].filter((d) => observedByDataset.has(d));
    if (datasets.length === 0) continue;
    const detection = rule.kind === 'rule' ? rule.detection : rule.filter.detection;
    for (const id of detection.identifiers) {
      walkItems(id.node, (field, loc) => {
        const names = mappedFieldNames(field, table);
        if (names.some((n) => n === '@timestamp' || n === 'event.original' || datasets.some((d) => observedByDataset.get(d)!.has(n)))) return;
        out.push(toDiagnostic(doc, {
          code: 'structure',
          severity: 'warning',
          message: `no ${datasets.join(' or ')} event of this case has ${names.join(' or ')}${names[0] !== field ? ` (read for '${field}')` : ''}`,
          ...(loc?.line !== undefined ? { line: loc.line } : {}),
          ...(loc?.column !== undefined ? { column: loc.column } : {}),
        }));
      });
    }
  }
  return out;
}
