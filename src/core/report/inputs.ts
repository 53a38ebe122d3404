import type { UserActivity } from '../audit/user-activity';
import type { Finding } from '../model/finding';

/**
 * What a report is made from, as plain data. The report worker reads it from the case database,
 * the CLI from its in-memory analysis; both hand the same shapes to `buildReportModel`. Every
 * string that came from evidence (paths, raw lines, field values) is hostile: the model and the
 * document definition only ever carry it as text.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A finding as the report takes it: the core Finding (model/finding.ts) with the id the case gave
 * it (store row id in the app, its index + 1 in the CLI), so annotations can point at it.
 */
export type ReportFinding = Finding & { readonly id: number };

/** A rule that ran, with what the report says of it (DRL 1.1: the author goes with every finding). */
export interface ReportRuleInput {
  readonly id: string;
  readonly title: string;
  readonly level?: string;
  readonly description?: string;
  readonly author?: string;
  readonly references?: readonly string[];
  readonly falsePositives?: readonly string[];
  /** `modified`, else `date` of the rule. */
  readonly date?: string;
  /** SHA-256 of the rule's YAML as it ran: its exact version. */
  readonly sha256?: string;
  readonly license?: string;
}

export interface ReportAnnotationInput {
  readonly id: number;
  readonly eventId?: number;
  readonly findingId?: number;
  readonly starred: boolean;
  readonly tags: readonly string[];
  readonly comment: string;
  readonly updatedAt: number;
}

/** An event the report quotes. */
export interface ReportEventInput {
  readonly id: number;
  readonly timestamp: number;
  readonly host: string;
  readonly dataset: string;
  /** Path inside the bundle and 1-based line: where the analyst finds it in the evidence. */
  readonly filePath: string;
  readonly line: number;
  /** The raw text as logged (continuation lines joined with \n). */
  readonly raw: string;
}

export interface ReportEvidenceInput {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly format: string;
  readonly host: string;
  readonly lines: number;
  readonly parsed: number;
  readonly continued: number;
  readonly unparsed: number;
  readonly errors: readonly string[];
}

/** A dropped bundle and the digest of its manifest (see bundleManifest). */
export interface ReportBundleInput {
  readonly root: string;
  readonly kind: string;
  readonly host?: string;
  readonly sosVersion?: string;
  readonly collectedAt?: number;
  readonly timeZone?: string;
  readonly files: number;
  readonly bytes: number;
  /** SHA-256 of `bundleManifest` of its files. */
  readonly manifestSha256: string;
}

export interface ReportInputs {
  readonly caseName: string;
  readonly caseCreatedAt: number;
  readonly generatedAt: number;
  /** e.g. "Loupe 0.1.0". */
  readonly generator: string;
  readonly evidence: readonly ReportEvidenceInput[];
  readonly bundles: readonly ReportBundleInput[];
  readonly totalEvents: number;
  readonly hosts: readonly string[];
  readonly tsMin: number;
  readonly tsMax: number;
  readonly findings: readonly ReportFinding[];
  readonly rules: readonly ReportRuleInput[];
  readonly annotations: readonly ReportAnnotationInput[];
  /** The quoted events: at least those `eventsToQuote` names for the same findings and options. */
  readonly events: readonly ReportEventInput[];
  /** Timestamps of every event of each finding (its chart), by finding id. */
  readonly findingTimes: Readonly<Record<number, readonly number[]>>;
  /** Timestamps of every event of the case (the timeline chart); any order. */
  readonly eventTimes: ArrayLike<number>;
  readonly userActivity: readonly UserActivity[];
}

/** `sha256sum`-style lines of a bundle's files, sorted by path: what a bundle's digest covers. */
export function bundleManifest(files: readonly { readonly path: string; readonly sha256: string }[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('');
}
