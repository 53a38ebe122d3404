/**
 * The contract between the Electron main process and the renderer: channel names, argument and
 * result types. The preload implements `DesktopApi` over these channels; main validates every
 * call against them. Nothing else crosses the process boundary.
 */

export const IpcChannel = {
  /** Shows the native open dialog; returns handles to the chosen evidence files. */
  openEvidence: 'loupe:open-evidence',
  /** Shows the native save dialog and writes the bytes there. */
  saveFile: 'loupe:save-file',
  /** Shows the native save dialog for a PDF report and writes it there. */
  saveReport: 'loupe:save-report',
} as const;

export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

export type OpenEvidenceKind = 'files' | 'folder';

/**
 * A file the analyst chose in a native dialog. Its bytes are streamed from
 * `app://loupe/evidence/<token>`; only tokens handed out by a dialog are served.
 */
export interface EvidenceHandle {
  readonly token: string;
  /** Path relative to what was chosen (the folder, or just the file name). */
  readonly relativePath: string;
  readonly size: number;
  /** mtime, epoch ms. */
  readonly lastModified: number;
}

export interface SaveFileRequest {
  readonly suggestedName: string;
  readonly data: Uint8Array;
}

export interface SaveFileResult {
  readonly saved: boolean;
}

/** A PDF incident report: main refuses a name not ending in .pdf or bytes that are not a PDF. */
export interface SaveReportRequest {
  readonly suggestedName: string;
  readonly data: Uint8Array;
}

/** What the preload exposes as `window.loupeDesktop`. */
export interface DesktopApi {
  openEvidence(kind: OpenEvidenceKind): Promise<readonly EvidenceHandle[]>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  saveReport(request: SaveReportRequest): Promise<SaveFileResult>;
}

/** The app's own origin in Electron; main refuses IPC from any other. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'loupe';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const EVIDENCE_PATH_PREFIX = '/evidence/';
export const DEMO_PATH_PREFIX = '/demo/';

/** The Content-Security-Policy of the renderer, shared by Electron's protocol handler and the web server. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every response that serves the renderer (Electron's app:// handler and the local web
 * server), errors included. COOP + COEP make the renderer cross-origin isolated.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
