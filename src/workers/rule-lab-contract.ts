import type { SigmaDiagnostic } from '../core/rules/errors';

/**
 * The rule lab worker as the renderer sees it (through Comlink): live tests of the rule being
 * edited against the loaded case, re-runs after a save, drafts from selected events, and the
 * field names the case's events carry. Kept apart from contract.ts (the shared worker contract).
 * Text fields come from the logs: hostile, never HTML.
 */

export interface RuleLabRequest {
  readonly caseId: string;
  /** The text being edited: one Sigma file (one or more documents). */
  readonly yaml: string;
  /** The other rules of the case (texts), so a correlation finds the rules it references. */
  readonly library: readonly string[];
  /** How many matched events and correlation groups to return (default 50). */
  readonly limit?: number;
}

export interface RuleLabEvent {
  readonly id: number;
  readonly timestamp: number;
  readonly host: string;
  readonly dataset: string;
  readonly summary: string;
  /** Key of the document of the file that matched it. */
  readonly rule: string;
}

/** A correlation group that passed its condition. */
export interface RuleLabGroup {
  readonly rule: string;
  readonly title: string;
  /** Group-by field -> value. */
  readonly entities: Readonly<Record<string, string>>;
  /** The aggregate compared with the condition (count, distinct values, ...). */
  readonly value?: number;
  readonly count: number;
  readonly first: number;
  readonly last: number;
  readonly hosts: readonly string[];
  /** Authors of the correlation and of the rules it builds on (DRL 1.1: shown with the group). */
  readonly authors: readonly string[];
  readonly eventIds: readonly number[];
}

export interface RuleLabDocument {
  readonly key: string;
  readonly title: string;
  readonly kind: 'rule' | 'correlation' | 'filter';
  /** The rule's author (DRL 1.1: shown wherever its matches are). */
  readonly author?: string;
  /** Gives findings of its own (false for a correlation's base rule without `generate`). */
  readonly generates: boolean;
  readonly datasets: readonly string[];
}

export interface RuleLabResult {
  /**
   * done; cancelled (a newer test started); invalid (the text does not load or compile); partial
   * (the first matches, sent while the scan goes on: hits so far, no findings or groups yet).
   */
  readonly status: 'done' | 'cancelled' | 'invalid' | 'partial';
  readonly errors: readonly SigmaDiagnostic[];
  readonly documents: readonly RuleLabDocument[];
  /** Distinct events the file's findings link to. */
  readonly hits: number;
  /** Findings the file gives (rule matches per entity, correlation groups). */
  readonly findings: number;
  /** The first matched events, by time. */
  readonly events: readonly RuleLabEvent[];
  /** Correlation groups that passed, by time. */
  readonly groups: readonly RuleLabGroup[];
  /** Events read (of blocks whose datasets the rules read) and in the case. */
  readonly scanned: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export interface RuleLabRerun {
  readonly status: 'done' | 'invalid';
  readonly errors: readonly SigmaDiagnostic[];
  /** Rule ids whose findings were replaced. */
  readonly ruleIds: readonly string[];
  readonly findings: number;
  readonly hits: number;
}

export interface RuleLabApi {
  /**
   * Runs the text against the case; a newer call (or cancel) stops the previous one. `onFirst`
   * (a Comlink proxy) gets the first matches once, before the end, when the scan pauses with some.
   */
  test(request: RuleLabRequest, onFirst?: (partial: RuleLabResult) => void): Promise<RuleLabResult>;
  cancel(): void;
  /**
   * Runs the text against the whole case and replaces the findings of its rules (and of
   * `replaceIds`, e.g. the rule's id before an edit changed it). `enabled: false` only removes them.
   */
  rerun(request: RuleLabRequest & { readonly replaceIds: readonly string[]; readonly enabled: boolean }): Promise<RuleLabRerun>;
  /** A draft rule (YAML) matching these events. */
  draft(caseId: string, eventIds: readonly number[], id: string, date: string): Promise<string>;
  /** Per dataset, the ECS field names the case's events of it carry (sorted). */
  fieldsByDataset(caseId: string): Promise<Record<string, string[]>>;
}
