import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LineParser } from '../../../src/core/formats/format';
import { syslogFormat } from '../../../src/core/formats/syslog';
import { webErrorFormat } from '../../../src/core/formats/web-error';
import type { LoupeEvent } from '../../../src/core/model/event';
import { compileRules } from '../../../src/core/rules';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../corpus';
import { pack } from './helpers';

/**
 * fail2ban's annotated test logs (corpus/fail2ban/expect): every line its filter counts as a
 * failure (`match: true`, offender `host`) against what the pack's failed-login rules flag, line by
 * line and as failures per IP. Normal mode, as fail2ban-agreement.test.ts reads these files; the
 * same deliberate differences are left out, each with its reason there, plus the ones below.
 */

const FAILED_LOGIN_RULES = ['loupe_ssh_failed_login', 'loupe_pam_auth_failure_remote', 'loupe_web_error_log_auth_failure'];

interface Expect { readonly match?: boolean; readonly host?: string | null; readonly ip4?: string; readonly ip6?: string; readonly constraint?: string }
type FilterOption = { readonly mode?: string; readonly logtype?: string; readonly 'test.condition'?: string };
interface Record { readonly line_no?: number; readonly line?: string; readonly kind?: string; readonly expect?: Expect; readonly filterOptions?: readonly FilterOption[] | FilterOption; readonly fileOptions?: { readonly logtype?: string } }

function normalMode(r: Record): boolean {
  if (r.expect?.constraint !== undefined && !/^opts\.get\('mode'\) (==|!=) '/.test(r.expect.constraint)) return false;
  if (r.expect?.constraint !== undefined) {
    const [, op, mode] = /^opts\.get\('mode'\) (==|!=) '([^']*)'$/.exec(r.expect.constraint)!;
    if ((mode === 'normal') !== (op === '==')) return false;
  }
  if (r.filterOptions === undefined) return true;
  const options = Array.isArray(r.filterOptions) ? r.filterOptions : [r.filterOptions as FilterOption];
  return options.some((o) => (o.mode === undefined || o.mode === 'normal') && o['test.condition'] === undefined);
}

/**
 * As in fail2ban-agreement.test.ts: fail2ban holds back sshd's PAM line and counts an `Accepted`
 * after failures for different users (gh-2070); it drops linux-pam < 0.99.2 lines. In addition:
 * the pack's SSH rules leave sshd's PAM line out on purpose (the same attempt is logged again as
 * `Failed password`), which fail2ban counts where no `Failed` line follows in these short samples
 * (sshd-journal:242) and, in its pam-generic filter, for sshd too (pam-generic:4, 6).
 */
const DELIBERATE: ReadonlySet<string> = new Set([
  'pam-generic:12',
  ...[222, 236, 238, 248, 252, 258, 260, 262].map((n) => `sshd:${n}`),
  ...[220, 228, 230, 240, 244, 250, 252, 254].map((n) => `sshd-journal:${n}`),
  'sshd-journal:242',
  'pam-generic:4',
  'pam-generic:6',
]);

const referenceTime = Date.UTC(2005, 7, 14, 10);
const syslogParser = (): LineParser => syslogFormat.createParser({ path: 'auth.log', referenceTime });
const webErrorParser = (path: string) => (): LineParser => {
  const web = webErrorFormat.createParser({ path, referenceTime });
  const syslog = syslogParser();
  return { parseLine: (line) => { const r = web.parseLine(line); return r.kind === 'unparsed' ? syslog.parseLine(line) : r; } };
};
const FILES: readonly [string, () => LineParser, boolean][] = [
  ['sshd', syslogParser, false],
  ['sshd-journal', syslogParser, true],
  ['dropbear', syslogParser, false],
  ['pam-generic', syslogParser, false],
  ['apache-auth', webErrorParser('apache2/error.log'), false],
  ['nginx-http-auth', webErrorParser('nginx/error.log'), false],
];

interface Score { file: string; records: number; tp: number; fp: number; fn: number; ips: number; ipsSame: number; misses: string[] }

