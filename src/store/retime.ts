import { Field, UNPARSED_DATASET } from '../core/model/event';
import { columnValue, type Column } from '../core/model/block';
import { retimeBlock } from '../core/time/rezone';
import type { LoupeDB } from './db';
import { loadFieldColumns } from './events';

/**
 * Re-times stored events of some evidence files (a host's zone changed): new timestamps for the
 * events whose zone was inferred, written to the block rows, the timeline's time rows and the
 * block index, file by file, one transaction per file so a file is never half re-timed.
 */

export interface RetimedFile {
  readonly fileId: number;
  readonly moved: number;
  readonly tsMin: number;
  readonly tsMax: number;
}

function listOf(column: Column | undefined, index: number): readonly string[] | undefined {
  if (column === undefined) return undefined;
  const value = columnValue(column, index);
  return Array.isArray(value) ? (value as readonly string[]) : typeof value === 'string' ? [value] : undefined;
}

export async function retimeFile(db: LoupeDB, caseId: string, fileId: number, retime: (utc: number) => number): Promise<RetimedFile> {
  return db.transaction('rw', [db.blocks, db.columns, db.blockIndex, db.blockTimes, db.evidence], async () => {
    // Block rows have no file index (it slowed writes): the file's block ids come from its index rows.
    const blockIds = (await db.blockIndex.where('[caseId+fileId]').equals([caseId, fileId]).primaryKeys()).map(([, id]) => id).sort((a, b) => a - b);
    const rows = (await db.blocks.bulkGet(blockIds.map((id) => [caseId, id] as [string, number]))).filter((row) => row !== undefined);
    const inferredColumns = await loadFieldColumns(db, caseId, rows.map((r) => [r.blockId, Field.timeInferred] as const));
    const datasetColumns = await loadFieldColumns(db, caseId, rows.map((r) => [r.blockId, Field.dataset] as const));
    let carry = 0;
    let moved = 0;
    let tsMin = Infinity;
    let tsMax = -Infinity;
    for (const [b, row] of rows.entries()) {
      const inferred = inferredColumns[b];
      const dataset = datasetColumns[b];
      const result = retimeBlock({
        timestamps: row.block.timestamps,
        inferred: (i) => listOf(inferred, i),
        unparsed: (i) => dataset !== undefined && columnValue(dataset, i) === UNPARSED_DATASET,
      }, retime, carry);
      carry = result.carry;
      if (row.block.count > 0) {
        tsMin = Math.min(tsMin, result.tsMin);
        tsMax = Math.max(tsMax, result.tsMax);
      }
      if (result.moved === 0) continue;
      moved += result.moved;
      await db.blocks.put({ ...row, block: { ...row.block, timestamps: result.timestamps, tsMin: result.tsMin, tsMax: result.tsMax } });
      await db.blockTimes.put({ caseId, blockId: row.blockId, fileId, timestamps: result.timestamps });
      await db.blockIndex.update([caseId, row.blockId], { tsMin: result.tsMin, tsMax: result.tsMax });
    }
    if (rows.length > 0) await db.evidence.update(fileId, { tsMin, tsMax });
    return { fileId, moved, tsMin, tsMax };
  });
}
