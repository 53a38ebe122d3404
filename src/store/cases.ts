import type { LoupeDB } from './db';
import type { BundleFacts } from '../core/bundle/recognize';
import { deleteCaseBlocks } from './events';
import type { ReportOptions } from '../core/report/options';
import type { CaseRecord, EvidenceRecord } from './records';

export async function createCase(db: LoupeDB, name: string, now = Date.now()): Promise<CaseRecord> {
  const record: CaseRecord = { id: crypto.randomUUID(), name, createdAt: now };
  await db.cases.add(record);
  return record;
}

export async function listCases(db: LoupeDB): Promise<CaseRecord[]> {
  return db.cases.orderBy('createdAt').toArray();
}

/** The most recent case, or a new one named `name` when there is none. */
export async function currentCase(db: LoupeDB, name = 'Untitled case'): Promise<CaseRecord> {
  const last = await db.cases.orderBy('createdAt').last();
  return last ?? createCase(db, name);
}

export async function updateCase(db: LoupeDB, id: string, changes: Partial<Pick<CaseRecord, 'name' | 'demo'>>): Promise<void> {
  await db.cases.update(id, changes);
}

/** Keeps the analyst's report choices with the case. */
export async function saveReportOptions(db: LoupeDB, id: string, options: ReportOptions): Promise<void> {
  await db.cases.update(id, { report: options });
}

export async function listEvidence(db: LoupeDB, caseId: string): Promise<EvidenceRecord[]> {
  return db.evidence.where('caseId').equals(caseId).sortBy('id');
}

/** Deletes a case and everything in it, in one transaction. */
export async function deleteCase(db: LoupeDB, caseId: string): Promise<void> {
  await db.transaction('rw', [db.cases, db.evidence, db.blocks, db.columns, db.blockIndex, db.blockTimes, db.duplicates, db.annotations, db.rules, db.findings, db.ruleVersions, db.savedSearches], async () => {
    await db.evidence.where('caseId').equals(caseId).delete();
    await deleteCaseBlocks(db, caseId);
    await db.duplicates.where('caseId').equals(caseId).delete();
    await db.annotations.where('caseId').equals(caseId).delete();
    await db.rules.where('caseId').equals(caseId).delete();
    await db.findings.where('caseId').equals(caseId).delete();
    await db.ruleVersions.where('caseId').equals(caseId).delete();
    await db.savedSearches.where('caseId').equals(caseId).delete();
    await db.cases.delete(caseId);
  });
}

/** Keeps what each bundle of the case is; a bundle dropped again replaces its earlier facts. */
export async function recordBundles(db: LoupeDB, caseId: string, bundles: readonly BundleFacts[]): Promise<void> {
  await db.transaction('rw', db.cases, async () => {
    const record = await db.cases.get(caseId);
    if (record === undefined) return;
    const roots = new Set(bundles.map((b) => b.root));
    await db.cases.update(caseId, { bundles: [...(record.bundles ?? []).filter((b) => !roots.has(b.root)), ...bundles] });
  });
}

/** Drops the facts of bundle roots that turned out not to exist (a dropped name that was an archive). */
export async function forgetBundles(db: LoupeDB, caseId: string, roots: readonly string[]): Promise<void> {
  if (roots.length === 0) return;
  await db.transaction('rw', db.cases, async () => {
    const record = await db.cases.get(caseId);
    if (record?.bundles === undefined) return;
    const gone = new Set(roots);
    await db.cases.update(caseId, { bundles: record.bundles.filter((b) => !gone.has(b.root)) });
  });
}