function score(file: string, parser: () => LineParser, journal: boolean): Score {
  const set = compileRules(pack.documents, { placeholders: pack.placeholders });
  const records = readFileSync(corpusPath(`fail2ban/expect/${file}.expect.jsonl`), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record);
  const p = parser();
  const s: Score = { file, records: 0, tp: 0, fp: 0, fn: 0, ips: 0, ipsSame: 0, misses: [] };
  const perIp = new Map<string, { expected: number; found: number }>();
  const bump = (ip: string, key: 'expected' | 'found') => {
    const c = perIp.get(ip) ?? { expected: 0, found: 0 };
    c[key]++;
    perIp.set(ip, c);
  };
  let id = 0;
  for (const r of records) {
    if (r.kind === 'addFILE' || r.line === undefined || r.expect === undefined) continue;
    const options = r.filterOptions === undefined ? [] : Array.isArray(r.filterOptions) ? r.filterOptions : [r.filterOptions as FilterOption];
    const isJournal = journal || r.fileOptions?.logtype === 'journal' || options.some((o) => o.logtype === 'journal');
    const result = p.parseLine(isJournal ? `Jan  1 00:00:00 ${r.line}` : r.line);
    if (!normalMode(r) || DELIBERATE.has(`${file}:${r.line_no}`)) continue;
    s.records++;
    let flaggedFrom: string | undefined;
    if (result.kind === 'event') {
      const event: LoupeEvent = { id: id++, timestamp: result.timestamp, fileId: 0, line: r.line_no ?? 0, lineCount: 1, offset: 0, raw: r.line, fields: { ...result.fields, 'event.dataset': result.dataset } };
      const keys = set.test(event);
      if (keys.some((k) => FAILED_LOGIN_RULES.includes(k))) {
        const peer = event.fields['source.ip'] ?? event.fields['source.address'];
        flaggedFrom = typeof peer === 'string' ? peer : undefined;
      }
    }
    const expected = r.expect.match === true ? (r.expect.host ?? r.expect.ip4 ?? r.expect.ip6 ?? undefined) : undefined;
    if (expected !== undefined) bump(expected, 'expected');
    if (flaggedFrom !== undefined) bump(flaggedFrom, 'found');
    if (r.expect.match === true && flaggedFrom !== undefined && flaggedFrom === expected) s.tp++;
    else if (r.expect.match === true) {
      s.fn++;
      if (flaggedFrom !== undefined) s.fp++;
      s.misses.push(`FN ${r.line_no}: got ${flaggedFrom ?? 'nothing'}, want ${expected}: ${r.line}`);
    } else if (flaggedFrom !== undefined) {
      s.fp++;
      s.misses.push(`FP ${r.line_no}: flagged ${flaggedFrom}: ${r.line}`);
    }
  }
  s.ips = perIp.size;
  for (const c of perIp.values()) if (c.expected === c.found) s.ipsSame++;
  return s;
}

describe.skipIf(!hasCorpus)(`failed-login rules vs fail2ban's annotated logs (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  const scores = hasCorpus ? FILES.map(([file, parser, journal]) => score(file, parser, journal)) : [];
  const total = scores.reduce((t, s) => ({ tp: t.tp + s.tp, fp: t.fp + s.fp, fn: t.fn + s.fn }), { tp: 0, fp: 0, fn: 0 });

  it('prints precision and recall per file and overall', () => {
    const rows = scores.map((s) => `${s.file.padEnd(16)} ${String(s.records).padStart(4)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}  ${(s.tp / (s.tp + s.fp)).toFixed(3)}  ${(s.tp / (s.tp + s.fn)).toFixed(3)}  ${s.ipsSame}/${s.ips}`);
    console.log(['file             recs   TP  FP  FN  prec   recall  IPs with the same count', ...rows,
      `overall precision ${(total.tp / (total.tp + total.fp)).toFixed(3)}, recall ${(total.tp / (total.tp + total.fn)).toFixed(3)} (TP ${total.tp}, FP ${total.fp}, FN ${total.fn})`].join('\n'));
    for (const s of scores) if (s.misses.length > 0) console.log(`${s.file}:\n  ${s.misses.join('\n  ')}`);
    expect(scores.length).toBe(FILES.length);
  });

  for (const s of scores) {
    it(`${s.file}: precision and recall >= 0.95, failures per IP the same for >= 95% of IPs`, () => {
      expect(s.records).toBeGreaterThan(0);
      expect(s.tp / (s.tp + s.fp), s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
      expect(s.tp / (s.tp + s.fn), s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
      expect(s.ipsSame / s.ips).toBeGreaterThanOrEqual(0.95);
    });
  }
});
