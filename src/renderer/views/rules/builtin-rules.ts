import { ruleFileKey } from '../../../core/detect';
import type { BuiltinRule } from '../../../store';

/**
 * The built-in rule pack: every assets/rules/**\/*.yml, bundled as text at build time (an empty
 * pack when the folder is absent). Each file is known by ruleFileKey, as detection knows it.
 */
const files = import.meta.glob<string>('../../../../assets/rules/**/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true });

const PREFIX = '../../../../assets/rules/';

export const BUILTIN_RULES: readonly BuiltinRule[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .flatMap(([path, yaml]) => {
    const key = ruleFileKey(yaml);
    return key === undefined ? [] : [{ id: key, path: path.startsWith(PREFIX) ? path.slice(PREFIX.length) : path, yaml }];
  });
