import type { Migration } from './migration';

/**
 * v6. Every save of a rule in a case keeps the text it replaced (history with diff and revert in
 * the rule editor), one row per saved-over version.
 */
export const migration0006: Migration = {
  version: 6,
  stores: {
    ruleVersions: '++id, caseId, [caseId+ruleId]',
  },
};
