/**
 * The app:// scheme: the renderer is served from here, never from file:// (Electron security
 * checklist item 18), so it has a real origin for CSP, the IPC sender check and fetch().
 */
import { protocol } from 'electron';
import { APP_SCHEME } from '../shared/ipc';
import { createAppRequestHandler, internalError, type AppProtocolRoots } from './app-protocol';
import type { EvidenceLookup } from './evidence-registry';

/** Must run before app 'ready': privileges can only be granted at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: a real origin and relative URLs; secure: a secure context (crypto.subtle, workers);
      // stream: evidence is streamed, not buffered. No bypassCSP, no service workers.
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true },
    },
  ]);
}

/** Serves app:// on the default session; call once the app is ready. */
export function handleAppProtocol(roots: AppProtocolRoots, evidence: EvidenceLookup): void {
  const handler = createAppRequestHandler(roots, evidence);
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      console.error('[protocol] failed to serve', request.url, error);
      return internalError(); // still with the CSP and isolation headers
    }
  });
}
