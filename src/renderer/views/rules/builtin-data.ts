import { loadPack } from '../../../core/detect';

/**
 * The pack's data tables (assets/data), bundled as text at build time, as the placeholders that
 * the rules list and editor check `expand` modifiers against: those detection and the rule lab use.
 */
const files = import.meta.glob<string>('../../../../assets/data/*.yml', { query: '?raw', import: 'default', eager: true });

export const BUILTIN_PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = loadPack(
  [],
  Object.entries(files).map(([path, text]) => ({ path: path.replace(/^(\.\.\/)+/, ''), text })),
).placeholders;
