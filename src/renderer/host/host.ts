import type { IngestSource } from '../../workers/contract';

/**
 * What the renderer needs from the shell it runs in. Desktop (Electron, through the preload's
 * narrow API) and web (file inputs and downloads) implement it; the root picks one.
 */
export interface Host {
  readonly kind: 'desktop' | 'web';
  /** Asks the analyst for evidence files (or a folder); an empty list when they cancel. */
  pickEvidence(kind: 'files' | 'folder'): Promise<IngestSource[]>;
  saveFile(suggestedName: string, data: Uint8Array, mimeType: string): Promise<boolean>;
  /** Saves a PDF report: a native save dialog in Electron, a download in the browser. */
  saveReport(suggestedName: string, pdf: Uint8Array): Promise<boolean>;
  /** The bundled demo case's files. */
  demoSources(): Promise<IngestSource[]>;
}

interface DemoManifest {
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly mtime: number }[];
}

function isDemoManifest(value: unknown): value is DemoManifest {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as DemoManifest).files)) return false;
  return (value as DemoManifest).files.every((f) => typeof f.path === 'string' && typeof f.bytes === 'number' && typeof f.mtime === 'number' && !f.path.split('/').includes('..'));
}

/** Reads `demo/manifest.json` next to the app; both hosts serve the demo bundle there. */
export async function demoSourcesFrom(base: URL): Promise<IngestSource[]> {
  const response = await fetch(new URL('demo/manifest.json', base));
  if (!response.ok) throw new Error(`the demo bundle is missing (HTTP ${response.status}); run "npm run demo-bundle"`);
  const manifest: unknown = await response.json();
  if (!isDemoManifest(manifest)) throw new Error('demo/manifest.json is not a demo manifest');
  return manifest.files.map((f) => ({
    kind: 'url' as const,
    url: new URL(`demo/${f.path.split('/').map(encodeURIComponent).join('/')}`, base).href,
    path: f.path,
    bytes: f.bytes,
    lastModified: f.mtime,
  }));
}
