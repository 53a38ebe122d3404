import { loadPack, detect, type Finding } from '../../../src/core/detect';
import { decodeEvent, HashedDuplicateIndex, ingestEvidence, type DuplicateIndex, type EventBlock } from '../../../src/core/index';
import type { FieldValue, LoupeEvent } from '../../../src/core/model/event';
import { compileRules, type CompiledRuleSet } from '../../../src/core/rules';
import { buildDemoFiles } from '../../../src/node/demo/demo-files';
import { readBuiltinPack } from '../../../src/node/rules/pack';

const files = readBuiltinPack();
export const pack = loadPack(files.rules, files.data);

/** The whole built-in pack, compiled (throws on any error: the pack must compile clean). */
export function packRules(): CompiledRuleSet {
  if (pack.errors.length > 0) throw new Error(pack.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
  const set = compileRules(pack.documents, { placeholders: pack.placeholders });
  if (set.errors.length > 0) throw new Error(set.errors.map((e) => `${e.rule}: ${e.message}`).join('\n'));
  return set;
}

/** Only the documents of one pack file (a rule with its base rule), compiled. */
export function fileRules(file: string): CompiledRuleSet {
  const docs = pack.documents.filter((d) => d.source.file === `assets/rules/${file}`);
  if (docs.length === 0) throw new Error(`no rules loaded from ${file}`);
  return compileRules(docs, { placeholders: pack.placeholders, throwOnError: true });
}

let nextBlock = 0;

/** Real lines of one log file through the same ingest as the app: parsed, stamped, decoded. */
export async function ingestText(path: string, text: string, options: { host?: string; referenceTime?: number; fileId?: number; duplicates?: DuplicateIndex } = {}): Promise<LoupeEvent[]> {
  const blocks: EventBlock[] = [];
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield new TextEncoder().encode(text);
  }
  await ingestEvidence(chunks(), {
    fileId: options.fileId ?? 0, path, referenceTime: options.referenceTime ?? Date.UTC(2026, 2, 12, 18),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.duplicates !== undefined ? { duplicates: options.duplicates } : {}),
  }, { nextBlockId: () => nextBlock++, writeBlock: (b) => { blocks.push(b); } });
  const events: LoupeEvent[] = [];
  for (const b of blocks) for (let i = 0; i < b.count; i++) events.push(decodeEvent(b, i));
  return events;
}

let demoEvents: Promise<LoupeEvent[]> | undefined;

/** Every event of the demo bundle (its generated attack day), as the app ingests it. */
export function demoBundleEvents(): Promise<LoupeEvent[]> {
  demoEvents ??= (async () => {
    const all: LoupeEvent[] = [];
    // As the ingest worker does: kernel lines in kern.log and again in syslog are stored once.
    const duplicates = new HashedDuplicateIndex();
    for (const [i, f] of buildDemoFiles().entries()) {
      if (!f.relativePath.includes('/var/log/') && !f.relativePath.includes('/var/snap/')) continue;
      all.push(...(await ingestText(f.relativePath.split('/').slice(1).join('/'), f.content, { host: 'maas-region-01', referenceTime: f.mtime, fileId: i + 1, duplicates })));
    }
    return all.sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
  })();
  return demoEvents;
}

/** Events made up from fields (for the quiet cases a real log lacks). */
let nextId = 1_000_000_000;
export function ev(fields: Record<string, FieldValue>, ts: number, raw = ''): LoupeEvent {
  return { id: nextId++, timestamp: ts, fileId: 0, line: 1, lineCount: 1, offset: 0, raw, fields };
}

export function findingsOf(set: CompiledRuleSet, events: readonly LoupeEvent[]): Finding[] {
  return detect(set, events);
}

export function byTitle(findings: readonly Finding[], title: RegExp): Finding[] {
  return findings.filter((f) => title.test(f.title));
}
