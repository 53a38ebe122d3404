import type { Migration } from './migration';

/**
 * v1. Events live in blocks of up to 4,096 events of one file: `blocks` holds each block's
 * timestamps, evidence positions and raw lines; `columns` one row per (block, field), so a
 * group-by or a filter reads only the fields it needs; `blockIndex` holds each block's summary
 * for skipping, `blockTimes` its timestamps for ordering the timeline. The other tables are small and edited by hand.
 */
export const migration0001: Migration = {
  version: 1,
  stores: {
    cases: '&id, createdAt',
    evidence: '++id, caseId, [caseId+path], sha256',
    blocks: '[caseId+blockId], caseId, [caseId+fileId]',
    columns: '[caseId+blockId+field], caseId, [caseId+fileId]',
    blockIndex: '[caseId+blockId], caseId, [caseId+fileId], [caseId+tsMin]',
    blockTimes: '[caseId+blockId], caseId, [caseId+fileId]',
    duplicates: '++id, caseId, [caseId+keptId], [caseId+fileId]',
    annotations: '++id, caseId, [caseId+eventId], [caseId+findingId]',
    rules: '[caseId+id], caseId',
    findings: '++id, caseId, [caseId+ruleId]',
  },
};
