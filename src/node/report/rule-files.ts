import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A Sigma YAML file as read, with the digest the report prints as the rule's version. */
export interface RuleFile {
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
}

const RULE_FILE = /\.ya?ml$/i;

/** Reads the rule files named (files, or folders searched recursively for .yml/.yaml), sorted by path. */
export async function readRuleFiles(paths: readonly string[]): Promise<RuleFile[]> {
  const found: string[] = [];
  const walk = async (path: string, named: boolean): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await walk(join(path, entry), false);
    } else if (info.isFile() && (named || RULE_FILE.test(path))) {
      found.push(path);
    }
  };
  for (const path of paths) await walk(path, true);
  return Promise.all(
    [...new Set(found)].sort().map(async (path) => {
      const text = await readFile(path, 'utf8');
      return { path, text, sha256: createHash('sha256').update(text).digest('hex') };
    }),
  );
}
