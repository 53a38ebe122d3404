/**
 * What the analyst chooses for a report: cover fields, the executive summary they wrote, which
 * findings, annotations and sections go in. Kept with the case (store table reportDrafts) and
 * passed as is to the worker or the CLI.
 */

export const REPORT_SECTIONS = ['summary', 'findings', 'timeline', 'annotations', 'userActivity', 'evidence'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<ReportSection, string>> = {
  summary: 'Executive summary',
  findings: 'Findings',
  timeline: 'Timeline of the incident window',
  annotations: 'Starred and commented events',
  userActivity: 'User activity (MAAS audit log)',
  evidence: 'Evidence and rules',
};

export const CLASSIFICATIONS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', 'Internal', 'Confidential'] as const;

export interface ReportCover {
  readonly title: string;
  readonly analyst: string;
  readonly organisation: string;
  /** Case or ticket reference. */
  readonly reference: string;
  readonly classification: string;
}

export interface ReportOptions {
  readonly cover: ReportCover;
  /** The analyst's executive summary; empty means the generated draft is used. */
  readonly summary: string;
  /** Finding ids to include; undefined = every finding. */
  readonly findingIds?: readonly number[];
  /** Annotation ids to include; undefined = every annotation. */
  readonly annotationIds?: readonly number[];
  readonly sections: Readonly<Record<ReportSection, boolean>>;
  /** Key events quoted per finding. */
  readonly excerptSize: number;
}

export const DEFAULT_EXCERPT_SIZE = 8;

export function defaultReportOptions(caseName: string): ReportOptions {
  return {
    cover: { title: `Incident report: ${caseName}`, analyst: '', organisation: '', reference: '', classification: 'TLP:AMBER' },
    summary: '',
    sections: { summary: true, findings: true, timeline: true, annotations: true, userActivity: true, evidence: true },
    excerptSize: DEFAULT_EXCERPT_SIZE,
  };
}
