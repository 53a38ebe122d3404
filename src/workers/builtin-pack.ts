// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient ImportMeta augmentation for the workers build, which has no vite/client types
/// <reference path="./vite-glob.d.ts" />
import type { TextFile } from '../core/detect';

/**
 * The built-in rule pack (assets/rules) and its data tables (assets/data), bundled into the detect
 * worker as text at build time: the app reads no files at run time.
 */
const RULES = import.meta.glob<string>('../../assets/rules/*.yml', { query: '?raw', import: 'default', eager: true });
const DATA = import.meta.glob<string>('../../assets/data/*.yml', { query: '?raw', import: 'default', eager: true });

function files(record: Record<string, string>): TextFile[] {
  return Object.entries(record).map(([path, text]) => ({ path: path.replace(/^(\.\.\/)+/, ''), text })).sort((a, b) => a.path.localeCompare(b.path));
}

export function builtinPackFiles(): { rules: TextFile[]; data: TextFile[] } {
  return { rules: files(RULES), data: files(DATA) };
}
