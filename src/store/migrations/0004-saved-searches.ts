import type { Migration } from './migration';

/** v4. Saved searches of the timeline filter, per case, found by name. */
export const migration0004: Migration = {
  version: 4,
  stores: {
    savedSearches: '++id, caseId, &[caseId+name]',
  },
};
