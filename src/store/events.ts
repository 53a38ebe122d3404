import { Dexie } from 'dexie';
import { blockWithoutCore, summarizeBlock, type Column, type EventBlock } from '../core/model/block';
import type { LoupeDB } from './db';
import { PACKED_COLUMNS, type BlockIndexRecord, type BlockSummaryRecord, type ColumnRecord, type DuplicateRecord, type EvidenceRecord, type StoredColumn } from './records';

/** A column as written: dictionaries joined into one string (JoinedDictColumn). */
export function storedColumn(column: Column): StoredColumn {
  if (column.t !== 'str' && column.t !== 'list') return column;
  const ends = new Uint32Array(column.dict.length);
  let end = 0;
  column.dict.forEach((value, i) => { ends[i] = end += value.length; });
  return { t: column.t, joined: column.dict.join(''), ends, codes: column.codes };
}

/** A column as read: a joined dictionary cut back into its values; a row of the older form as it is. */
export function columnOf(stored: StoredColumn): Column {
  if (!('joined' in stored)) return stored;
  const { joined, ends } = stored;
  const dict = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    dict[i] = joined.slice(start, end);
    start = end;
  }
  return { t: stored.t, dict, codes: stored.codes };
}

function columnsOf(stored: Readonly<Record<string, StoredColumn>>): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const field in stored) out[field] = columnOf(stored[field]!);
  return out;
}

/** Booleans and dictionaries of fewer than 255 values (one byte a code): packed into one row per block. */
function isSmall(column: Column): boolean {
  return column.t === 'bool' || ((column.t === 'str' || column.t === 'list') && column.dict.length < 0xff);
}

/**
 * Writes blocks (core row, the small columns packed in one row, one row per other column, index
 * row, times row) in one transaction.
 * Only the index rows have secondary indexes: the others are found by their [case, block] keys.
 */
export async function writeBlocks(db: LoupeDB, caseId: string, blocks: readonly EventBlock[]): Promise<void> {
  if (blocks.length === 0) return;
  const columns: ColumnRecord[] = [];
  for (const block of blocks) {
    const packed: Record<string, StoredColumn> = {};
    let small = 0;
    for (const field in block.columns) {
      const column = block.columns[field]!;
      if (isSmall(column)) {
        packed[field] = storedColumn(column);
        small++;
      } else {
        columns.push({ caseId, blockId: block.blockId, fileId: block.fileId, field, column: storedColumn(column) });
      }
    }
    if (small > 0) columns.push({ caseId, blockId: block.blockId, fileId: block.fileId, field: PACKED_COLUMNS, columns: packed });
  }
  await db.transaction('rw', [db.blocks, db.columns, db.blockIndex, db.blockTimes], async () => {
    await db.blocks.bulkAdd(blocks.map((block) => ({ caseId, blockId: block.blockId, fileId: block.fileId, block: { ...block, columns: {} } })));
    await db.columns.bulkAdd(columns);
    await db.blockIndex.bulkAdd(blocks.map((block) => ({ caseId, ...summarizeBlock(block) })));
    await db.blockTimes.bulkAdd(blocks.map((block) => ({ caseId, blockId: block.blockId, fileId: block.fileId, timestamps: block.timestamps })));
  });
}

/** The highest block id of a case, or -1. */
export async function maxBlockId(db: LoupeDB, caseId: string): Promise<number> {
  const last = await db.blockIndex.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).last();
  return last?.blockId ?? -1;
}

/** Summaries of every block of a case, in block id order (no timestamps: cheap to read). */
export async function loadBlockSummaries(db: LoupeDB, caseId: string): Promise<BlockSummaryRecord[]> {
  return db.blockIndex.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).toArray();
}

