/**
 * Serving files by URL path without leaving a root folder, and their content types. Shared by the
 * Electron app:// protocol handler (src/main) and the local web server (npm start, tests).
 */
import path from 'node:path';

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
