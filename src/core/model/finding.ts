import type { Level } from '../rules/rule';

/**
 * A finding: what one rule raised over one entity and time span, with every event that raised it.
 * `authors` travel with it everywhere it is shown (Detection Rule License 1.1).
 */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  /** The rule's level; rules without one count as informational. */
  readonly level: Level;
  readonly kind: 'rule' | 'correlation';
  /** Authors of the rule and, for a correlation, of the rules it builds on. */
  readonly authors: readonly string[];
  readonly description?: string;
  /** UTC ms of the first and last event. */
  readonly first: number;
  readonly last: number;
  /** Events (rules) or inputs in the window (correlations). */
  readonly count: number;
  /** Correlations: the aggregate that met the condition (events, distinct values). */
  readonly value?: number;
  /** Hosts the events were logged on, sorted. */
  readonly hosts: readonly string[];
  /** IP, subnet, user, ...: the group-by values of a correlation, the entity fields of a rule. */
  readonly entities: Readonly<Record<string, string>>;
  /** Every event that raised it, in time order. */
  readonly eventIds: readonly number[];
}

/** Severity order, most severe first (for sorting and display). */
export const LEVEL_ORDER: readonly Level[] = ['critical', 'high', 'medium', 'low', 'informational'];

export function levelRank(level: string): number {
  const i = LEVEL_ORDER.indexOf(level as Level);
  return i < 0 ? LEVEL_ORDER.length : i;
}

/** Most severe first, then earliest first, then by rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return levelRank(a.level) - levelRank(b.level) || a.first - b.first || a.ruleId.localeCompare(b.ruleId);
}
