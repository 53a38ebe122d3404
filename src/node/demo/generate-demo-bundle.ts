/** Writes the demo bundle (see demo-files.ts) to disk with fixed mtimes, plus a manifest. */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildDemoFiles, DEMO_LOG_MTIME_MS, DEMO_TOP_DIR } from './demo-files';

export interface DemoManifest {
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly mtime: number }[];
}

export interface DemoBundleInfo {
  readonly outDir: string;
  /** Absolute path of the sos top directory. */
  readonly bundleDir: string;
  readonly manifestPath: string;
  readonly fileCount: number;
  readonly totalBytes: number;
}

/**
 * Writes every file under outDir (created if needed; existing files are overwritten, others left
 * alone) and `manifest.json` next to the top directory.
 */
export async function generateDemoBundle(outDir: string): Promise<DemoBundleInfo> {
  const files = buildDemoFiles();
  const manifest: DemoManifest = { name: DEMO_TOP_DIR, files: [] };
  const entries: { path: string; bytes: number; mtime: number }[] = [];
  let totalBytes = 0;
  for (const file of files) {
    const target = join(outDir, ...file.relativePath.split('/'));
    const data = Buffer.from(file.content, 'utf8');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
    // utimes takes seconds; the mtimes are whole seconds, so nothing is lost.
    await utimes(target, file.mtime / 1000, file.mtime / 1000);
    entries.push({ path: file.relativePath, bytes: data.length, mtime: file.mtime });
    totalBytes += data.length;
  }
  const manifestPath = join(outDir, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify({ ...manifest, files: entries }, null, 2) + '\n');
  await utimes(manifestPath, DEMO_LOG_MTIME_MS / 1000, DEMO_LOG_MTIME_MS / 1000);
  return { outDir, bundleDir: join(outDir, DEMO_TOP_DIR), manifestPath, fileCount: files.length, totalBytes };
}
