/**
 * A minimal application menu. It sends nothing to the renderer (the renderer has its own open and
 * save buttons), so no channel exists from main to the page. Linux only: copy and paste are
 * handled by the page's own key bindings; macOS would also need an Edit menu of roles.
 */
import { Menu, app, type MenuItemConstructorOptions } from 'electron';

export function installMenu(): void {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    // DevTools only in development: a packaged forensic tool exposes no console to the page.
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
  ];
  const template: MenuItemConstructorOptions[] = [
    { label: '&File', submenu: [{ role: 'quit' }] },
    { label: '&View', submenu: view },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
