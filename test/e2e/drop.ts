import type { Page } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DroppedFile {
  /** Path as a folder drop gives it, e.g. `sosreport-x/var/log/kern.log`. */
  readonly path: string;
  /** Contents, base64 (so binary and invalid UTF-8 survive). */
  readonly base64: string;
  readonly mtime: number;
}

/** Every file under `dir`, with paths relative to the parent of `dir` (as dropping the folder gives). */
export function folderFiles(dir: string): DroppedFile[] {
  const out: DroppedFile[] = [];
  const parent = join(dir, '..');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const info = statSync(full);
      if (info.isDirectory()) walk(full);
      else out.push({ path: relative(parent, full), base64: readFileSync(full).toString('base64'), mtime: info.mtimeMs });
    }
  };
  walk(dir);
  return out;
}

export function textFile(path: string, text: string | Uint8Array, mtime = Date.UTC(2026, 2, 12, 18)): DroppedFile {
  return { path, base64: Buffer.from(text).toString('base64'), mtime };
}

/**
 * Drops files onto the workbench the way a drag from a file manager does: a `drop` event whose
 * DataTransfer holds File objects carrying their folder-relative paths.
 */
export async function dropFiles(page: Page, files: readonly DroppedFile[]): Promise<void> {
  await page.evaluate((payload) => {
    const transfer = new DataTransfer();
    for (const f of payload) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const file = new File([bytes], f.path.split('/').pop() ?? f.path, { lastModified: f.mtime });
      Object.defineProperty(file, 'webkitRelativePath', { value: f.path });
      transfer.items.add(file);
    }
    const target = document.querySelector('[data-testid="app"]');
    if (target === null) throw new Error('app not rendered');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files);
}

/** Drops a large file generated inside the page (`line` repeated `repeat` times), after `before`. */
export async function dropLargeFile(page: Page, before: readonly DroppedFile[], path: string, line: string, repeat: number): Promise<void> {
  await page.evaluate(({ before, path, line, repeat }) => {
    const transfer = new DataTransfer();
    for (const f of before) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const file = new File([bytes], f.path.split('/').pop() ?? f.path, { lastModified: f.mtime });
      Object.defineProperty(file, 'webkitRelativePath', { value: f.path });
      transfer.items.add(file);
    }
    const chunk = `${line}\n`.repeat(10_000);
    const parts: string[] = [];
    for (let i = 0; i < repeat / 10_000; i++) parts.push(chunk);
    const big = new File(parts, path, { lastModified: Date.UTC(2026, 2, 12, 18) });
    Object.defineProperty(big, 'webkitRelativePath', { value: path });
    transfer.items.add(big);
    const target = document.querySelector('[data-testid="app"]');
    if (target === null) throw new Error('app not rendered');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { before, path, line, repeat });
}
