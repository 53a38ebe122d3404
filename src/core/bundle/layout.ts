/**
 * What a path inside a dropped bundle is: a log to parse, or collection metadata of a sos report
 * (version.txt, etc/, command output) that is recorded as evidence but not read as log lines.
 */

export type EvidenceRole = 'log' | 'metadata';

/** sos friendly and legacy names: sosreport-<host>[-<label>][-<case>]-YYYY-MM-DD-<7 a-z> / -YYYYMMDDHHMMSS. */
// The host may hold hyphens (maas-region-01) and so may a label; the host is taken to run up to the date, as
// labels are rare and a hostname file, when present, overrides this.
const SOS_FRIENDLY = /^sosreport-(.+)-(\d{4}-\d{2}-\d{2})-([a-z]{7})$/;
const SOS_LEGACY = /^sosreport-([^.]+?)(?:\.[^-]*)?-(\d{14})$/;

export interface SosName {
  readonly host: string;
  readonly date: string;
}

/** Host and date from a sos report's top directory name; the host may still carry a label. */
export function parseSosName(topDir: string): SosName | undefined {
  const name = topDir.replace(/\.(tar(\.(xz|gz|bz2))?|tgz|zip)$/, '');
  const friendly = SOS_FRIENDLY.exec(name);
  if (friendly !== null) return { host: friendly[1]!, date: friendly[2]! };
  const legacy = SOS_LEGACY.exec(name);
  if (legacy !== null) return { host: legacy[1]!, date: legacy[2]!.slice(0, 8) };
  return undefined;
}

/**
 * Splits `sosreport-x/var/log/kern.log` into the bundle root and the path inside it. A sos report
 * inside a dropped folder (`cases/sosreport-x/...`) is found at any depth; otherwise the first
 * folder is the root, unless the path already starts inside a system tree (`var/log/...`).
 */
export function splitBundlePath(path: string): { root: string; inner: string } {
  const normalized = path.replace(/\\/g, '/').replace(/^\.?\//, '');
  const segments = normalized.split('/');
  const sos = segments.findIndex((segment, i) => segment.startsWith('sosreport-') && i < segments.length - 1);
  if (sos >= 0) return { root: segments.slice(0, sos + 1).join('/'), inner: segments.slice(sos + 1).join('/') };
  if (segments.length === 1) return { root: '', inner: normalized };
  const first = segments[0]!;
  // A path that climbs out ('../../etc/passwd': a hostile member) is shown whole, in no bundle.
  if (first === '..' || first === 'var' || first === 'etc' || first === 'sos_commands') return { root: '', inner: normalized };
  return { root: first, inner: segments.slice(1).join('/') };
}

const LOG_PREFIXES = ['var/log/', 'var/snap/maas/common/log/', 'sos_strings/', 'sos_commands/logs/journalctl_--no-pager', 'sos_commands/maas/journalctl_'];
const METADATA = /^(version\.txt|environment|date|hostname|uptime|uname|lsb-release|free|df|ps|pstree|mount|lsmod|lspci|lsof|last|ip_addr|dmidecode|installed-(debs|snaps)|vgdisplay|manifest\.json)$/;

export function evidenceRole(path: string): EvidenceRole {
  const { inner } = splitBundlePath(path);
  if (LOG_PREFIXES.some((p) => inner.startsWith(p))) return inner.endsWith('journalctl_--disk-usage') ? 'metadata' : 'log';
  if (METADATA.test(inner)) return 'metadata';
  if (/^(etc|proc|sys|run|usr|boot|sos_commands|sos_reports|sos_logs)\//.test(inner)) return 'metadata';
  return 'log';
}
