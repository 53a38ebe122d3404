import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describeError } from './read';

/**
 * Turns the files and folders named on a command line into evidence files, each with its path
 * inside the bundle: relative to the parent of a given folder (`/x/sosreport-h-…` gives
 * `sosreport-h-…/var/log/kern.log`, so the bundle layout stays recognizable), the base name for a
 * loose file. Inside folders symlinks are not followed (a bundle may link outside itself, or in a
 * loop) and special files are not opened (a FIFO would block); both are listed with an error.
 * A path named on the command line itself is followed, as `find -H` does: the analyst chose it.
 */

export interface EvidenceFile {
  readonly kind: 'file';
  /** Absolute path on disk. */
  readonly path: string;
  /** Path inside the bundle, with forward slashes. */
  readonly bundlePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Something found that is not read: a symlink, a special file, an unreadable folder. */
export interface EvidenceSkipped {
  readonly kind: 'skipped';
  readonly path: string;
  readonly bundlePath: string;
  readonly error: string;
}

export type EvidenceEntry = EvidenceFile | EvidenceSkipped;

export interface MissingInput {
  readonly arg: string;
  readonly error: string;
}

export interface CollectedEvidence {
  /** Sorted by bundle path. */
  readonly entries: readonly EvidenceEntry[];
  /** Arguments that do not exist or cannot be looked at (bad usage). */
  readonly missing: readonly MissingInput[];
}

export const SYMLINK_NOT_FOLLOWED = 'symlink not followed';

function toBundlePath(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export async function collectEvidence(args: readonly string[]): Promise<CollectedEvidence> {
  const entries: EvidenceEntry[] = [];
  const missing: MissingInput[] = [];
  const seen = new Set<string>();
  const add = (entry: EvidenceEntry): void => {
    // The same file named twice (a folder and a file in it) is evidence once.
    if (seen.has(entry.path)) return;
    seen.add(entry.path);
    entries.push(entry);
  };

  for (const arg of args) {
    const absolute = resolve(arg);
    let info;
    try {
      info = await stat(absolute);
    } catch (e) {
      missing.push({ arg, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : describeError(e) });
      continue;
    }
    if (info.isDirectory()) {
      await walk(absolute, dirname(absolute), add);
    } else if (info.isFile()) {
      add({ kind: 'file', path: absolute, bundlePath: basename(absolute), size: info.size, mtimeMs: info.mtimeMs });
    } else {
      add({ kind: 'skipped', path: absolute, bundlePath: basename(absolute), error: 'not a regular file or folder' });
    }
  }
  entries.sort((a, b) => (a.bundlePath < b.bundlePath ? -1 : a.bundlePath > b.bundlePath ? 1 : a.path < b.path ? -1 : 1));
  return { entries, missing };
}

async function walk(folder: string, base: string, add: (entry: EvidenceEntry) => void): Promise<void> {
  let children;
  try {
    children = await readdir(folder, { withFileTypes: true });
  } catch (e) {
    add({ kind: 'skipped', path: folder, bundlePath: toBundlePath(relative(base, folder)), error: `cannot read folder: ${describeError(e)}` });
    return;
  }
  for (const child of children) {
    const path = join(folder, child.name);
    const bundlePath = toBundlePath(relative(base, path));
    if (child.isSymbolicLink()) {
      add({ kind: 'skipped', path, bundlePath, error: SYMLINK_NOT_FOLLOWED });
    } else if (child.isDirectory()) {
      await walk(path, base, add);
    } else if (child.isFile()) {
      try {
        const info = await lstat(path);
        add({ kind: 'file', path, bundlePath, size: info.size, mtimeMs: info.mtimeMs });
      } catch (e) {
        add({ kind: 'skipped', path, bundlePath, error: describeError(e) });
      }
    } else {
      add({ kind: 'skipped', path, bundlePath, error: 'not a regular file or folder' });
    }
  }
}
