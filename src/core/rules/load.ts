/**
 * YAML -> Sigma documents. Multi-document files (`---`) give one document each. Every problem
 * is a SigmaError with file, line and column; `collectErrors` returns them as data (what the rule
 * editor shows live), otherwise the first one is thrown (CLI, CI).
 */
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { SigmaError, type SigmaDiagnostic, type SigmaLocation } from './errors';
import {
  CONDITION_OPERATORS,
  CORRELATION_TYPES,
  LEVELS,
  STATUSES,
  type ConditionOperator,
  type ConditionText,
  type Correlation,
  type CorrelationCondition,
  type CorrelationType,
  type Detection,
  type DetectionItem,
  type DetectionNode,
  type DetectionValue,
  type Level,
  type LogSource,
  type RelatedRule,
  type RuleMeta,
  type SearchIdentifier,
  type SigmaDocument,
  type Status,
  type YamlScalar,
} from './rule';
import { validateDocument, type ValidateOptions } from './validate';

export interface LoadOptions extends ValidateOptions {
  /** Named in every error. */
  readonly file?: string;
  /** Return errors instead of throwing the first one. */
  readonly collectErrors?: boolean;
  /** Skip the semantic checks (conditions, modifiers, correlation references); structure only. */
  readonly structureOnly?: boolean;
}

export interface LoadResult {
  /** Documents without errors. */
  readonly documents: SigmaDocument[];
  /** Errors (and warnings) in file order. */
  readonly errors: SigmaDiagnostic[];
}

const KNOWN_KEYS = new Set([
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'logsource',
  'detection',
  'fields',
  'falsepositives',
  'level',
  'license',
  'correlation',
  'filter',
  'scope',
]);

class Builder {
  constructor(
    private readonly lines: LineCounter,
    private readonly file: string | undefined,
  ) {}

  loc(node: Node | Pair | null | undefined, extraColumns = 0): SigmaLocation {
    const range = node === null || node === undefined ? undefined : 'range' in node ? node.range : ((node as Pair).key as Node | null)?.range;
    const base: SigmaLocation = this.file !== undefined ? { file: this.file } : {};
    if (range === undefined || range === null) return base;
    const pos = this.lines.linePos(range[0]);
    return { ...base, line: pos.line, column: pos.col + extraColumns };
  }

  fail(code: SigmaError['code'], message: string, node: Node | Pair | null | undefined): never {
    throw new SigmaError(code, message, this.loc(node));
  }

  str(node: Node | null | undefined, what: string): string {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    if (isScalar(node) && node.value instanceof Date) return node.value.toISOString().slice(0, 10);
    return this.fail('structure', `'${what}' must be a string`, node);
  }

  optStr(map: YAMLMap, key: string): string | undefined {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    return this.str(node, key);
  }

