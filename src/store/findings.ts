import type { Finding } from '../core/model/finding';
import type { LoupeDB } from './db';
import type { FindingRecord } from './records';

/**
 * The stored form of a finding. Detection and the rule lab's re-run both store through this, so a
 * rule's findings read the same whichever of them wrote them.
 */
export function findingRecord(caseId: string, f: Finding): Omit<FindingRecord, 'id'> {
  return {
    caseId,
    ruleId: f.ruleId,
    title: f.title,
    level: f.level,
    first: f.first,
    last: f.last,
    count: f.count,
    entities: { ...f.entities },
    eventIds: [...f.eventIds],
    authors: [...f.authors],
    hosts: [...f.hosts],
    kind: f.kind,
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.value !== undefined ? { value: f.value } : {}),
  };
}

/** Replaces a case's findings with a new detection run's, in one transaction. */
export async function replaceFindings(db: LoupeDB, caseId: string, findings: readonly Omit<FindingRecord, 'id'>[]): Promise<void> {
  await db.transaction('rw', db.findings, async () => {
    await db.findings.where('caseId').equals(caseId).delete();
    await db.findings.bulkAdd(findings.map((f) => ({ ...f })));
  });
}

/** A case's findings in the order they were stored (most severe first). */
export async function listFindings(db: LoupeDB, caseId: string): Promise<FindingRecord[]> {
  return db.findings.where('caseId').equals(caseId).sortBy('id');
}