async function withTimes(db: LoupeDB, caseId: string, summaries: BlockSummaryRecord[]): Promise<BlockIndexRecord[]> {
  const times = await db.blockTimes.bulkGet(summaries.map((row) => [caseId, row.blockId] as [string, number]));
  return summaries.map((row, i) => ({ ...row, timestamps: times[i]?.timestamps ?? new Float64Array(row.count).fill(row.tsMin) }));
}

/** Every block's summary and timestamps, in block id order: what ordering a timeline needs. */
export async function loadBlockIndex(db: LoupeDB, caseId: string): Promise<BlockIndexRecord[]> {
  return withTimes(db, caseId, await loadBlockSummaries(db, caseId));
}

/** The same for blocks with id > afterBlockId (incremental refresh while ingest runs). */
export async function loadBlockIndexAfter(db: LoupeDB, caseId: string, afterBlockId: number): Promise<BlockIndexRecord[]> {
  return withTimes(db, caseId, await db.blockIndex.where('[caseId+blockId]').between([caseId, afterBlockId], [caseId, Dexie.maxKey], false, true).toArray());
}

export async function loadBlock(db: LoupeDB, caseId: string, blockId: number): Promise<EventBlock | undefined> {
  return (await loadBlocks(db, caseId, [blockId]))[0];
}

/** Whole blocks: their core rows and every field column. */
export async function loadBlocks(db: LoupeDB, caseId: string, blockIds: readonly number[]): Promise<(EventBlock | undefined)[]> {
  const rows = await db.blocks.bulkGet(blockIds.map((id) => [caseId, id] as [string, number]));
  const columns = await Promise.all(
    blockIds.map((id) => db.columns.where('[caseId+blockId+field]').between([caseId, id, Dexie.minKey], [caseId, id, Dexie.maxKey]).toArray()),
  );
  return rows.map((row, i) => {
    if (row === undefined) return undefined;
    const byField: Record<string, Column> = {};
    for (const c of columns[i]!) {
      if (c.field === PACKED_COLUMNS) Object.assign(byField, columnsOf(c.columns));
      else byField[c.field] = columnOf(c.column);
    }
    return { ...row.block, columns: byField };
  });
}

/**
 * Field columns by (block, field), whether stored in a row of their own or in the block's packed
 * row of small columns; undefined where the block has no such field.
 */
export async function loadFieldColumns(db: LoupeDB, caseId: string, wanted: readonly (readonly [blockId: number, field: string])[]): Promise<(Column | undefined)[]> {
  const rows = await db.columns.bulkGet(wanted.map(([blockId, field]) => [caseId, blockId, field] as [string, number, string]));
  const found: (Column | undefined)[] = rows.map((row) => (row !== undefined && row.field !== PACKED_COLUMNS ? columnOf(row.column) : undefined));
  const missingBlocks = [...new Set(wanted.filter((_, i) => found[i] === undefined).map(([blockId]) => blockId))];
  if (missingBlocks.length === 0) return found;
  const packedRows = await db.columns.bulkGet(missingBlocks.map((blockId) => [caseId, blockId, PACKED_COLUMNS] as [string, number, number]));
  const packedByBlock = new Map<number, Readonly<Record<string, StoredColumn>>>();
  packedRows.forEach((row, i) => { if (row !== undefined && row.field === PACKED_COLUMNS) packedByBlock.set(missingBlocks[i]!, row.columns); });
  wanted.forEach(([blockId, field], i) => {
    if (found[i] !== undefined) return;
    const stored = packedByBlock.get(blockId)?.[field];
    if (stored !== undefined) found[i] = columnOf(stored);
  });
  return found;
}

/**
 * Blocks with only the named field columns: what aggregations and filters need, read without
 * the rest. Timestamps come from the index row; raw lines only when a column points into them.
 */
async function loadPartialBlocks(db: LoupeDB, caseId: string, summaries: BlockSummaryRecord[], fields: readonly string[]): Promise<EventBlock[]> {
  return loadBlocksWithFields(db, caseId, await withTimes(db, caseId, summaries), fields);
}

