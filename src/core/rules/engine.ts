/**
 * The engine's API: `compileRules(documents)` compiles detection rules, meta-filters and
 * correlations once; `ruleSet.evaluate(events)` runs them all in one pass over time-ordered
 * events and returns the matches (plain rules grouped per rule and entity, correlations per
 * window and group). `ruleSet.start()` gives the same as a stream (push events, then finish).
 */
import type { FieldValue, RuleEvent } from '../model/event';
import { SigmaError, type SigmaDiagnostic } from './errors';
import { CorrelationEvaluator, type CorrelationMatch } from './correlation';
import {
  DATASET_SOURCES,
  FIELD_TABLES,
  datasetsFor,
  fieldAccessor,
  fieldTableFor,
  type DatasetSource,
  type FieldAccessor,
  type FieldTable,
} from './fields';
import { KeywordTexts, compileDetection, type EventPredicate, type MatchOptions } from './match';
import { TRUE_NODE, detectionNode, selectEvents, type BlockColumns, type SelectNode, type SelectPlan } from './preselect';
import type { ModifierContext } from './modifiers';
import { ruleKey, type Level, type SigmaCorrelationRule, type SigmaDocument, type SigmaFilterRule, type SigmaRule, type Status } from './rule';
import { validateCorrelation } from './validate';

export interface CompileOptions extends ModifierContext {
  /** Rule statuses to run (default: stable, test, experimental; sigma.md A1). */
  readonly statuses?: readonly Status[];
  /**
   * Plain-rule matches are grouped per rule and the values of these fields (default host.name,
   * source.ip, user.name): one match per rule and entity, with every event id.
   */
  readonly entityFields?: readonly string[];
  /** Where keywords look (see MatchOptions.keywordScope). */
  readonly keywordScope?: 'raw' | 'raw+fields';
  /** Overrides of the mapping data (fields.ts). */
  readonly datasetSources?: readonly DatasetSource[];
  readonly fieldTables?: readonly FieldTable[];
  /** Throw the first compile error instead of collecting it in `errors`. */
  readonly throwOnError?: boolean;
}

export interface Match {
  readonly kind: 'rule' | 'correlation';
  /** The rule's id (or name, or title when it has neither). */
  readonly ruleId: string;
  readonly title: string;
  readonly level?: Level;
  /** The rule's author (DRL 1.1: shown with every finding). */
  readonly author?: string;
  /** Authors of the rule and, for a correlation, of every rule it builds on. */
  readonly authors: readonly string[];
  readonly eventIds: readonly number[];
  /** UTC ms of the first and last contributing event. */
  readonly first: number;
  readonly last: number;
  /** Contributing events (rules) or inputs in the window (correlations). */
  readonly count: number;
  /** Entity values: the group-by values of a correlation, the entity fields of a rule's events. */
  readonly entities: Readonly<Record<string, string>>;
  /** Correlations: the aggregate compared with the condition (count, distinct values, ...). */
  readonly value?: number;
}

/** What compiled, for listing in the UI. */
export interface CompiledRuleInfo {
  readonly key: string;
  readonly kind: 'rule' | 'correlation';
  readonly title: string;
  readonly document: SigmaRule | SigmaCorrelationRule;
  /** Datasets the rule reads (detection rules; empty = none of our logs carry its log source). */
  readonly datasets: readonly string[];
  /** Whether it gives matches of its own (false for a base rule of a correlation without generate). */
  readonly generates: boolean;
}

/** Told, as the stream goes, which events a generating rule matched (live first matches in the rule lab). */
export type MatchListener = (ruleKey: string, eventIds: number | readonly number[]) => void;

