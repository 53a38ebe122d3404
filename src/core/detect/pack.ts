/**
 * A rule pack: Sigma rule files plus the data tables their `expand` placeholders read
 * (assets/rules, assets/data). Pure: the caller reads the files (worker bundle, CLI, tests).
 */
import { parse } from 'yaml';
import { loadRules, ruleKey, type SigmaDiagnostic, type SigmaDocument } from '../rules';

export interface TextFile {
  /** Shown in errors (e.g. assets/rules/fw_port_scan.yml). */
  readonly path: string;
  readonly text: string;
}

/** A data table: a placeholder name and its entries (each with the value and where it comes from). */
export interface DataTable {
  readonly path: string;
  readonly placeholder: string;
  readonly field: string;
  readonly entries: readonly Readonly<Record<string, string | number>>[];
}

export interface LoadedPack {
  readonly documents: SigmaDocument[];
  readonly errors: SigmaDiagnostic[];
  /** Placeholder name -> values, for CompileOptions.placeholders. */
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  readonly tables: readonly DataTable[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a data table. Its shape: `placeholder: name`, `field: key`, `entries: [{key: value, ...}]`;
 * every entry must have the key. Throws with the file name on a malformed table.
 */
export function parseDataTable(file: TextFile): DataTable {
  const doc: unknown = parse(file.text);
  const fail = (what: string): never => {
    throw new Error(`${file.path}: ${what}`);
  };
  if (!isRecord(doc)) return fail('a data table is a map with placeholder, field and entries');
  const { placeholder, field, entries } = doc;
  if (typeof placeholder !== 'string' || !/^[A-Za-z0-9_]+$/.test(placeholder)) return fail("'placeholder' must be a name of letters, digits and _");
  if (typeof field !== 'string') return fail("'field' must name the key of each entry that holds the value");
  if (!Array.isArray(entries)) return fail("'entries' must be a list");
  const rows = entries.map((entry: unknown, i) => {
    if (!isRecord(entry)) return fail(`entry ${i + 1} is not a map`);
    const row: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(entry)) {
      if (typeof v !== 'string' && typeof v !== 'number') return fail(`entry ${i + 1}: '${k}' must be text or a number`);
      row[k] = v;
    }
    if (row[field] === undefined) return fail(`entry ${i + 1} has no '${field}'`);
    return row;
  });
  return { path: file.path, placeholder, field, entries: rows };
}

/** Loads rule files and data tables; rule problems are collected with file, line and column. */
export function loadPack(ruleFiles: readonly TextFile[], dataFiles: readonly TextFile[] = [], extraPlaceholders: Readonly<Record<string, readonly string[]>> = {}): LoadedPack {
  const tables = dataFiles.map(parseDataTable);
  const placeholders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(extraPlaceholders)) placeholders[k] = [...v];
  for (const t of tables) placeholders[t.placeholder] = [...(placeholders[t.placeholder] ?? []), ...t.entries.map((e) => String(e[t.field]))];
  const documents: SigmaDocument[] = [];
  const errors: SigmaDiagnostic[] = [];
  for (const file of [...ruleFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const result = loadRules(file.text, { file: file.path, collectErrors: true, placeholders });
    documents.push(...result.documents);
    errors.push(...result.errors);
  }
  return { documents, errors, placeholders, tables };
}

/** The document a rule file is about: a correlation over its base rules, else the first document. */
export function mainDocument(documents: readonly SigmaDocument[]): SigmaDocument | undefined {
  return [...documents].reverse().find((d) => d.kind === 'correlation') ?? documents[0];
}

/**
 * The key a rule file is known by (that of its main document): how the case's records (edits,
 * enable overrides) name a built-in file, in detection and in the Rules view alike. Read from the
 * structure alone: a rule that needs the pack's placeholders, or that does not compile, is still
 * the same file.
 */
export function ruleFileKey(text: string): string | undefined {
  const main = mainDocument(loadRules(text, { collectErrors: true, structureOnly: true }).documents);
  return main === undefined ? undefined : ruleKey(main);
}
