import type { LogFamily } from '../formats/format';
import { parseSosName, splitBundlePath } from './layout';

/**
 * What a dropped bundle is: a sos report (its version, host, collection time and zone), how MAAS
 * was installed (snap or deb), and which of the five log families it holds, so the analyst sees
 * the gaps ("no web server logs in this bundle") before reading a single event.
 */

export type MaasInstall = 'snap' | 'deb' | 'unknown';

export interface BundleFacts {
  /** The bundle's top folder ('' for loose files). */
  readonly root: string;
  readonly kind: 'sos' | 'folder' | 'loose';
  readonly sosVersion?: string;
  readonly host?: string;
  readonly maasInstall: MaasInstall;
  readonly maasVersion?: string;
  /** When the bundle was collected (sos `date`), UTC ms. */
  readonly collectedAt?: number;
  /** IANA zone of the host (etc/timezone, timedatectl). */
  readonly timeZone?: string;
  /** Paths (inside the bundle) of the files of each family. */
  readonly families: Readonly<Record<LogFamily, readonly string[]>>;
  /** Families with no file, each with a sentence for the analyst. */
  readonly missing: readonly { readonly family: LogFamily; readonly message: string }[];
}

const FAMILY_PATHS: readonly [LogFamily, RegExp][] = [
  ['web', /^var\/log\/(apache2|httpd|nginx)\/|^var\/(snap\/maas\/common|log\/maas)\/log\/http\/|^var\/log\/maas\/http\//],
  ['maas', /^var\/snap\/maas\/common\/log\/|^var\/log\/maas\/|^sos_commands\/maas\/journalctl_/],
  ['firewall', /^var\/log\/(ufw\.log|kern\.log|syslog)|^sos_commands\/logs\/journalctl_--no-pager/],
  ['system', /^var\/log\/(syslog|auth\.log|kern\.log|messages|secure)|^sos_commands\/logs\/journalctl_--no-pager/],
  ['audit', /(^|\/)[^/]*events[^/]*audit[^/]*$|(^|\/)audit[^/]*\.(json|txt)$/i],
];

const MISSING_MESSAGES: Readonly<Record<LogFamily, string>> = {
  web: 'no web server logs in this bundle (Apache, nginx or MAAS http)',
  maas: 'no MAAS service logs in this bundle (regiond, rackd, maas.log)',
  firewall: 'no kernel or syslog files that could hold UFW/iptables lines',
  system: 'no system logs in this bundle (syslog, auth.log, journal)',
  audit: 'no MAAS audit events in this bundle (export them with `maas $PROFILE events query level=AUDIT`)',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses the `date` command's output as sos saves it, in either layout:
 * `Thu 12 Mar 2026 18:05:11 UTC`, `Thu 10 Feb 16:19:17 UTC 2022`, or timedatectl's
 * `Universal time: Thu 2022-02-10 09:52:10 UTC`. Only UTC stamps are trusted (an abbreviation
 * like CET is ambiguous); returns UTC ms or undefined.
 */
export function parseSosDate(text: string): number | undefined {
  const universal = /Universal time: \w{3} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC/.exec(text);
  if (universal !== null) {
    const [, y, mo, d, h, mi, s] = universal.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  }
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const a = /^\w{3} (\d{1,2}) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) (?:UTC|GMT)$/.exec(line);
  const b = /^\w{3} (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (?:UTC|GMT) (\d{4})$/.exec(line);
  const c = /^\w{3} (\d{1,2}) (\w{3}) (\d\d):(\d\d):(\d\d) (?:UTC|GMT) (\d{4})$/.exec(line);
  let parts: [string, string, string, string, string, string] | undefined;
  if (a !== null) parts = [a[3]!, a[2]!, a[1]!, a[4]!, a[5]!, a[6]!];
  else if (b !== null) parts = [b[6]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!];
  else if (c !== null) parts = [c[6]!, c[2]!, c[1]!, c[3]!, c[4]!, c[5]!];
  if (parts === undefined) return undefined;
  const month = MONTHS.indexOf(parts[1].toLowerCase());
  if (month < 0) return undefined;
  return Date.UTC(Number(parts[0]), month, Number(parts[2]), Number(parts[3]), Number(parts[4]), Number(parts[5]));
}

/** The zone named by etc/timezone or timedatectl's `Time zone:` line. */
export function parseTimeZone(text: string): string | undefined {
  const timedatectl = /Time zone: ([A-Za-z_+\-/0-9]+)/.exec(text);
  const zone = timedatectl?.[1] ?? text.split('\n')[0]?.trim();
  return zone !== undefined && /^[A-Za-z_+\-/0-9]{1,64}$/.test(zone) ? zone : undefined;
}

/** `sosreport: 4.2` (up to 4.7) or `sos report: 4.8.0` (4.8 and later). */
export function parseSosVersion(text: string): string | undefined {
  return /^sos ?report: *(\S+)/m.exec(text)?.[1];
}

/** MAAS version from `snap info maas` (`installed: 3.4.1-...`) or `apt-cache policy` (`Installed: 1:3.4.1-...`). */
export function parseMaasVersion(text: string): string | undefined {
  const m = /^\s*[Ii]nstalled:\s+(?:\d+:)?(\d+\.\d+(?:\.\d+)?)/m.exec(text);
  return m?.[1];
}

/** Files whose text tells about the bundle; the caller reads them (small) and passes them in. */
export function isBundleFactFile(inner: string): boolean {
  return /^(version\.txt|date|sos_commands\/date\/date|etc\/timezone|sos_commands\/systemd\/timedatectl|etc\/hostname|sos_commands\/host\/hostname|hostname|sos_commands\/maas\/(snap_info_maas|apt-cache_policy_maas.*))$/.test(inner);
}

/** Recognises each bundle root among `paths`; `texts` maps full paths of fact files to their text. */
export function recognizeBundles(paths: readonly string[], texts: ReadonlyMap<string, string>): BundleFacts[] {
  const roots = new Map<string, string[]>();
  for (const path of paths) {
    const { root, inner } = splitBundlePath(path);
    const list = roots.get(root) ?? [];
    list.push(inner);
    roots.set(root, list);
  }
  return [...roots].map(([root, inners]) => recognizeOne(root, inners, (inner) => texts.get(root === '' ? inner : `${root}/${inner}`)));
}

function recognizeOne(root: string, inners: readonly string[], text: (inner: string) => string | undefined): BundleFacts {
  const topDir = root.split('/').pop() ?? root;
  const isSos = inners.includes('version.txt') || inners.some((p) => p.startsWith('sos_commands/')) || topDir.startsWith('sosreport-');
  const families: Record<LogFamily, string[]> = { firewall: [], web: [], maas: [], system: [], audit: [] };
  const layoutKnown = inners.some((p) => p.startsWith('var/') || p.startsWith('sos_commands/'));
  for (const inner of inners) {
    for (const [family, pattern] of FAMILY_PATHS) if (pattern.test(inner)) families[family].push(inner);
    // Loose files: guess the family by name alone.
    if (!layoutKnown) {
      const name = inner.split('/').pop() ?? inner;
      if (/access|error/.test(name) && !/maas/.test(name)) families.web.push(inner);
      if (/regiond|rackd|maas/.test(name)) families.maas.push(inner);
      if (/ufw|kern|syslog/.test(name)) families.firewall.push(inner);
      if (/syslog|auth|kern|messages|journal/.test(name)) families.system.push(inner);
    }
  }
  const maasInstall: MaasInstall = inners.some((p) => p.startsWith('var/snap/maas/')) ? 'snap' : inners.some((p) => p.startsWith('var/log/maas/') || p.startsWith('etc/maas/')) ? 'deb' : 'unknown';
  const hostText = text('etc/hostname') ?? text('sos_commands/host/hostname') ?? text('hostname');
  const hostFromFile = hostText?.split('\n')[0]?.trim();
  const host = hostFromFile !== undefined && /^[A-Za-z0-9.-]{1,253}$/.test(hostFromFile) ? hostFromFile : parseSosName(topDir)?.host;
  const dateText = text('sos_commands/date/date') ?? text('date') ?? text('sos_commands/systemd/timedatectl');
  const zoneText = text('etc/timezone') ?? text('sos_commands/systemd/timedatectl');
  const versionText = text('version.txt');
  const maasText = inners.map((p) => (/^sos_commands\/maas\/(snap_info_maas|apt-cache_policy_maas)/.test(p) ? text(p) : undefined)).find((t) => t !== undefined);
  const facts: BundleFacts = {
    root,
    kind: isSos ? 'sos' : root === '' ? 'loose' : 'folder',
    maasInstall,
    families,
    missing: (Object.keys(MISSING_MESSAGES) as LogFamily[]).filter((f) => families[f].length === 0).map((family) => ({ family, message: MISSING_MESSAGES[family] })),
    ...(versionText !== undefined && parseSosVersion(versionText) !== undefined ? { sosVersion: parseSosVersion(versionText)! } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(maasText !== undefined && parseMaasVersion(maasText) !== undefined ? { maasVersion: parseMaasVersion(maasText)! } : {}),
    ...(dateText !== undefined && parseSosDate(dateText) !== undefined ? { collectedAt: parseSosDate(dateText)! } : {}),
    ...(zoneText !== undefined && parseTimeZone(zoneText) !== undefined ? { timeZone: parseTimeZone(zoneText)! } : {}),
  };
  return facts;
}

/**
 * Orders rotated logs oldest first so each log reads as one stream: `kern.log.3.gz`, `kern.log.2.gz`,
 * `kern.log.1`, `kern.log`. Files of different logs keep their relative order.
 */
export function rotationKey(path: string): { readonly base: string; readonly generation: number } {
  const m = /^(.*?)(?:\.(\d+))?(?:\.(gz|xz|bz2|zst))?$/.exec(path);
  const base = m?.[1] ?? path;
  return { base, generation: m?.[2] !== undefined ? Number(m[2]) : 0 };
}

export function orderRotated<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const { base } = rotationKey(pathOf(item));
    if (!first.has(base)) first.set(base, i);
  });
  return items
    .map((item, i) => ({ item, i, key: rotationKey(pathOf(item)) }))
    .sort((a, b) => first.get(a.key.base)! - first.get(b.key.base)! || b.key.generation - a.key.generation || a.i - b.i)
    .map((x) => x.item);
}
