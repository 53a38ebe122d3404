import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared corpus of real logs lives beside the repository (LOUPE_CORPUS points elsewhere, e.g.
 * from a git worktree); tests that need it skip without it.
 */
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

/**
 * The lines of every corpus file under 5 MB, one array per file, files in path order; empty without
 * the corpus. `stripCr` drops a CR ending as the ingest line splitter does.
 */
export function corpusFileLines(stripCr: boolean): string[][] {
  const files: string[][] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.size < 5e6) {
        const lines = readFileSync(path, 'utf8').split('\n');
        files.push(stripCr ? lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)) : lines);
      }
    }
  };
  if (hasCorpus) walk(CORPUS);
  return files;
}

/** A small seeded generator of floats in [0, 1) for tests that must be repeatable. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}
