import type { BuiltinRule } from '../../../store';
import { summarizeRuleFile } from './rule-file';

/**
 * The built-in rule pack: every assets/rules/**\/*.yml, bundled as text at build time (an empty
 * pack when the folder is absent). The key of each file is that of its main document.
 */
const files = import.meta.glob<string>('../../../../assets/rules/**/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true });

const PREFIX = '../../../../assets/rules/';

export const BUILTIN_RULES: readonly BuiltinRule[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .flatMap(([path, yaml]) => {
    const key = summarizeRuleFile(yaml).key;
    return key === undefined ? [] : [{ id: key, path: path.startsWith(PREFIX) ? path.slice(PREFIX.length) : path, yaml }];
  });
