import { migration0001 } from './0001-initial';
import { migration0004 } from './0004-saved-searches';
import type { Migration } from './migration';

/** Every schema version in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0004];
