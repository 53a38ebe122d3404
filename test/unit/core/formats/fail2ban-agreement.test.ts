import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LineParser } from '../../../../src/core/formats/format';
import { syslogFormat } from '../../../../src/core/formats/syslog';
import { webErrorFormat } from '../../../../src/core/formats/web-error';
import type { FieldValue } from '../../../../src/core/model/event';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../../corpus';

/**
 * Agreement with fail2ban's own test expectations (corpus/fail2ban/expect, see PROVENANCE.md):
 * a line fail2ban's filter counts (`match: true`, offender `host`) must give an authentication
 * failure from that host, and a line it must not count must not give an authentication failure
 * attributed to a host. Normal mode only: records tested only under other modes, records whose
 * constraint needs another mode, and `addFILE` records are skipped.
 */

interface Expect {
  readonly match?: boolean;
  readonly host?: string | null;
  readonly constraint?: string;
  readonly ip4?: string;
  readonly ip6?: string;
}
interface Record {
  readonly line_no?: number;
  readonly line?: string;
  readonly kind?: string;
  readonly expect?: Expect;
  readonly filterOptions?: readonly FilterOption[] | FilterOption;
  readonly fileOptions?: { readonly logtype?: string };
}

/** `opts.get('mode') == 'x'`, `!=`, `name == 'x'` (the only constraints these files use), in normal mode. */
function constraintHolds(constraint: string, filterName: string): boolean {
  const mode = /^opts\.get\('mode'\) (==|!=) '([^']*)'$/.exec(constraint);
  if (mode !== null) return mode[1] === '==' ? mode[2] === 'normal' : mode[2] !== undefined;
  const name = /^name (==|!=) '([^']*)'$/.exec(constraint);
  if (name !== null) return (name[2] === filterName) === (name[1] === '==');
  throw new Error(`unknown constraint ${constraint}`);
}

type FilterOption = { readonly mode?: string; readonly logtype?: string; readonly 'test.condition'?: string };

/** Normal mode: no options, or an option without a mode (or mode 'normal') whose test condition holds. */
function appliesInNormalMode(r: Record, filterName: string): boolean {
  if (r.filterOptions === undefined) return true;
  const options: readonly FilterOption[] = Array.isArray(r.filterOptions) ? r.filterOptions : [r.filterOptions as FilterOption];
  return options.some((o) => (o.mode === undefined || o.mode === 'normal') && (o['test.condition'] === undefined || constraintHolds(o['test.condition'].replace(/==/, ' == ').replace(/\s+/g, ' '), filterName)));
}

/**
 * Deliberate disagreements, each with its reason.
 * - fail2ban dropped linux-pam < 0.99.2 lines (`pop(pam_unix)[pid]: authentication failure; ...`);
 *   Loupe reads them (loghub's Linux sample is made of them).
 * - In sshd files fail2ban holds back `pam_unix(sshd:auth): authentication failure` (the same attempt
 *   is logged again as `Failed password`) and counts a later `Accepted password` after failures for
 *   three different users as the failure (gh-2070). Loupe reports each PAM failure as the failure it
 *   is and a successful login as a success.
 */
const DELIBERATE: ReadonlySet<string> = new Set([
  'pam-generic:12',
  ...[222, 236, 238, 248, 252, 258, 260, 262].map((n) => `sshd:${n}`),
  ...[220, 228, 230, 240, 244, 250, 252, 254].map((n) => `sshd-journal:${n}`),
]);

interface Score {
  file: string;
  records: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  misses: string[];
}

