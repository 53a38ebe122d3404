/**
 * Pure path and URL logic of the app:// protocol: where a request goes, whether a path stays inside
 * its root, what Content-Type a file gets. No Electron and no I/O here, so it is unit-tested in Node.
 */
import path from 'node:path';
import { DEMO_PATH_PREFIX, EVIDENCE_PATH_PREFIX } from '../shared/ipc';
import { appOriginOf } from './validate';
import { isEvidenceToken } from './evidence-registry';

/** Where an app:// request is served from. `path` is still percent-encoded, relative to its root. */
export type AppRoute =
  | { readonly kind: 'renderer'; readonly path: string }
  | { readonly kind: 'demo'; readonly path: string }
  | { readonly kind: 'evidence'; readonly token: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** Routes an app:// URL: '/demo/...' to the demo folder, '/evidence/<token>' to a picked file, the rest to the renderer. */
export function routeAppUrl(url: string): AppRoute {
  if (appOriginOf(url) === undefined) return { kind: 'refused', reason: 'not the app origin' };
  // appOriginOf parsed it already; parsing again cannot throw.
  const { pathname } = new URL(url);
  if (pathname.startsWith(EVIDENCE_PATH_PREFIX)) {
    const token = pathname.slice(EVIDENCE_PATH_PREFIX.length);
    return isEvidenceToken(token) ? { kind: 'evidence', token } : { kind: 'refused', reason: 'malformed evidence token' };
  }
  if (pathname.startsWith(DEMO_PATH_PREFIX)) return { kind: 'demo', path: pathname.slice(DEMO_PATH_PREFIX.length) };
  const rest = pathname.slice(1);
  return { kind: 'renderer', path: rest === '' ? 'index.html' : rest };
}

/**
 * The absolute path of `encodedPath` (a URL path, percent-encoded, relative) under `root`, or
 * undefined when it would leave the root or is malformed. Chromium and WHATWG URL parsing already
 * drop '..' segments, but '%2F' survives parsing and decodes to a separator, so the check is made
 * again here, on the decoded path, against the resolved root.
 */
export function resolveInside(root: string, encodedPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (decoded === '' || decoded.includes('\0')) return undefined;
  // Absolute in either convention ('/etc', '\\server', 'C:\\'): never joined onto the root.
  if (path.isAbsolute(decoded) || /^[\\/]/.test(decoded) || /^[a-zA-Z]:/.test(decoded)) return undefined;
  // A '..' segment is refused outright, even when it would stay inside (defence in depth).
  if (decoded.split(/[\\/]/).some((segment) => segment === '..')) return undefined;
  const base = path.resolve(root);
  const resolved = path.resolve(base, decoded);
  return isInside(base, resolved) ? resolved : undefined;
}

/** True when `candidate` is strictly below `root` (both absolute). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Content-Type of an app file by extension; anything unknown is opaque bytes (never sniffed as HTML). */
export function contentTypeFor(filePath: string): string {
  const ext = path.extname(filePath).toLowerCase();
  return Object.hasOwn(CONTENT_TYPES, ext) ? (CONTENT_TYPES[ext] ?? OCTET_STREAM) : OCTET_STREAM;
}

export const OCTET_STREAM = 'application/octet-stream';
