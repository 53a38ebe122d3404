/**
 * Pure path and URL logic of the app:// protocol: where a request goes, whether a path stays inside
 * its root, what Content-Type a file gets. No Electron and no I/O here, so it is unit-tested in Node.
 */
import { DEMO_PATH_PREFIX, EVIDENCE_PATH_PREFIX } from '../shared/ipc';
import { appOriginOf } from './validate';
import { isEvidenceToken } from './evidence-registry';

export { contentTypeFor, isInside, OCTET_STREAM, resolveInside } from '../node/safe-path';

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

