import Dexie, { type Table } from 'dexie';
import { MIGRATIONS } from './migrations';
import type { SavedSearchRecord } from './saved-searches';
import type { AnnotationRecord, BlockRecord, BlockSummaryRecord, BlockTimesRecord, CaseRecord, ColumnRecord, DuplicateRecord, EvidenceRecord, FindingRecord, RuleRecord, RuleVersionRecord } from './records';

export const DATABASE_NAME = 'loupe';

/** The case database. One per origin; opened in the window and in workers alike. */
export class LoupeDB extends Dexie {
  cases!: Table<CaseRecord, string>;
  evidence!: Table<EvidenceRecord, number>;
  blocks!: Table<BlockRecord, [string, number]>;
  columns!: Table<ColumnRecord, [string, number, string | number]>;
  blockIndex!: Table<BlockSummaryRecord, [string, number]>;
  blockTimes!: Table<BlockTimesRecord, [string, number]>;
  duplicates!: Table<DuplicateRecord, number>;
  annotations!: Table<AnnotationRecord, number>;
  rules!: Table<RuleRecord, [string, string]>;
  findings!: Table<FindingRecord, number>;
  ruleVersions!: Table<RuleVersionRecord, number>;
  savedSearches!: Table<SavedSearchRecord, number>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, { chromeTransactionDurability: 'relaxed', ...options });
    for (const migration of MIGRATIONS) {
      const version = this.version(migration.version).stores(migration.stores);
      if (migration.upgrade !== undefined) version.upgrade(migration.upgrade);
    }
  }
}

let shared: LoupeDB | undefined;

/** The database of this context (window or worker), opened once. */
export function database(): LoupeDB {
  shared ??= new LoupeDB();
  return shared;
}