function first(value: FieldValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function score(file: string, filterName: string, parser: () => LineParser, journal: boolean): Score {
  const text = readFileSync(corpusPath(`fail2ban/expect/${file}.expect.jsonl`), 'utf8');
  const records = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let used = 0;
  const misses: string[] = [];
  // One parser for the whole file, as the ingestor reads it (sshd sessions span lines).
  const p = parser();
  for (const r of records) {
    if (r.kind === 'addFILE' || r.line === undefined || r.expect === undefined) continue;
    // Journal records (`srv sshd[1]: msg`) carry no stamp: fail2ban reads them from journal fields.
    const options = r.filterOptions === undefined ? [] : Array.isArray(r.filterOptions) ? r.filterOptions : [r.filterOptions as FilterOption];
    const isJournal = journal || r.fileOptions?.logtype === 'journal' || options.some((o) => o.logtype === 'journal');
    const line = isJournal ? `Jan  1 00:00:00 ${r.line}` : r.line;
    const result = p.parseLine(line);
    if (!appliesInNormalMode(r, filterName)) continue;
    if (r.expect.constraint !== undefined && !constraintHolds(r.expect.constraint, filterName)) continue;
    if (DELIBERATE.has(`${file}:${r.line_no}`)) continue;
    used++;
    const fields = result.kind === 'event' ? result.fields : {};
    const category = fields['event.category'];
    const failure = Array.isArray(category) && category.includes('authentication') && fields['event.outcome'] === 'failure';
    const host = first(fields['source.ip']) ?? first(fields['source.address']);
    const expected = r.expect.host ?? r.expect.ip4 ?? r.expect.ip6 ?? undefined;
    if (r.expect.match === true) {
      if (failure && (expected === undefined || host === expected)) tp++;
      else {
        fn++;
        misses.push(`FN ${r.line_no}: got ${failure ? `failure from ${host}` : 'no failure'}, want ${expected}: ${r.line}`);
        if (failure && host !== undefined) fp++;
      }
    } else if (failure && host !== undefined) {
      fp++;
      misses.push(`FP ${r.line_no}: failure from ${host}: ${r.line}`);
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { file, records: used, tp, fp, fn, precision, recall, misses };
}

const syslogParser = (): LineParser => syslogFormat.createParser({ path: 'auth.log', referenceTime: Date.UTC(2005, 7, 14, 10) });
/** Web error logs as files, or through syslog (`httpd[1]: [authz_core:error] ...`, `nginx[1]: 2023/...`). */
const webErrorParser = (path: string) => (): LineParser => {
  const web = webErrorFormat.createParser({ path, referenceTime: Date.UTC(2005, 7, 14, 10) });
  const syslog = syslogParser();
  return {
    parseLine(line) {
      const result = web.parseLine(line);
      return result.kind === 'unparsed' ? syslog.parseLine(line) : result;
    },
  };
};

const FILES: readonly [file: string, filterName: string, parser: () => LineParser, journal: boolean][] = [
  ['sshd', 'sshd', syslogParser, false],
  ['sshd-journal', 'sshd', syslogParser, true],
  ['dropbear', 'dropbear', syslogParser, false],
  ['pam-generic', 'pam-generic', syslogParser, false],
  ['apache-auth', 'apache-auth', webErrorParser('apache2/error.log'), false],
  ['nginx-http-auth', 'nginx-http-auth', webErrorParser('nginx/error.log'), false],
];

describe.skipIf(!hasCorpus)(`fail2ban expectations, normal mode (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  const scores = FILES.map(([file, name, parser, journal]) => score(file, name, parser, journal));

  it('prints the agreement table', () => {
    const rows = scores.map((s) => `${s.file.padEnd(16)} ${String(s.records).padStart(4)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}  ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}`);
    console.log(['file             recs   TP  FP  FN  prec   recall', ...rows].join('\n'));
    for (const s of scores) if (s.misses.length > 0) console.log(`${s.file}:\n  ${s.misses.join('\n  ')}`);
    expect(scores.length).toBe(FILES.length);
  });

  for (const s of scores) {
    it(`${s.file}: precision and recall >= 0.95`, () => {
      expect(s.records).toBeGreaterThan(0);
      expect(s.precision, s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
      expect(s.recall, s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    });
  }
});
