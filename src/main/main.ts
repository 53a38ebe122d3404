/**
 * Electron main entry (bundled to dist/main/main.cjs). Thin: it wires the app:// protocol, the
 * hardening, the validated IPC and the window; parsing and detection run in the renderer's workers.
 */
import { BrowserWindow, app } from 'electron';
import path from 'node:path';
import { EvidenceRegistry } from './evidence-registry';
import { registerIpcHandlers } from './ipc';
import { installMenu } from './menu';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { hardenAllWebContents, hardenDefaultSession } from './security';
import { createMainWindow } from './window';

// Bundled as CommonJS: __dirname is dist/main, inside app.asar when packaged.
const distDir = path.resolve(__dirname, '..');
const rendererRoot = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'preload.cjs');
// extraResources puts the demo bundle next to app.asar; in development it is the repo's demo/.
const demoRoot = app.isPackaged ? path.join(process.resourcesPath, 'demo') : path.resolve(distDir, '..', 'demo');

let mainWindow: BrowserWindow | undefined;

function openWindow(): void {
  mainWindow = createMainWindow(preloadPath);
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Every renderer sandboxed, whatever a window asks for.
  app.enableSandbox();
  registerAppScheme();
  hardenAllWebContents();

  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.whenReady().then(() => {
    const evidence = new EvidenceRegistry();
    hardenDefaultSession();
    handleAppProtocol({ renderer: rendererRoot, demo: demoRoot }, evidence);
    registerIpcHandlers(evidence);
    installMenu();
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  }).catch((error: unknown) => {
    // A half-started app (no protocol, no IPC) must not linger.
    console.error('[main] startup failed', error);
    app.exit(1);
  });
}
