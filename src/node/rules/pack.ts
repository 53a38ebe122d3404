/**
 * Reads rule packs from disk for the CLI and tests: the built-in pack (assets/rules, assets/data)
 * and extra Sigma rules given with --rules (files or folders, read recursively).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextFile } from '../../core/detect';

/** The folder holding assets/rules: found upward from this module (src/node/rules or dist/cli). */
export function assetsDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'assets', 'rules'))) return join(dir, 'assets');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the built-in rule pack (assets/rules) was not found above ${start}`);
    dir = parent;
  }
}

function yamlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    if (statSync(child).isDirectory()) out.push(...yamlFilesUnder(child));
    else if (/\.ya?ml$/i.test(name)) out.push(child);
  }
  return out;
}

/** Every .yml/.yaml file under the paths (a file given by name is read whatever its extension). */
export function readRuleFiles(paths: readonly string[], base = process.cwd()): TextFile[] {
  const files: TextFile[] = [];
  for (const p of paths) {
    const full = resolve(base, p);
    for (const file of yamlFilesUnder(full)) files.push({ path: relative(base, file) || file, text: readFileSync(file, 'utf8') });
  }
  return files;
}

export interface BuiltinPackFiles {
  readonly rules: TextFile[];
  readonly data: TextFile[];
}

export function readBuiltinPack(dir = assetsDir()): BuiltinPackFiles {
  const root = dirname(dir);
  return {
    rules: readRuleFiles([join(dir, 'rules')], root),
    data: existsSync(join(dir, 'data')) ? readRuleFiles([join(dir, 'data')], root) : [],
  };
}