  /** A string or a list of strings. */
  strList(node: Node | null | undefined, what: string): string[] {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isSeq(node)) return node.items.map((item) => this.str(item as Node, what));
    return [this.str(node, what)];
  }

  scalar(node: Node | null | undefined, what: string): YamlScalar {
    if (node === null || node === undefined) return null;
    if (!isScalar(node)) this.fail('structure', `${what}: expected a single value, found a ${isMap(node) ? 'map' : 'list'}`, node);
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return v.toISOString();
    return String(v);
  }

  // -------------------------------------------------------------------------------------------

  meta(map: YAMLMap, doc: Node): RuleMeta {
    const titleNode = map.get('title', true) as Node | undefined;
    if (titleNode === undefined) this.fail('structure', "a Sigma rule needs a 'title'", doc);
    const title = this.str(titleNode, 'title');
    const status = this.optStr(map, 'status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      this.fail('structure', `unknown status '${status}' (expected ${STATUSES.join(', ')})`, map.get('status', true) as Node);
    }
    const level = this.optStr(map, 'level');
    if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) {
      this.fail('structure', `unknown level '${level}' (expected ${LEVELS.join(', ')})`, map.get('level', true) as Node);
    }
    const relatedNode = map.get('related', true) as Node | undefined;
    const related: RelatedRule[] = [];
    if (isSeq(relatedNode)) {
      for (const r of relatedNode.items) {
        if (!isMap(r)) this.fail('structure', "'related' entries are maps with 'id' and 'type'", r as Node);
        related.push({ id: this.optStr(r, 'id') ?? '', type: this.optStr(r, 'type') ?? '' });
      }
    }
    const custom: Record<string, unknown> = {};
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!KNOWN_KEYS.has(key)) custom[key] = (pair.value as Node | null)?.toJSON() ?? null;
    }
    const optional = {
      id: this.optStr(map, 'id'),
      name: this.optStr(map, 'name'),
      status: status as Status | undefined,
      description: this.optStr(map, 'description'),
      author: this.optStr(map, 'author'),
      level: level as Level | undefined,
      date: this.optStr(map, 'date'),
      modified: this.optStr(map, 'modified'),
      license: this.optStr(map, 'license'),
      taxonomy: this.optStr(map, 'taxonomy'),
    };
    const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
    return {
      title,
      ...defined,
      references: this.strList(map.get('references', true) as Node, 'references'),
      falsepositives: this.strList(map.get('falsepositives', true) as Node, 'falsepositives'),
      tags: this.strList(map.get('tags', true) as Node, 'tags'),
      fields: this.strList(map.get('fields', true) as Node, 'fields'),
      related,
      custom,
      source: this.loc(doc),
    };
  }

  logsource(node: Node | undefined, doc: Node): LogSource {
    if (node === undefined) this.fail('structure', "a detection rule needs a 'logsource'", doc);
    if (!isMap(node)) this.fail('structure', "'logsource' must be a map (category, product, service)", node);
    const out: { category?: string; product?: string; service?: string; definition?: string; extra?: Record<string, string> } = {};
    const extra: Record<string, string> = {};
    for (const pair of node.items) {
      const key = this.str(pair.key as Node, 'logsource key');
      const value = pair.value === null ? '' : this.str(pair.value as Node, `logsource.${key}`);
      if (key === 'category' || key === 'product' || key === 'service' || key === 'definition') out[key] = value;
      else extra[key] = value;
    }
    if (Object.keys(extra).length > 0) out.extra = extra;
    return out;
  }

  detection(node: Node | undefined, doc: Node, what = 'detection'): Detection {
    if (node === undefined) this.fail('structure', `a detection rule needs a '${what}'`, doc);
    if (!isMap(node)) this.fail('structure', `'${what}' must be a map of search identifiers and a condition`, node);
    const identifiers: SearchIdentifier[] = [];
    let conditions: ConditionText[] | undefined;
    let timeframe: string | undefined;
    let timeframeLoc: SigmaLocation | undefined;
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const name = this.str(keyNode, 'search identifier');
      const value = pair.value as Node | null;
      if (name === 'condition') {
        conditions = this.conditions(value, keyNode);
      } else if (name === 'timeframe') {
        timeframe = this.str(value, 'timeframe');
        timeframeLoc = this.loc(keyNode);
      } else if (what === 'filter' && name === 'rules') {
        continue;
      } else {
        if (!/^[A-Za-z0-9_-]+$/.test(name)) {
          this.fail('structure', `'${name}' is not a valid search identifier (letters, digits, '_' and '-' only)`, keyNode);
        }
        identifiers.push({ name, node: this.identifier(value, name, keyNode), loc: this.loc(keyNode) });
      }
    }
    if (conditions === undefined) this.fail('structure', `'${what}' has no 'condition'`, node);
    return { identifiers, conditions, ...(timeframe !== undefined ? { timeframe, ...(timeframeLoc !== undefined ? { timeframeLoc } : {}) } : {}) };
  }

  conditions(node: Node | null, keyNode: Node): ConditionText[] {
    const one = (n: Node | null): ConditionText => {
      if (!isScalar(n) || typeof n.value !== 'string') return this.fail('condition', "'condition' must be a string (or a list of strings)", n ?? keyNode);
      const quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE';
      return { text: n.value, loc: this.loc(n, quoted ? 1 : 0) };
    };
    if (isSeq(node)) {
      if (node.items.length === 0) this.fail('condition', "'condition' is an empty list", node);
      return node.items.map((n) => one(n as Node));
    }
    return [one(node)];
  }

  identifier(value: Node | null, name: string, keyNode: Node): DetectionNode {
    if (isMap(value)) return this.mapNode(value, name);
    if (isSeq(value)) {
      if (value.items.length === 0) this.fail('structure', `search identifier '${name}' is an empty list`, value);
      const maps: DetectionNode[] = [];
      const keywords: DetectionValue[] = [];
      for (const item of value.items as (Node | null)[]) {
        if (isMap(item)) maps.push(this.mapNode(item, name));
        else if (isSeq(item)) this.fail('structure', `search identifier '${name}': nested lists are not allowed`, item);
        else keywords.push({ value: this.scalar(item, name), loc: this.loc(item) });
      }
      const nodes = [...maps];
      if (keywords.length > 0) nodes.push({ kind: 'item', item: { field: null, modifiers: [], values: keywords, list: true, loc: this.loc(value) } });
      return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
    }
    if (value === null || (isScalar(value) && value.value === null)) {
      this.fail('structure', `search identifier '${name}' is empty`, value ?? keyNode);
    }
    return { kind: 'item', item: { field: null, modifiers: [], values: [{ value: this.scalar(value, name), loc: this.loc(value) }], list: false, loc: this.loc(value) } };
  }

  mapNode(map: YAMLMap, name: string): DetectionNode {
    if (map.items.length === 0) this.fail('structure', `search identifier '${name}' is an empty map`, map);
    const nodes: DetectionNode[] = map.items.map((pair) => ({ kind: 'item', item: this.item(pair, name) }));
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  }

  item(pair: Pair, name: string): DetectionItem {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) && keyNode.value === null ? '' : this.str(keyNode, `a field of '${name}'`);
    const [fieldName, ...modifiers] = key.split('|');
    const field = fieldName === '' ? null : fieldName!;
    const value = pair.value as Node | null;
    const values: DetectionValue[] = [];
    let list = false;
    if (isSeq(value)) {
      list = true;
      for (const v of value.items as (Node | null)[]) {
        if (isMap(v) || isSeq(v)) this.fail('structure', `'${key}': list values must be single values, not ${isMap(v) ? 'maps' : 'lists'}`, v);
        values.push({ value: this.scalar(v, key), loc: this.loc(v) });
      }
    } else if (isMap(value)) {
      this.fail('structure', `'${key}': a field takes a value or a list of values, not a map`, value);
    } else {
      values.push({ value: this.scalar(value, key), loc: this.loc(value ?? keyNode) });
    }
    if (modifiers.some((m) => m === '')) this.fail('unknown-modifier', `'${key}': empty modifier name`, keyNode);
    return { field, modifiers, values, list, loc: this.loc(keyNode) };
  }

  // -------------------------------------------------------------------------------------------

  correlation(node: Node, map: YAMLMap): Correlation {
    if (!isMap(node)) this.fail('correlation', "'correlation' must be a map (type, rules, group-by, timespan, condition)", node);
    const typeNode = node.get('type', true) as Node | undefined;
    if (typeNode === undefined) this.fail('correlation', "a correlation needs a 'type'", node);
    const type = this.str(typeNode, 'type');
    if (!(CORRELATION_TYPES as readonly string[]).includes(type)) {
      this.fail('correlation', `unknown correlation type '${type}' (expected ${CORRELATION_TYPES.join(', ')})`, typeNode);
    }
    const rulesNode = node.get('rules', true) as Node | undefined;
    if (rulesNode === undefined) this.fail('correlation', "a correlation needs 'rules' (the ids or names of the rules it correlates)", node);
    const rules = this.strList(rulesNode, 'rules');
    if (rules.length === 0) this.fail('correlation', "'rules' is empty", rulesNode);
    const groupNode = node.get('group-by', true) as Node | undefined;
    const groupBy = this.strList(groupNode, 'group-by');
    const spanNode = node.get('timespan', true) as Node | undefined;
    if (spanNode === undefined) this.fail('correlation', "a correlation needs a 'timespan' (e.g. 10m)", node);
    const timespan = this.str(spanNode, 'timespan');
    const timespanMs = parseTimespan(timespan);
    if (timespanMs === undefined) {
      this.fail('correlation', `'${timespan}' is not a timespan: a number followed by s, m, h, d, w, M or y (e.g. 90m)`, spanNode);
    }
    const condition = this.correlationCondition(node.get('condition', true) as Node | undefined, type as CorrelationType, node);
    const aliasesNode = node.get('aliases', true) as Node | undefined;
    const aliases: Record<string, Record<string, string>> = {};
    if (aliasesNode !== undefined && !(isScalar(aliasesNode) && aliasesNode.value === null)) {
      if (!isMap(aliasesNode)) this.fail('correlation', "'aliases' must map alias -> (rule -> field)", aliasesNode);
      for (const pair of aliasesNode.items) {
        const alias = this.str(pair.key as Node, 'alias');
        const per = pair.value as Node | null;
        if (!isMap(per)) this.fail('correlation', `alias '${alias}' must map each rule to its field`, per ?? (pair.key as Node));
        const fields: Record<string, string> = {};
        for (const p of per.items) fields[this.str(p.key as Node, 'rule')] = this.str(p.value as Node, 'field');
        aliases[alias] = fields;
      }
    }
    const generateNode = node.get('generate', true) as Node | undefined;
    let generate = false;
    if (generateNode !== undefined) {
      if (!isScalar(generateNode) || typeof generateNode.value !== 'boolean') this.fail('correlation', "'generate' must be true or false", generateNode);
      generate = generateNode.value;
    }
    void map;
    return {
      type: type as CorrelationType,
      rules,
      groupBy,
      timespan,
      timespanMs,
      ...(condition !== undefined ? { condition } : {}),
      aliases,
      generate,
      loc: this.loc(node),
    };
  }

  correlationCondition(node: Node | undefined, type: CorrelationType, parent: Node): CorrelationCondition | undefined {
    const temporal = type === 'temporal' || type === 'temporal_ordered';
    if (node === undefined) {
      if (temporal) return undefined;
      return this.fail('correlation', `a ${type} correlation needs a 'condition' (e.g. gte: 10)`, parent);
    }
    if (isScalar(node) && typeof node.value === 'string') {
      return this.fail('unsupported', 'a boolean expression as correlation condition (pySigma extended temporal condition) is not supported', node);
    }
    if (!isMap(node)) this.fail('correlation', "'condition' must be a map such as {gte: 10}", node);
    const comparisons: { op: ConditionOperator; value: number }[] = [];
    let field: string[] | undefined;
    let percentile: number | undefined;
    for (const pair of node.items) {
      const key = this.str(pair.key as Node, 'condition key');
      const value = pair.value as Node | null;
      if (key === 'field') {
        field = this.strList(value, 'field');
      } else if (key === 'percentile') {
        percentile = this.number(value, 'percentile');
      } else if ((CONDITION_OPERATORS as readonly string[]).includes(key)) {
        comparisons.push({ op: key as ConditionOperator, value: this.number(value, key) });
      } else {
        this.fail('correlation', `unknown condition operator '${key}' (expected ${CONDITION_OPERATORS.join(', ')}, field)`, pair.key as Node);
      }
    }
    if (comparisons.length === 0) this.fail('correlation', "the correlation condition needs a comparison (gt, gte, lt, lte, eq or neq)", node);
    const needsField = type === 'value_count' || type === 'value_sum' || type === 'value_avg' || type === 'value_percentile';
    if (needsField && (field === undefined || field.length === 0)) {
      this.fail('correlation', `a ${type} correlation needs 'condition.field' (the field whose values are counted)`, node);
    }
    if (!needsField && field !== undefined) this.fail('correlation', `'field' is only meaningful for value_* correlations, not ${type}`, node);
    return { comparisons, ...(field !== undefined ? { field } : {}), ...(percentile !== undefined ? { percentile } : {}) };
  }

  number(node: Node | null, what: string): number {
    if (isScalar(node) && typeof node.value === 'number') return node.value;
    return this.fail('correlation', `'${what}' must be a number`, node);
  }

  // -------------------------------------------------------------------------------------------

  document(doc: Document.Parsed): SigmaDocument | undefined {
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) return undefined;
    if (!isMap(root)) this.fail('structure', 'a Sigma rule is a YAML map (title, logsource, detection, ...)', root);
    const action = root.get('action', true) as Node | undefined;
    if (action !== undefined) {
      this.fail('unsupported', "rule collections ('action: global/reset/repeat') are Sigma v1 and not supported; write one complete rule per document", action);
    }
    const meta = this.meta(root, root);
    const correlation = root.get('correlation', true) as Node | undefined;
    const filter = root.get('filter', true) as Node | undefined;
    const detection = root.get('detection', true) as Node | undefined;
    if (correlation !== undefined) {
      if (detection !== undefined) this.fail('structure', "a document is either a detection rule or a correlation rule, not both", detection);
      return { kind: 'correlation', ...meta, correlation: this.correlation(correlation, root) };
    }
    if (filter !== undefined) {
      if (!isMap(filter)) this.fail('structure', "'filter' must be a map (rules, search identifiers, condition)", filter);
      const rulesNode = filter.get('rules', true) as Node | undefined;
      const rules = this.strList(rulesNode, 'filter.rules');
      return {
        kind: 'filter',
        ...meta,
        logsource: this.logsource(root.get('logsource', true) as Node | undefined, root),
        filter: { rules, detection: this.detection(filter, root, 'filter') },
      };
    }
    if (detection === undefined && root.get('logsource', true) === undefined) {
      this.fail('structure', "not a Sigma rule: expected 'logsource' + 'detection', 'correlation', or 'filter'", root);
    }
    return {
      kind: 'rule',
      ...meta,
      logsource: this.logsource(root.get('logsource', true) as Node | undefined, root),
      detection: this.detection(detection, root),
    };
  }
}