export interface Evaluation {
  /** Evaluates one event; true when any rule's detection matched it (it joined a match or fed a correlation). */
  push(event: RuleEvent): boolean;
  /** Closes the open correlation windows and returns every match, by first time. */
  finish(): Match[];
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRuleInfo[];
  /** Compile errors (and warnings); the rules concerned are left out. */
  readonly errors: readonly SigmaDiagnostic[];
  /** Rules not run by policy (status) with the reason. */
  readonly skipped: readonly { readonly key: string; readonly title: string; readonly reason: string }[];
  evaluate(events: Iterable<RuleEvent>): Match[];
  /** `onMatch` hears of each event as it joins a match (a rule's) or of a correlation's events as it fires. */
  start(onMatch?: MatchListener): Evaluation;
  /** Keys of the detection rules an event matches (ignoring `generate`), for live rule testing. */
  test(event: RuleEvent): string[];
  /**
   * Per event of a stored block: 1 when some detection rule can match it, 0 when none can (from
   * the columns, preselect.ts), null when every event must be pushed. Events marked 0 change no
   * match: pushing only the others gives the same matches. `fields`: the fields the events are
   * decoded with (null: all).
   */
  candidates(block: BlockColumns, fields: ReadonlySet<string> | null): Uint8Array | null;
}

interface DetectionEntry {
  readonly index: number;
  readonly info: CompiledRuleInfo;
  readonly rule: SigmaRule;
  readonly predicate: EventPredicate;
  readonly table: FieldTable | undefined;
  /** What `predicate` was compiled from and with (meta-filters applied), for the column pre-selection. */
  readonly filters: readonly SigmaFilterRule[];
  readonly matchOptions: MatchOptions;
  /** Correlation inputs fed by this rule. */
  readonly feeds: Feed[];
  generates: boolean;
}

interface Feed {
  readonly node: CorrelationNode;
  /** Index of the rule in the correlation's `rules`. */
  readonly ruleIndex: number;
  readonly group: readonly FieldAccessor[];
  readonly value: readonly FieldAccessor[];
}

interface ChainFeed {
  readonly node: CorrelationNode;
  readonly ruleIndex: number;
  readonly group: readonly string[];
  readonly value: readonly string[];
}

interface CorrelationNode {
  readonly index: number;
  readonly info: CompiledRuleInfo;
  readonly rule: SigmaCorrelationRule;
  readonly authors: readonly string[];
  /** Inputs come from other correlations: buffer, sort, run after them. */
  readonly buffered: boolean;
  readonly chainFeeds: ChainFeed[];
  generates: boolean;
  /** Topological depth (inner correlations first). */
  depth: number;
}

const DEFAULT_STATUSES: readonly Status[] = ['stable', 'test', 'experimental'];
const DEFAULT_ENTITIES = ['host.name', 'source.ip', 'user.name'];

