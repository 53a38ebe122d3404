/**
 * Lists the regular files under a folder the analyst chose. Symlinks are skipped (a bundle may
 * hold links to /etc or to itself), as are sockets, FIFOs and devices (reading a FIFO blocks).
 * Node only, no Electron.
 */
import { lstat, opendir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FoundFile {
  readonly absolutePath: string;
  /** '/'-separated, starting with the chosen folder's own name: 'sosreport-x/var/log/kern.log'. */
  readonly relativePath: string;
  readonly size: number;
  /** mtime, epoch ms. */
  readonly lastModified: number;
}

export interface WalkResult {
  readonly files: readonly FoundFile[];
  /** True when the file cap stopped the walk early. */
  readonly truncated: boolean;
  /** Symlinks, special files, unreadable folders and folders beyond the depth cap. */
  readonly skipped: number;
}

export interface WalkOptions {
  readonly maxFiles?: number;
  readonly maxDepth?: number;
}

export const MAX_FOLDER_FILES = 100_000;
/** Deeper than any real bundle; bounds the walk should a bind mount loop. */
export const MAX_FOLDER_DEPTH = 64;

/** Walks `root` depth first, entries in name order, so the same folder lists the same way each time. */
export async function walkEvidenceFolder(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const maxFiles = options.maxFiles ?? MAX_FOLDER_FILES;
  const maxDepth = options.maxDepth ?? MAX_FOLDER_DEPTH;
  const base = path.resolve(root);
  // '/' has no base name; name it so every relative path still starts with a segment.
  const rootName = path.basename(base) || 'root';
  const files: FoundFile[] = [];
  let skipped = 0;

  const stack: { dir: string; segments: readonly string[] }[] = [{ dir: base, segments: [rootName] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { dir, segments } = next;
    let names: { name: string; kind: 'dir' | 'file' | 'other' }[];
    try {
      names = [];
      for await (const entry of await opendir(dir)) {
        names.push({ name: entry.name, kind: entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other' });
      }
    } catch {
      skipped++; // unreadable folder: list the rest
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const subdirs: { dir: string; segments: readonly string[] }[] = [];
    for (const { name, kind } of names) {
      const absolutePath = path.join(dir, name);
      const childSegments = [...segments, name];
      if (kind === 'dir') {
        // Dirent.isDirectory() is false for a symlink to a folder, so links are never followed.
        if (childSegments.length > maxDepth) skipped++;
        else subdirs.push({ dir: absolutePath, segments: childSegments });
        continue;
      }
      if (kind !== 'file') {
        skipped++; // symlink, socket, FIFO, device
        continue;
      }
      if (files.length >= maxFiles) return { files, truncated: true, skipped };
      try {
        const info = await lstat(absolutePath);
        if (!info.isFile()) {
          skipped++; // replaced since it was listed
          continue;
        }
        files.push({ absolutePath, relativePath: childSegments.join('/'), size: info.size, lastModified: Math.trunc(info.mtimeMs) });
      } catch {
        skipped++; // vanished or unreadable since it was listed
      }
    }
    // Reversed so the first folder in name order is popped first.
    for (const sub of subdirs.reverse()) stack.push(sub);
  }
  return { files, truncated: false, skipped };
}

/**
 * A file picked on its own: its base name, size and mtime, or undefined when it is not a regular
 * file. The analyst chose this path, so a symlink to it is followed (stat, not lstat).
 */
export async function describePickedFile(absolutePath: string): Promise<FoundFile | undefined> {
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) return undefined;
    return { absolutePath, relativePath: path.basename(absolutePath), size: info.size, lastModified: Math.trunc(info.mtimeMs) };
  } catch {
    return undefined;
  }
}
