/**
 * Lenient reads of a rule being typed (the editor's completion needs the log source while the
 * rest of the text is still broken). Never throws.
 */
import { parseDocument } from 'yaml';
import type { LogSource } from './rule';

/** The `logsource` keys of one YAML document, or undefined when it has none (or does not parse). */
export function peekLogsource(text: string): LogSource | undefined {
  try {
    const value: unknown = parseDocument(text).toJS();
    if (typeof value !== 'object' || value === null) return undefined;
    const ls = (value as { logsource?: unknown }).logsource;
    if (typeof ls !== 'object' || ls === null) return undefined;
    const out: Record<string, string> = {};
    for (const key of ['category', 'product', 'service'] as const) {
      const v = (ls as Record<string, unknown>)[key];
      if (typeof v === 'string') out[key] = v;
    }
    return out;
  } catch {
    return undefined;
  }
}