/**
 * The blocks of these index rows with only the named field columns. Core rows (raw lines,
 * evidence positions) are read for the blocks where a column points into the raw lines, or for
 * all with `withRaw`; the others get their times from the index row and no raw text.
 */
export async function loadBlocksWithFields(db: LoupeDB, caseId: string, index: readonly BlockIndexRecord[], fields: readonly string[], withRaw = false): Promise<EventBlock[]> {
  const keys: [string, number, string][] = [];
  for (const row of index) for (const field of fields) keys.push([caseId, row.blockId, field]);
  const rows = await db.columns.bulkGet(keys);
  const found: (Column | undefined)[] = rows.map((row) => (row !== undefined && row.field !== PACKED_COLUMNS ? columnOf(row.column) : undefined));
  // A field without a row of its own may be in the block's packed row.
  const packedOf = index.map((_, b) => fields.some((_, f) => found[b * fields.length + f] === undefined));
  const packedKeys = index.filter((_, b) => packedOf[b]).map((row) => [caseId, row.blockId, PACKED_COLUMNS] as [string, number, number]);
  const packedRows = packedKeys.length > 0 ? await db.columns.bulkGet(packedKeys) : [];
  let next = 0;
  index.forEach((_, b) => {
    if (!packedOf[b]) return;
    const packed = packedRows[next++];
    if (packed === undefined || packed.field !== PACKED_COLUMNS) return;
    fields.forEach((field, f) => {
      const stored = packed.columns[field];
      if (found[b * fields.length + f] === undefined && stored !== undefined) found[b * fields.length + f] = columnOf(stored);
    });
  });
  // Columns kept as positions in the raw lines need the lines too: only those blocks' cores are read.
  const coreOf = index.map((_, b) => withRaw || fields.some((_, f) => found[b * fields.length + f]?.t === 'ref'));
  const coreRows = await db.blocks.bulkGet(index.filter((_, b) => coreOf[b]).map((row) => [caseId, row.blockId] as [string, number]));
  let nextCore = 0;
  const cores = coreOf.map((wanted) => (wanted ? coreRows[nextCore++] : undefined));
  return index.map((row, b) => {
    const byField: Record<string, Column> = {};
    fields.forEach((field, f) => {
      const column = found[b * fields.length + f];
      if (column !== undefined) byField[field] = column;
    });
    const core = cores[b]?.block;
    if (core !== undefined) return { ...core, columns: byField };
    return blockWithoutCore(row, row.timestamps, byField);
  });
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
  await db.transaction('rw', [db.blocks, db.columns, db.blockIndex, db.blockTimes, db.duplicates, db.evidence], async () => {
    await db.duplicates.where('[caseId+fileId]').equals([caseId, fileId]).delete();
    // The block rows have no file index (it slowed every write): the file's blocks are listed by its index rows.
    const blockIds = (await db.blockIndex.where('[caseId+fileId]').equals([caseId, fileId]).primaryKeys()).map(([, id]) => id);
    const keys = blockIds.map((id) => [caseId, id] as [string, number]);
    await db.blocks.bulkDelete(keys);
    await db.blockTimes.bulkDelete(keys);
    for (const id of blockIds) await db.columns.where('[caseId+blockId+field]').between([caseId, id, Dexie.minKey], [caseId, id, Dexie.maxKey]).delete();
    await db.blockIndex.bulkDelete(keys);
    await db.evidence.delete(fileId);
  });
}

/**
 * Visits the blocks of a case whose time range meets [from, to], in block id order, reading
 * them a few at a time; blocks outside the range are skipped on their index row alone. With
 * `fields`, only those columns are read (and the blocks carry no raw text).
 */
