import type { Migration } from './migration';

/**
 * v2. The block rows (`blocks`, `columns`, `blockTimes`) lose their secondary indexes (`caseId`,
 * `[caseId+fileId]`): every row written paid for two index entries, which held the store's
 * writes to ~235,000 events/s against ~380,000 without them (bench/browser/layouts.bench.ts).
 * Their primary keys start with the case and block id, so a case is deleted by a key range and a
 * file by the block ids its `blockIndex` rows list. From this version on a block's small columns
 * (booleans, dictionaries under 255 values) are written together in one `columns` row keyed
 * [caseId, blockId, 0] (PackedColumnsRecord); rows of one column each, as version 1 wrote them,
 * are still read, so nothing needs converting.
 */
export const migration0002: Migration = {
  version: 2,
  stores: {
    blocks: '[caseId+blockId]',
    columns: '[caseId+blockId+field]',
    blockTimes: '[caseId+blockId]',
  },
};
