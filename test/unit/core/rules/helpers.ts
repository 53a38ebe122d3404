import type { FieldValue, LoupeEvent } from '../../../../src/core/model/event';
import { compileDetection, compileRules, loadRules, type CompileOptions, type Match, type SigmaRule } from '../../../../src/core/rules';

let nextId = 1;

/** An event with the given fields; raw defaults to the fields as `k=v` text. */
export function ev(fields: Record<string, FieldValue>, options: { raw?: string; ts?: number; id?: number } = {}): LoupeEvent {
  const raw = options.raw ?? Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return { id: options.id ?? nextId++, timestamp: options.ts ?? 0, fileId: 0, line: 1, lineCount: 1, offset: 0, raw, fields };
}

/** Loads one rule document (throwing mode). */
export function rule(yaml: string): SigmaRule {
  const doc = loadRules(yaml).documents[0];
  if (doc === undefined || doc.kind !== 'rule') throw new Error('not a detection rule');
  return doc;
}

/** A predicate from a detection block written as YAML (indented under `detection:`). */
export function detect(detection: string, logsource = '{}'): (e: LoupeEvent) => boolean {
  const r = rule(`title: t\nlogsource: ${logsource}\ndetection:\n${detection.replace(/^/gm, '  ')}\n`);
  return compileDetection(r.detection);
}

export function run(yaml: string, events: LoupeEvent[], options: CompileOptions = {}): Match[] {
  const loaded = loadRules(yaml);
  const set = compileRules(loaded.documents, { throwOnError: true, ...options });
  return set.evaluate(events);
}