const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 2_629_746_000,
  y: 31_556_952_000,
};

/** `90m` -> 5_400_000 ms; s m h d (spec) and w M y (pySigma). */
export function parseTimespan(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([smhdwMy])\s*$/.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n * UNITS[m[2]!]! : undefined;
}

function titleOf(doc: Document.Parsed): string | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const t = root.get('title');
  return typeof t === 'string' ? t : undefined;
}

/**
 * Parses every document of a YAML text. With `collectErrors`, returns what loaded and every
 * error; otherwise throws the first error (a SigmaError with its location).
 */
export function loadRules(text: string, options: LoadOptions = {}): LoadResult {
  const lines = new LineCounter();
  const file = options.file;
  const builder = new Builder(lines, file);
  const documents: SigmaDocument[] = [];
  const errors: SigmaDiagnostic[] = [];
  const report = (e: SigmaDiagnostic): void => {
    if (!options.collectErrors && e.severity === 'error') {
      const location = { ...(e.file !== undefined ? { file: e.file } : {}), ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) };
      throw new SigmaError(e.code, e.message, location);
    }
    errors.push(e);
  };
  const docs = parseAllDocuments(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: true, uniqueKeys: true });
  for (const doc of docs) {
    const yamlErrors = doc.errors;
    if (yamlErrors.length > 0) {
      for (const err of yamlErrors) {
        const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
        report({
          code: 'yaml',
          message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
          severity: 'error',
          ...(file !== undefined ? { file } : {}),
          line: pos.line,
          column: pos.col,
        });
      }
      continue;
    }
    const title = titleOf(doc);
    let built: SigmaDocument | undefined;
    try {
      built = builder.document(doc);
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      report(e.toDiagnostic(title));
      continue;
    }
    if (built === undefined) continue;
    if (options.structureOnly) {
      documents.push(built);
      continue;
    }
    const problems = validateDocument(built, options);
    for (const p of problems) report(p);
    if (!problems.some((p) => p.severity === 'error')) documents.push(built);
  }
  // Warnings (yaml's) of a well-formed stream.
  return { documents, errors };
}
