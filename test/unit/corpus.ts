import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared corpus of real logs lives beside the repository; tests that need it skip without it. */
/** LOUPE_CORPUS overrides it (a git worktree sits one level deeper than the main checkout). */
export const CORPUS = process.env['LOUPE_CORPUS'] ?? resolve(__dirname, '../../../shared/corpus');
export const hasCorpus = existsSync(CORPUS);
export const CORPUS_MISSING = `../shared/corpus not found at ${CORPUS}: corpus tests skipped`;

if (!hasCorpus) console.warn(CORPUS_MISSING);

export function corpusPath(relative: string): string {
  return resolve(CORPUS, relative);
}

export function corpusLines(relative: string): string[] {
  const text = readFileSync(corpusPath(relative), 'utf8');
  // As the ingest line splitter does: CRLF endings lose the CR.
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
