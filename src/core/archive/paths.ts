/**
 * Entry paths from an archive are untrusted. Nothing is extracted to disk, but the path becomes the
 * evidence's name, so one that could escape a folder (absolute, `..`, a drive letter, a NUL byte)
 * or that no file system could hold is refused and reported instead.
 */

export type SafePathResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

export interface SafePathOptions {
  /** Longest path accepted, in UTF-8 bytes. Default 4096 (Linux PATH_MAX). */
  readonly maxBytes?: number;
  /** Longest single segment accepted, in UTF-8 bytes. Default 255 (NAME_MAX). */
  readonly maxSegmentBytes?: number;
}

const encoder = new TextEncoder();

/**
 * The normalised path inside the archive (`./a//b/` -> `a/b`), or why it is refused. An empty
 * result (the entry `./` itself) is refused with reason 'empty path' so callers can skip it quietly.
 */
export function safeEntryPath(raw: string, options: SafePathOptions = {}): SafePathResult {
  const maxBytes = options.maxBytes ?? 4096;
  const maxSegmentBytes = options.maxSegmentBytes ?? 255;
  if (raw.includes('\0')) return { ok: false, reason: 'path contains a NUL byte' };
  if (raw.startsWith('/') || raw.startsWith('\\')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(raw)) return { ok: false, reason: 'path starts with a drive letter' };
  if (encoder.encode(raw).length > maxBytes) return { ok: false, reason: `path longer than ${maxBytes} bytes` };
  const kept: string[] = [];
  // A backslash is a plain character on Linux, but `..\` escapes on Windows: check both separators.
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment.split('\\').includes('..')) return { ok: false, reason: "path has a '..' segment" };
    if (encoder.encode(segment).length > maxSegmentBytes) {
      return { ok: false, reason: `path segment longer than ${maxSegmentBytes} bytes` };
    }
    kept.push(segment);
  }
  if (kept.length === 0) return { ok: false, reason: 'empty path' };
  // `./C:/x` normalises to `C:/x` and `./\x` to `\x` (a drive's root on Windows): the checks of
  // the raw path must hold for the result too.
  const first = kept[0]!;
  if (/^[A-Za-z]:/.test(first)) return { ok: false, reason: 'path starts with a drive letter' };
  if (first.startsWith('\\')) return { ok: false, reason: 'absolute path' };
  return { ok: true, path: kept.join('/') };
}
