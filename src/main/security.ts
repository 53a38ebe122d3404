/**
 * Hardening applied to every web contents and the default session (Electron security checklist
 * items 13, 14, 5): no navigation away from the app, no new windows, no webviews, no permissions,
 * no remote requests. Nothing here opens a URL externally: log-derived strings never reach the shell.
 */
import { app, session, type WebContents } from 'electron';
import { isAppUrl } from './validate';

function refuseUnlessApp(kind: string, url: string, prevent: () => void): void {
  if (isAppUrl(url)) return;
  prevent();
  console.warn(`[security] blocked ${kind} to ${JSON.stringify(url)}`);
}

function hardenWebContents(contents: WebContents): void {
  // Same-origin navigation (a reload, a route) is fine; anything else, a dropped file:// included, is not.
  // Subframes are left to the CSP (frame-src falls back to 'self').
  contents.on('will-navigate', (event) => refuseUnlessApp('navigation', event.url, () => event.preventDefault()));
  contents.on('will-redirect', (event) => refuseUnlessApp('redirect', event.url, () => event.preventDefault()));
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`[security] blocked window.open of ${JSON.stringify(url)}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    console.warn('[security] blocked a <webview>');
  });
}

/** Hooks every web contents as it is created; call before any window exists. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** Denies every permission and cancels every network request; call once ready. */
export function hardenDefaultSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    console.warn(`[security] denied permission request ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Loupe is offline: the CSP already limits the page to 'self'; this also covers workers and DevTools.
  // file:// needs no filter: the app never loads it and navigation to it is refused above.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      console.warn(`[security] cancelled request to ${JSON.stringify(details.url)}`);
      callback({ cancel: true });
    },
  );
}
