import type { LoupeDB } from './db';

/** A filter query kept under a name, per case. */
export interface SavedSearchRecord {
  id?: number;
  readonly caseId: string;
  name: string;
  query: string;
  updatedAt: number;
}

export async function listSavedSearches(db: LoupeDB, caseId: string): Promise<SavedSearchRecord[]> {
  return (await db.savedSearches.where('caseId').equals(caseId).toArray()).sort((a, b) => a.name.localeCompare(b.name));
}

/** Saves `query` under `name`; saving again under the same name replaces it. */
export async function saveSearch(db: LoupeDB, caseId: string, name: string, query: string, now = Date.now()): Promise<SavedSearchRecord> {
  return db.transaction('rw', db.savedSearches, async () => {
    const existing = await db.savedSearches.where('[caseId+name]').equals([caseId, name]).first();
    const record: SavedSearchRecord = { ...(existing?.id !== undefined ? { id: existing.id } : {}), caseId, name, query, updatedAt: now };
    record.id = await db.savedSearches.put(record);
    return record;
  });
}

export async function deleteSavedSearch(db: LoupeDB, id: number): Promise<void> {
  await db.savedSearches.delete(id);
}