/** Compiles documents into a rule set. Problems are collected in `errors` unless `throwOnError`. */
export function compileRules(documents: readonly SigmaDocument[], options: CompileOptions = {}): CompiledRuleSet {
  const errors: SigmaDiagnostic[] = [];
  const skipped: { key: string; title: string; reason: string }[] = [];
  const statuses = new Set(options.statuses ?? DEFAULT_STATUSES);
  const sources = options.datasetSources ?? DATASET_SOURCES;
  const tables = options.fieldTables ?? FIELD_TABLES;
  const report = (e: unknown, doc: SigmaDocument): void => {
    if (!(e instanceof SigmaError)) throw e;
    if (options.throwOnError) throw e;
    errors.push(e.toDiagnostic(doc.title));
  };

  const filters = documents.filter((d): d is SigmaFilterRule => d.kind === 'filter');
  const detections: DetectionEntry[] = [];
  const byRef = new Map<string, DetectionEntry | CorrelationNode>();
  const register = (doc: SigmaDocument, entry: DetectionEntry | CorrelationNode): void => {
    if (doc.id !== undefined) byRef.set(doc.id, entry);
    if (doc.name !== undefined) byRef.set(doc.name, entry);
    if (doc.id === undefined && doc.name === undefined) byRef.set(doc.title, entry);
  };
  const allowed = (doc: SigmaDocument): boolean => {
    if (doc.status === undefined || statuses.has(doc.status)) return true;
    skipped.push({ key: ruleKey(doc), title: doc.title, reason: `status '${doc.status}'` });
    return false;
  };

  const keywordTexts = new KeywordTexts();
  for (const doc of documents) {
    if (doc.kind !== 'rule' || !allowed(doc)) continue;
    const table = fieldTableFor(doc.logsource, tables);
    const matchOptions = {
      ...options,
      keywordTexts,
      ...(table !== undefined ? { table } : {}),
    };
    try {
      let predicate = compileDetection(doc.detection, matchOptions);
      const applied: SigmaFilterRule[] = [];
      for (const f of filters) {
        if (!f.filter.rules.some((r) => r === doc.id || r === doc.name)) continue;
        applied.push(f);
        const filterPredicate = compileDetection(f.filter.detection, matchOptions);
        const base = predicate;
        predicate = (e) => base(e) && !filterPredicate(e);
      }
      const datasets = [...new Set(datasetsFor(doc.logsource, sources).map((s) => s.dataset))];
      const info: CompiledRuleInfo = { key: ruleKey(doc), kind: 'rule', title: doc.title, document: doc, datasets, generates: true };
      const entry: DetectionEntry = { index: detections.length, info, rule: doc, predicate, table, filters: applied, matchOptions, feeds: [], generates: true };
      detections.push(entry);
      register(doc, entry);
    } catch (e) {
      report(e, doc);
    }
  }

  // Correlations: resolve references, order inner before outer.
  const correlations: CorrelationNode[] = [];
  const correlationDocs = documents.filter((d): d is SigmaCorrelationRule => d.kind === 'correlation' && allowed(d));
  for (const doc of correlationDocs) {
    const problems = validateCorrelation(doc).filter((p) => p.severity === 'error');
    if (problems.length > 0) {
      if (options.throwOnError) throw new SigmaError(problems[0]!.code, problems[0]!.message, problems[0]!);
      errors.push(...problems);
      continue;
    }
    const node: CorrelationNode = {
      index: correlations.length,
      info: { key: ruleKey(doc), kind: 'correlation', title: doc.title, document: doc, datasets: [], generates: true },
      rule: doc,
      authors: [],
      buffered: false,
      chainFeeds: [],
      generates: true,
      depth: 0,
    };
    correlations.push(node);
    register(doc, node);
  }
  const valid = new Set<CorrelationNode>();
  for (const node of correlations) {
    const c = node.rule.correlation;
    try {
      const authors = new Set<string>();
      if (node.rule.author !== undefined) authors.add(node.rule.author);
      let buffered = false;
      c.rules.forEach((ref) => {
        const target = byRef.get(ref);
        if (target === undefined) {
          throw new SigmaError('correlation', `'rules' references '${ref}', which is not a loaded rule (by id or name)`, c.loc ?? {});
        }
        if ('feeds' in target) {
          if (target.rule.author !== undefined) authors.add(target.rule.author);
        } else {
          buffered = true;
          for (const a of target.authors) authors.add(a);
          if (target.rule.author !== undefined) authors.add(target.rule.author);
        }
      });
      (node as { authors: readonly string[] }).authors = [...authors];
      (node as { buffered: boolean }).buffered = buffered;
      valid.add(node);
    } catch (e) {
      report(e, node.rule);
    }
  }
  // Depth and cycles.
  const depthOf = (node: CorrelationNode, stack: Set<CorrelationNode>): number => {
    if (stack.has(node)) throw new SigmaError('correlation', `correlation '${node.rule.title}' references itself through its rules`, node.rule.correlation.loc ?? {});
    stack.add(node);
    let depth = 0;
    for (const ref of node.rule.correlation.rules) {
      const target = byRef.get(ref);
      if (target !== undefined && !('feeds' in target)) depth = Math.max(depth, depthOf(target, stack) + 1);
    }
    stack.delete(node);
    return depth;
  };
  for (const node of [...valid]) {
    try {
      node.depth = depthOf(node, new Set());
    } catch (e) {
      valid.delete(node);
      report(e, node.rule);
    }
  }
  // A correlation whose inner correlation failed cannot run either.
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of [...valid]) {
      for (const ref of node.rule.correlation.rules) {
        const target = byRef.get(ref);
        if (target !== undefined && !('feeds' in target) && !valid.has(target)) {
          valid.delete(node);
          errors.push({ code: 'correlation', message: `'${ref}' could not be compiled`, severity: 'error', rule: node.rule.title, ...(node.rule.correlation.loc ?? {}) });
          changed = true;
        }
      }
    }
  }
  const activeCorrelations = correlations.filter((n) => valid.has(n)).sort((a, b) => a.depth - b.depth);

  // Wire inputs and the `generate` policy.
  const referencedWithoutGenerate = new Set<DetectionEntry | CorrelationNode>();
  const referencedWithGenerate = new Set<DetectionEntry | CorrelationNode>();
  for (const node of activeCorrelations) {
    const c = node.rule.correlation;
    c.rules.forEach((ref, ruleIndex) => {
      const target = byRef.get(ref)!;
      (c.generate ? referencedWithGenerate : referencedWithoutGenerate).add(target);
      const names = c.groupBy.map((g) => c.aliases[g]?.[ref] ?? g);
      const valueNames = c.condition?.field ?? [];
      if ('feeds' in target) {
        target.feeds.push({
          node,
          ruleIndex,
          group: names.map((n) => fieldAccessor(n, target.table)),
          value: valueNames.map((n) => fieldAccessor(n, target.table)),
        });
      } else {
        target.chainFeeds.push({ node, ruleIndex, group: names, value: valueNames });
      }
    });
  }
  for (const t of referencedWithoutGenerate) {
    if (referencedWithGenerate.has(t)) continue;
    t.generates = false;
    (t.info as { generates: boolean }).generates = false;
  }

  // Dataset index: dataset -> rules (with guards); rules with an empty log source read everything.
  const byDataset = new Map<string, { entry: DetectionEntry; guards: DatasetSource['when'][] | null }[]>();
  const everywhere: DetectionEntry[] = [];
  for (const entry of detections) {
    const ls = entry.rule.logsource;
    if (ls.category === undefined && ls.product === undefined && ls.service === undefined) {
      everywhere.push(entry);
      continue;
    }
    const perDataset = new Map<string, DatasetSource['when'][] | null>();
    for (const s of datasetsFor(ls, sources)) {
      const current = perDataset.get(s.dataset);
      if (current === null) continue;
      if (s.when === undefined) perDataset.set(s.dataset, null);
      else perDataset.set(s.dataset, [...(current ?? []), s.when]);
    }
    for (const [dataset, guards] of perDataset) {
      let list = byDataset.get(dataset);
      if (list === undefined) byDataset.set(dataset, (list = []));
      list.push({ entry, guards });
    }
  }

  const entityFields = options.entityFields ?? DEFAULT_ENTITIES;
  const infos = [...detections.map((d) => d.info), ...activeCorrelations.map((n) => n.info)];

  const guardHolds = (guards: DatasetSource['when'][] | null, e: RuleEvent): boolean => {
    if (guards === null) return true;
    for (const g of guards) {
      if (g === undefined) return true;
      const v = e.fields[g.field];
      if (v === undefined) continue;
      if (g.values === undefined) return true;
      const text = typeof v === 'string' ? v.toLowerCase() : String(v);
      if (g.values.includes(text)) return true;
    }
    return false;
  };

  // The column pre-selection's view of the same routing and predicates, built when first asked for.
  const entryNode = (entry: DetectionEntry): SelectNode => ({
    t: 'and',
    args: [detectionNode(entry.rule.detection, entry.matchOptions), ...entry.filters.map((f): SelectNode => ({ t: 'not', arg: detectionNode(f.filter.detection, entry.matchOptions) }))],
  });
  const guardNode = (guards: DatasetSource['when'][] | null): SelectNode => {
    if (guards === null) return TRUE_NODE;
    return {
      t: 'or',
      args: guards.map((g): SelectNode => (g === undefined ? TRUE_NODE : { t: 'test', columns: [g.field], test: (e) => guardHolds([g], e) })),
    };
  };
  let plan: SelectPlan | undefined;
  const selectPlan = (): SelectPlan => {
    if (plan !== undefined) return plan;
    const nodes = new Map<DetectionEntry, SelectNode>();
    const nodeOf = (entry: DetectionEntry): SelectNode => {
      let node = nodes.get(entry);
      if (node === undefined) nodes.set(entry, (node = entryNode(entry)));
      return node;
    };
    const routed = new Map<string, SelectNode[]>();
    for (const [dataset, list] of byDataset) routed.set(dataset, list.map(({ entry, guards }) => ({ t: 'and', args: [guardNode(guards), nodeOf(entry)] })));
    return (plan = { byDataset: routed, everywhere: everywhere.map(nodeOf) });
  };

  function start(listener?: MatchListener): Evaluation {
    interface Acc {
      entry: DetectionEntry;
      entities: Record<string, string>;
      ids: number[];
      first: number;
      last: number;
    }
    const plain = new Map<string, Acc>();
    const correlationMatches: Match[] = [];
    const evaluators = new Map<CorrelationNode, CorrelationEvaluator>();
    const buffers = new Map<CorrelationNode, Parameters<CorrelationEvaluator['push']>[0][]>();
    const emitFor = (node: CorrelationNode) => (m: CorrelationMatch) => {
      if (node.generates) {
        listener?.(node.info.key, m.eventIds);
        correlationMatches.push({
          kind: 'correlation',
          ruleId: node.info.key,
          title: node.rule.title,
          ...(node.rule.level !== undefined ? { level: node.rule.level } : {}),
          ...(node.rule.author !== undefined ? { author: node.rule.author } : {}),
          authors: node.authors,
          eventIds: m.eventIds,
          first: m.first,
          last: m.last,
          count: m.count,
          entities: m.groupBy,
          value: m.value,
        });
      }
      for (const feed of node.chainFeeds) {
        const group: string[] = [];
        let missing = false;
        for (const name of feed.group) {
          const v = m.groupBy[name];
          if (v === undefined) missing = true;
          else group.push(v);
        }
        if (missing) continue;
        const input = { rule: feed.ruleIndex, time: m.last, first: m.first, ids: m.eventIds, group, value: m.value };
        buffers.get(feed.node)!.push(input);
      }
    };
    for (const node of activeCorrelations) {
      evaluators.set(node, new CorrelationEvaluator(node.rule.correlation, emitFor(node)));
      if (node.buffered) buffers.set(node, []);
    }

    const valueText = (v: FieldValue | undefined): string | undefined => {
      if (v === undefined) return undefined;
      if (typeof v === 'object') return v.length === 0 ? undefined : v.join(',');
      return String(v);
    };

    const onMatch = (entry: DetectionEntry, e: RuleEvent): void => {
      if (entry.generates) {
        listener?.(entry.info.key, e.id);
        let key = String(entry.index);
        const entities: Record<string, string> = {};
        for (const f of entityFields) {
          const v = valueText(e.fields[f]);
          if (v !== undefined) {
            entities[f] = v;
            key += `\u001f${f}=${v}`;
          }
        }
        const acc = plain.get(key);
        if (acc === undefined) plain.set(key, { entry, entities, ids: [e.id], first: e.timestamp, last: e.timestamp });
        else {
          acc.ids.push(e.id);
          if (e.timestamp < acc.first) acc.first = e.timestamp;
          if (e.timestamp > acc.last) acc.last = e.timestamp;
        }
      }
      for (const feed of entry.feeds) {
        const group: string[] = [];
        let missing = false;
        for (const a of feed.group) {
          const v = valueText(a(e));
          if (v === undefined) {
            missing = true;
            break;
          }
          group.push(v);
        }
        if (missing) continue;
        let value: string | number | undefined;
        if (feed.value.length > 0) {
          const type = feed.node.rule.correlation.type;
          if (type === 'value_sum' || type === 'value_avg') {
            const raw = feed.value[0]!(e);
            const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
            value = Number.isFinite(n) ? n : undefined;
          } else {
            const parts: string[] = [];
            for (const a of feed.value) {
              const v = valueText(a(e));
              if (v === undefined) break;
              parts.push(v);
            }
            value = parts.length === feed.value.length ? parts.join('\u001f') : undefined;
          }
          if (value === undefined) continue;
        }
        const input = { rule: feed.ruleIndex, time: e.timestamp, first: e.timestamp, ids: e.id, group, ...(value !== undefined ? { value } : {}) };
        const buffer = buffers.get(feed.node);
        if (buffer !== undefined) buffer.push(input);
        else evaluators.get(feed.node)!.push(input);
      }
    };

    let lastDataset: unknown;
    let lastList: { entry: DetectionEntry; guards: DatasetSource['when'][] | null }[] | undefined;
    return {
      push(e: RuleEvent): boolean {
        const dataset = e.fields['event.dataset'];
        if (dataset !== lastDataset) {
          lastDataset = dataset;
          lastList = typeof dataset === 'string' ? byDataset.get(dataset) : undefined;
        }
        let matched = false;
        const list = lastList;
        if (list !== undefined) {
          for (let i = 0; i < list.length; i++) {
            const { entry, guards } = list[i]!;
            if ((guards === null || guardHolds(guards, e)) && entry.predicate(e)) {
              onMatch(entry, e);
              matched = true;
            }
          }
        }
        for (let i = 0; i < everywhere.length; i++) {
          const entry = everywhere[i]!;
          if (entry.predicate(e)) {
            onMatch(entry, e);
            matched = true;
          }
        }
        return matched;
      },
      finish(): Match[] {
        for (const node of activeCorrelations) {
          const evaluator = evaluators.get(node)!;
          const buffer = buffers.get(node);
          if (buffer !== undefined) {
            buffer.sort((a, b) => a.time - b.time);
            for (const input of buffer) evaluator.push(input);
          }
          evaluator.finish();
        }
        const matches: Match[] = [];
        for (const acc of plain.values()) {
          const r = acc.entry.rule;
          matches.push({
            kind: 'rule',
            ruleId: acc.entry.info.key,
            title: r.title,
            ...(r.level !== undefined ? { level: r.level } : {}),
            ...(r.author !== undefined ? { author: r.author } : {}),
            authors: r.author !== undefined ? [r.author] : [],
            eventIds: acc.ids,
            first: acc.first,
            last: acc.last,
            count: acc.ids.length,
            entities: acc.entities,
          });
        }
        matches.push(...correlationMatches);
        matches.sort((a, b) => a.first - b.first || a.ruleId.localeCompare(b.ruleId));
        return matches;
      },
    };
  }

  return {
    rules: infos,
    errors,
    skipped,
    start,
    evaluate(events: Iterable<RuleEvent>): Match[] {
      const run = start();
      let ordered: Iterable<RuleEvent> = events;
      if (Array.isArray(events)) {
        const list = events as readonly RuleEvent[];
        let sorted = true;
        for (let i = 1; i < list.length; i++) {
          if (list[i]!.timestamp < list[i - 1]!.timestamp) {
            sorted = false;
            break;
          }
        }
        if (!sorted) ordered = [...list].sort((a, b) => a.timestamp - b.timestamp);
      }
      for (const e of ordered) run.push(e);
      return run.finish();
    },
    candidates(block: BlockColumns, fields: ReadonlySet<string> | null): Uint8Array | null {
      return selectEvents(selectPlan(), block, fields);
    },
    test(event: RuleEvent): string[] {
      const out: string[] = [];
      const dataset = event.fields['event.dataset'];
      const list = typeof dataset === 'string' ? byDataset.get(dataset) : undefined;
      for (const { entry, guards } of list ?? []) if (guardHolds(guards, event) && entry.predicate(event)) out.push(entry.info.key);
      for (const entry of everywhere) if (entry.predicate(event)) out.push(entry.info.key);
      return out;
    },
  };
}