export async function scanBlocks(
  db: LoupeDB,
  caseId: string,
  range: { readonly from: number; readonly to: number; readonly fields?: readonly string[] },
  visit: (block: EventBlock) => void,
  batchSize = 16,
): Promise<number> {
  const summaries = await loadBlockSummaries(db, caseId);
  const wanted = summaries.filter((row) => row.tsMax >= range.from && row.tsMin <= range.to);
  for (let i = 0; i < wanted.length; i += batchSize) {
    const batch = wanted.slice(i, i + batchSize);
    const blocks = range.fields !== undefined ? await loadPartialBlocks(db, caseId, batch, range.fields) : await loadBlocks(db, caseId, batch.map((row) => row.blockId));
    for (const block of blocks) if (block !== undefined) visit(block);
  }
  return wanted.length;
}

/** The field names stored for each block of a case (packed small columns included), reading no column data but the packed rows. */
export async function fieldNamesByBlock(db: LoupeDB, caseId: string): Promise<Map<number, string[]>> {
  const keys = (await db.columns.where('[caseId+blockId+field]').between([caseId], [caseId, Dexie.maxKey]).primaryKeys()) as unknown as [string, number, string | number][];
  const byBlock = new Map<number, string[]>();
  const packed: [string, number, number][] = [];
  for (const [, blockId, field] of keys) {
    if (field === PACKED_COLUMNS) { packed.push([caseId, blockId, PACKED_COLUMNS]); continue; }
    let names = byBlock.get(blockId);
    if (names === undefined) byBlock.set(blockId, (names = []));
    names.push(String(field));
  }
  const rows = packed.length > 0 ? await db.columns.bulkGet(packed) : [];
  rows.forEach((row, i) => {
    if (row === undefined || row.field !== PACKED_COLUMNS) return;
    const blockId = packed[i]![1];
    let names = byBlock.get(blockId);
    if (names === undefined) byBlock.set(blockId, (names = []));
    names.push(...Object.keys(row.columns));
  });
  return byBlock;
}

/** Removes every block row of a case (inside the caller's transaction). */
export async function deleteCaseBlocks(db: LoupeDB, caseId: string): Promise<void> {
  await db.blocks.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).delete();
  // [caseId, maxKey] sorts after every [caseId, blockId, field] (one maxKey object: a key may not hold the same array twice).
  await db.columns.where('[caseId+blockId+field]').between([caseId], [caseId, Dexie.maxKey]).delete();
  await db.blockTimes.where('[caseId+blockId]').between([caseId, Dexie.minKey], [caseId, Dexie.maxKey]).delete();
  await db.blockIndex.where('caseId').equals(caseId).delete();
}

export async function addDuplicates(db: LoupeDB, records: readonly DuplicateRecord[]): Promise<void> {
  if (records.length > 0) await db.duplicates.bulkAdd([...records]);
}

/** The other places (files and lines) where a kept event was also found. */
export async function duplicatesOf(db: LoupeDB, caseId: string, eventId: number): Promise<DuplicateRecord[]> {
  return db.duplicates.where('[caseId+keptId]').equals([caseId, eventId]).toArray();
}

/**
 * Some field columns of some blocks, without the rest: `result[b][f]` is field f of block b, or
 * undefined when the block has no such field. What filters and facets read.
 */
export async function loadColumns(db: LoupeDB, caseId: string, blockIds: readonly number[], fields: readonly string[]): Promise<(Column | undefined)[][]> {
  const wanted: (readonly [number, string])[] = [];
  for (const id of blockIds) for (const field of fields) wanted.push([id, field]);
  const found = wanted.length > 0 ? await loadFieldColumns(db, caseId, wanted) : [];
  return blockIds.map((_, b) => fields.map((_, f) => found[b * fields.length + f]));
}

/** Blocks without their field columns: timestamps, evidence positions and raw lines. */
export async function loadBlockCores(db: LoupeDB, caseId: string, blockIds: readonly number[]): Promise<(EventBlock | undefined)[]> {
  const rows = await db.blocks.bulkGet(blockIds.map((id) => [caseId, id] as [string, number]));
  return rows.map((row) => row?.block);
}
