import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-block-rows-without-indexes';
import { migration0004 } from './0004-saved-searches';
import { migration0006 } from './0006-rule-versions';
import type { Migration } from './migration';

/** Every schema version in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0004, migration0006];
