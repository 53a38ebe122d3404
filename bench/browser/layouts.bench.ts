/**
 * Diagnostic (not part of the summary): the same encoded blocks written in several IndexedDB
 * layouts, to see what a write costs. `npm run bench -- --layouts` runs it.
 */
import { Dexie, type Table } from 'dexie';
import { summarizeBlock, type EventBlock } from '../../src/core/model/block';
import { LoupeDB, createCase, writeBlocks } from '../../src/store';

type Rows = (blocks: readonly EventBlock[]) => Record<string, unknown[]>;

interface Layout {
  readonly name: string;
  readonly stores: Record<string, string>;
  readonly rows: Rows;
}

const CASE = 'c';
const LAYOUTS: readonly Layout[] = [
  { name: 'whole block, 1 row', stores: { blocks: 'blockId' }, rows: (bs) => ({ blocks: [...bs] }) },
  {
    name: 'whole block + index + times rows (3 rows, keys [case+block])',
    stores: { blocks: '[caseId+blockId], caseId, [caseId+fileId]', blockIndex: '[caseId+blockId], caseId, [caseId+fileId], [caseId+tsMin]', blockTimes: '[caseId+blockId], caseId, [caseId+fileId]' },
    rows: (bs) => ({
      blocks: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, block: b })),
      blockIndex: bs.map((b) => ({ caseId: CASE, ...summarizeBlock(b) })),
      blockTimes: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, timestamps: b.timestamps })),
    }),
  },
  {
    name: 'core row + 1 row per column, no secondary indexes',
    stores: { blocks: '[caseId+blockId]', columns: '[caseId+blockId+field]' },
    rows: (bs) => ({
      blocks: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, block: { ...b, columns: {} } })),
      columns: bs.flatMap((b) => Object.entries(b.columns).map(([field, column]) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, field, column }))),
    }),
  },
  {
    name: 'core row + all columns in 1 row',
    stores: { blocks: '[caseId+blockId]', columns: '[caseId+blockId]' },
    rows: (bs) => ({
      blocks: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, block: { ...b, columns: {} } })),
      columns: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, columns: b.columns })),
    }),
  },
  {
    name: 'core row + small-dictionary columns in 1 row + 1 row per other column',
    stores: { blocks: '[caseId+blockId]', columns: '[caseId+blockId+field]' },
    rows: (bs) => ({
      blocks: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, fileId: b.fileId, block: { ...b, columns: {} } })),
      columns: bs.flatMap((b) => {
        const small: Record<string, unknown> = {};
        const rows: unknown[] = [];
        for (const [field, column] of Object.entries(b.columns)) {
          if (column.t === 'bool' || ((column.t === 'str' || column.t === 'list') && column.dict.length < 255)) small[field] = column;
          else rows.push({ caseId: CASE, blockId: b.blockId, field, column });
        }
        return [...rows, { caseId: CASE, blockId: b.blockId, field: '', columns: small }];
      }),
    }),
  },
  {
    name: 'raw row + 1 row per column (raw apart)',
    stores: { raw: '[caseId+blockId]', columns: '[caseId+blockId+field]' },
    rows: (bs) => ({
      raw: bs.map((b) => ({ caseId: CASE, blockId: b.blockId, raw: b.raw })),
      columns: bs.flatMap((b) => Object.entries(b.columns).map(([field, column]) => ({ caseId: CASE, blockId: b.blockId, field, column }))),
    }),
  },
];

export interface LayoutTiming {
  readonly name: string;
  readonly ms: number;
  readonly rows: number;
}

async function timeLayout(layout: Layout, blocks: readonly EventBlock[], blocksPerTransaction: number, run: number): Promise<LayoutTiming> {
  const name = `loupe-bench-layout-${run}`;
  await Dexie.delete(name);
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' });
  db.version(1).stores(layout.stores);
  await db.open();
  let rows = 0;
  try {
    const tables = Object.keys(layout.stores).map((t) => db.table(t) as Table<unknown, unknown>);
    const t = performance.now();
    for (let i = 0; i < blocks.length; i += blocksPerTransaction) {
      const batch = layout.rows(blocks.slice(i, i + blocksPerTransaction));
      await db.transaction('rw', tables, async () => {
        for (const table of tables) {
          const records = batch[table.name] ?? [];
          rows += records.length;
          await table.bulkAdd(records);
        }
      });
    }
    return { name: layout.name, ms: performance.now() - t, rows };
  } finally {
    db.close();
    await Dexie.delete(name);
  }
}

/** Each layout on the same blocks, plus the store's own writeBlocks. */
export async function timeLayouts(blocks: readonly EventBlock[], blocksPerTransaction: number, run: number, log: (text: string) => void): Promise<LayoutTiming[]> {
  const out: LayoutTiming[] = [];
  // The store last: the first layout timed also pays for warming up.
  for (const layout of LAYOUTS) {
    out.push(await timeLayout(layout, blocks, blocksPerTransaction, run));
    log(`${layout.name}: ${out.at(-1)!.ms.toFixed(0)} ms, ${out.at(-1)!.rows} rows`);
  }
  const name = `loupe-bench-layout-store-${run}`;
  await LoupeDB.delete(name);
  const db = new LoupeDB(name);
  try {
    const kase = await createCase(db, 'layouts');
    const t = performance.now();
    for (let i = 0; i < blocks.length; i += blocksPerTransaction) await writeBlocks(db, kase.id, blocks.slice(i, i + blocksPerTransaction));
    out.push({ name: 'the store (writeBlocks)', ms: performance.now() - t, rows: -1 });
    log(`${out.at(-1)!.name}: ${out.at(-1)!.ms.toFixed(0)} ms`);
  } finally {
    db.close();
    await LoupeDB.delete(name);
  }
  return out;
}
