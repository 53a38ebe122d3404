/**
 * The Sigma rule model (spec v2.1.0 "File Structure", "Sigma Correlation Rules", "Sigma Filters"),
 * as plain data: what load.ts builds from YAML and engine.ts compiles. Locations are kept on the
 * parts a later stage may reject, so every error can point at its line and column.
 */
import type { SigmaLocation } from './errors';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export type Status = (typeof STATUSES)[number];

/** A scalar as YAML gives it: quoted values stay strings, `404` is a number, `~`/empty is null. */
export type YamlScalar = string | number | boolean | null;

export interface LogSource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
  readonly definition?: string;
  /** Any other key the rule sets (kept, not used for selection). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface DetectionValue {
  readonly value: YamlScalar;
  readonly loc?: SigmaLocation;
}

/**
 * One `field|mod1|mod2: value(s)` entry, or a keyword list (field null). `list` tells a YAML list
 * from a single value (`all` needs a list; `[]` is a null test).
 */
export interface DetectionItem {
  /** Field name as written (before field mapping); null for keywords (value-only search). */
  readonly field: string | null;
  /** Modifier names as written, lower-cased, in order. */
  readonly modifiers: readonly string[];
  readonly values: readonly DetectionValue[];
  readonly list: boolean;
  /** Location of the key (`field|mods`), or of the value for keyword lists. */
  readonly loc?: SigmaLocation;
}

/** The shape of a search identifier: maps are AND, lists of maps are OR. */
export type DetectionNode =
  | { readonly kind: 'and'; readonly nodes: readonly DetectionNode[] }
  | { readonly kind: 'or'; readonly nodes: readonly DetectionNode[] }
  | { readonly kind: 'item'; readonly item: DetectionItem };

export interface SearchIdentifier {
  readonly name: string;
  readonly node: DetectionNode;
  readonly loc?: SigmaLocation;
}

export interface ConditionText {
  readonly text: string;
  /** Location of the first character of the condition string. */
  readonly loc?: SigmaLocation;
}

export interface Detection {
  /** Search identifiers in document order. */
  readonly identifiers: readonly SearchIdentifier[];
  /** One or more conditions; the rule matches when any does. */
  readonly conditions: readonly ConditionText[];
  /** The obsolete v1 window (`timeframe`), kept so the validator can refuse it by name. */
  readonly timeframe?: string;
  readonly timeframeLoc?: SigmaLocation;
}

export interface RelatedRule {
  readonly id: string;
  readonly type: string;
}

/** Attributes shared by every kind of Sigma document. */
export interface RuleMeta {
  readonly title: string;
  readonly id?: string;
  readonly name?: string;
  readonly status?: Status;
  readonly description?: string;
  /** Must be shown with every finding (DRL 1.1; shared/corpus/sigma/PROVENANCE.md). */
  readonly author?: string;
  readonly references: readonly string[];
  readonly level?: Level;
  readonly falsepositives: readonly string[];
  readonly tags: readonly string[];
  /** Columns an analyst should see for a match. */
  readonly fields: readonly string[];
  readonly date?: string;
  readonly modified?: string;
  readonly license?: string;
  readonly taxonomy?: string;
  readonly related: readonly RelatedRule[];
  /** Keys the spec does not define (kept verbatim, e.g. `regression_tests_path`). */
  readonly custom: Readonly<Record<string, unknown>>;
  /** Where the document starts. */
  readonly source: SigmaLocation;
}

export interface SigmaRule extends RuleMeta {
  readonly kind: 'rule';
  readonly logsource: LogSource;
  readonly detection: Detection;
}

export const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export const CONDITION_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** `condition:` of a correlation: one or more comparisons (all must hold) and, for value_*, a field. */
export interface CorrelationCondition {
  readonly comparisons: readonly { readonly op: ConditionOperator; readonly value: number }[];
  /** value_count / value_sum / value_avg / value_percentile: the field(s) aggregated. */
  readonly field?: readonly string[];
  readonly percentile?: number;
}

export interface Correlation {
  readonly type: CorrelationType;
  /** Ids or names of the referenced rules (detection or correlation). */
  readonly rules: readonly string[];
  /** Fields (or aliases) the matches are grouped by; empty = one global group. */
  readonly groupBy: readonly string[];
  /** Window length in milliseconds. */
  readonly timespanMs: number;
  /** The window as written (`90m`). */
  readonly timespan: string;
  /** Absent for temporal types: "all referenced rules" (pySigma's default). */
  readonly condition?: CorrelationCondition;
  /** alias -> (rule id or name -> field of that rule). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Whether the referenced rules also give findings of their own (default false). */
  readonly generate: boolean;
  readonly loc?: SigmaLocation;
}

export interface SigmaCorrelationRule extends RuleMeta {
  readonly kind: 'correlation';
  readonly correlation: Correlation;
}

/** A meta-filter: adds `and not (filter condition)` to the rules it names. */
export interface SigmaFilterRule extends RuleMeta {
  readonly kind: 'filter';
  readonly logsource: LogSource;
  readonly filter: {
    /** Ids or names of the rules filtered. */
    readonly rules: readonly string[];
    readonly detection: Detection;
  };
}

export type SigmaDocument = SigmaRule | SigmaCorrelationRule | SigmaFilterRule;

/** The identity other rules use to refer to a rule: its id, or its name. */
export function ruleKey(rule: RuleMeta): string {
  return rule.id ?? rule.name ?? rule.title;
}
