import { migration0001 } from './0001-initial';
import type { Migration } from './migration';

/** Every schema version in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
