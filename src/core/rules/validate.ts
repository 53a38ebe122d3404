/**
 * Semantic checks of a loaded document, each problem reported precisely and by name: unknown or
 * misplaced modifiers, values a modifier cannot take, conditions that do not parse or name an
 * undefined identifier, malformed correlations, features Loupe does not evaluate.
 */
import { SigmaError, type SigmaDiagnostic } from './errors';
import { fieldTableFor } from './fields';
import { applyModifiers, type ModifierContext } from './modifiers';
import { compileItem } from './match';
import { parseCondition, resolveCondition } from './condition';
import type { Detection, DetectionNode, LogSource, SigmaCorrelationRule, SigmaDocument } from './rule';

export type ValidateOptions = ModifierContext;

function walkItems(node: DetectionNode, visit: (item: Extract<DetectionNode, { kind: 'item' }>['item']) => void): void {
  if (node.kind === 'item') visit(node.item);
  else for (const n of node.nodes) walkItems(n, visit);
}

/** Checks a detection (identifiers and conditions); every problem, not just the first. */
export function validateDetection(detection: Detection, logsource: LogSource, options: ValidateOptions = {}, rule?: string): SigmaDiagnostic[] {
  const out: SigmaDiagnostic[] = [];
  const push = (e: unknown): void => {
    if (e instanceof SigmaError) out.push(e.toDiagnostic(rule));
    else throw e;
  };
  if (detection.timeframe !== undefined) {
    out.push({
      code: 'legacy',
      message: "'timeframe' is the pre-v2 aggregation window; rewrite the rule as a correlation rule with 'timespan'",
      severity: 'error',
      ...detection.timeframeLoc,
      ...(rule !== undefined ? { rule } : {}),
    });
  }
  const table = fieldTableFor(logsource);
  const matchOptions = { ...options, ...(table !== undefined ? { table } : {}) };
  for (const id of detection.identifiers) {
    walkItems(id.node, (item) => {
      try {
        const modified = applyModifiers(item, options);
        compileItem(modified, matchOptions);
        if (modified.all && item.values.length === 1 && item.list === false) {
          out.push({
            code: 'modifier',
            message: `'all' on a single value has no effect (the spec allows it on lists only)`,
            severity: 'warning',
            ...item.loc,
            ...(rule !== undefined ? { rule } : {}),
          });
        }
      } catch (e) {
        push(e);
      }
    });
  }
  const names = detection.identifiers.map((i) => i.name);
  for (const c of detection.conditions) {
    const source = c.loc !== undefined ? { loc: c.loc } : {};
    try {
      resolveCondition(parseCondition(c.text, source), names, source);
    } catch (e) {
      push(e);
    }
  }
  return out;
}

/** Checks the parts of a correlation that do not depend on other documents. */
export function validateCorrelation(doc: SigmaCorrelationRule): SigmaDiagnostic[] {
  const out: SigmaDiagnostic[] = [];
  const c = doc.correlation;
  const at = { ...(c.loc ?? {}), rule: doc.title };
  const error = (code: SigmaDiagnostic['code'], message: string): void => {
    out.push({ code, message, severity: 'error', ...at });
  };
  if (c.type === 'value_percentile') error('unsupported', "the correlation type 'value_percentile' is not supported (event_count, value_count, value_sum, value_avg, temporal and temporal_ordered are)");
  const rules = new Set(c.rules);
  for (const [alias, perRule] of Object.entries(c.aliases)) {
    if (!c.groupBy.includes(alias)) {
      out.push({ code: 'correlation', message: `alias '${alias}' is not used in 'group-by'`, severity: 'warning', ...at });
    }
    for (const ruleRef of Object.keys(perRule)) {
      if (!rules.has(ruleRef)) error('correlation', `alias '${alias}' maps rule '${ruleRef}', which is not in 'rules'`);
    }
    for (const ruleRef of c.rules) {
      if (perRule[ruleRef] === undefined) error('correlation', `alias '${alias}' gives no field for rule '${ruleRef}'`);
    }
  }
  if (new Set(c.groupBy).size !== c.groupBy.length) error('correlation', "'group-by' lists a field twice");
  if ((c.type === 'temporal' || c.type === 'temporal_ordered') && c.rules.length < 2) {
    out.push({ code: 'correlation', message: `a ${c.type} correlation over a single rule is an event_count`, severity: 'warning', ...at });
  }
  if (c.condition !== undefined) {
    const ops = c.condition.comparisons.map((x) => x.op);
    if (new Set(ops).size !== ops.length) error('correlation', 'the correlation condition repeats an operator');
    if (ops.length > 1) {
      out.push({ code: 'correlation', message: 'a range condition (several operators) is not portable to pySigma', severity: 'warning', ...at });
    }
  }
  if (doc.correlation.rules.includes(doc.id ?? '\u0000') || doc.correlation.rules.includes(doc.name ?? '\u0000')) {
    error('correlation', 'a correlation cannot reference itself');
  }
  return out;
}

export function validateDocument(doc: SigmaDocument, options: ValidateOptions = {}): SigmaDiagnostic[] {
  switch (doc.kind) {
    case 'rule':
      return validateDetection(doc.detection, doc.logsource, options, doc.title);
    case 'filter':
      return validateDetection(doc.filter.detection, doc.logsource, options, doc.title);
    case 'correlation':
      return validateCorrelation(doc);
  }
}
