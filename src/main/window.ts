/** The one application window. */
import { BrowserWindow, app } from 'electron';
import { APP_ORIGIN } from '../shared/ipc';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Loupe',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Packaged builds have no DevTools at all, not just no menu item.
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No case is open at launch, so start on the demo bundle.
  void win.loadURL(`${APP_ORIGIN}/index.html?demo=1`);
  return win;
}
