import { Dexie } from 'dexie';
import { summarizeBlock, type EventBlock } from '../core/model/block';
import type { LoupeDB } from './db';
import type { BlockIndexRecord, EvidenceRecord } from './records';

/** Writes blocks and their index rows in one transaction. */
export async function writeBlocks(db: LoupeDB, caseId: string, blocks: readonly EventBlock[]): Promise<void> {
  if (blocks.length === 0) return;
  await db.transaction('rw', db.blocks, db.blockIndex, async () => {
    await db.blocks.bulkAdd(blocks.map((block) => ({ caseId, blockId: block.blockId, fileId: block.fileId, block })));
    await db.blockIndex.bulkAdd(blocks.map((block) => ({ caseId, ...summarizeBlock(block), timestamps: block.timestamps })));
  });
}

/** The highest block id of a case, or -1. */
export async function maxBlockId(db: LoupeDB, caseId: string): Promise<number> {
  const last = await db.blockIndex.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).last();
  return last?.blockId ?? -1;
}

/** All block index rows of a case, in block id order. */
export async function loadBlockIndex(db: LoupeDB, caseId: string): Promise<BlockIndexRecord[]> {
  return db.blockIndex.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).toArray();
}

/** Index rows of blocks with id > afterBlockId (for incremental refresh while ingest runs). */
export async function loadBlockIndexAfter(db: LoupeDB, caseId: string, afterBlockId: number): Promise<BlockIndexRecord[]> {
  return db.blockIndex.where('[caseId+blockId]').between([caseId, afterBlockId], [caseId, Dexie.maxKey], false, true).toArray();
}

export async function loadBlock(db: LoupeDB, caseId: string, blockId: number): Promise<EventBlock | undefined> {
  return (await db.blocks.get([caseId, blockId]))?.block;
}

export async function loadBlocks(db: LoupeDB, caseId: string, blockIds: readonly number[]): Promise<(EventBlock | undefined)[]> {
  const rows = await db.blocks.bulkGet(blockIds.map((id) => [caseId, id] as [string, number]));
  return rows.map((row) => row?.block);
}

export async function addEvidence(db: LoupeDB, record: Omit<EvidenceRecord, 'id'>): Promise<number> {
  return db.evidence.add(record as EvidenceRecord);
}

export async function updateEvidence(db: LoupeDB, id: number, changes: Partial<EvidenceRecord>): Promise<void> {
  await db.evidence.update(id, changes);
}

/**
 * Removes a file's events and its evidence row in one transaction: what a cancelled ingest
 * leaves behind, so the case never holds half a file.
 */
export async function deleteEvidenceFile(db: LoupeDB, caseId: string, fileId: number): Promise<void> {
  await db.transaction('rw', db.blocks, db.blockIndex, db.evidence, async () => {
    await db.blocks.where('[caseId+fileId]').equals([caseId, fileId]).delete();
    await db.blockIndex.where('[caseId+fileId]').equals([caseId, fileId]).delete();
    await db.evidence.delete(fileId);
  });
}

/**
 * Visits the blocks of a case whose time range meets [from, to], in block id order, reading
 * them a few at a time; blocks outside the range are skipped on their index row alone.
 */
export async function scanBlocks(
  db: LoupeDB,
  caseId: string,
  range: { readonly from: number; readonly to: number },
  visit: (block: EventBlock) => void,
  batchSize = 16,
): Promise<number> {
  const index = await db.blockIndex.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).toArray();
  const wanted = index.filter((row) => row.tsMax >= range.from && row.tsMin <= range.to).map((row) => row.blockId);
  for (let i = 0; i < wanted.length; i += batchSize) {
    for (const block of await loadBlocks(db, caseId, wanted.slice(i, i + batchSize))) if (block !== undefined) visit(block);
  }
  return wanted.length;
}
