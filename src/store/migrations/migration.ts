import type { Transaction } from 'dexie';

/**
 * One schema version. A new version is one file `NNNN-description.ts` plus one line in
 * `index.ts`; versions that carry an `upgrade` stay while users may still have older data.
 */
export interface Migration {
  readonly version: number;
  /** Dexie store specs of the tables that change (null deletes a table). */
  readonly stores: Readonly<Record<string, string | null>>;
  readonly upgrade?: (tx: Transaction) => Promise<void>;
}
