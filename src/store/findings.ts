import type { LoupeDB } from './db';
import type { FindingRecord } from './records';

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
