/**
 * `npm start`: opens the workbench with the demo case. In Electron when its binary is installed;
 * otherwise (as on machines where Electron's download is blocked) serves the same renderer on
 * 127.0.0.1 and opens it in an installed Chromium/Chrome app window, or prints the URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { startWebServer } from '../src/node/web-server';

const root = process.cwd();
const require = createRequire(join(root, 'package.json'));

function electronBinary(): string | undefined {
  try {
    // The `electron` package exports the binary's path, and throws when its download never happened.
    const path: unknown = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function findBrowser(): string | undefined {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY']);
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'demo', 'manifest.json'))) {
    spawnSync(process.execPath, [join(root, 'dist/scripts/demo-bundle.mjs')], { stdio: 'inherit', cwd: root });
  }
  const electron = electronBinary();
  if (electron !== undefined) {
    const child = spawn(electron, [root], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const port = Number(process.env['LOUPE_PORT'] ?? 4780);
  const options = { rendererDir: resolve(root, 'dist/renderer'), demoDir: resolve(root, 'demo') };
  const server = await startWebServer({ ...options, port }).catch(() => startWebServer(options));
  const url = `${server.url}?demo=1`;
  const browser = findBrowser();
  if (browser !== undefined && hasDisplay()) {
    console.log(`Electron's binary is not installed here (npm run electron:install fetches it where downloads work), so Loupe runs in a ${browser} app window from ${url} (Ctrl-C to stop).`);
    const profile = join(homedir(), '.cache', 'loupe', 'browser-profile');
    mkdirSync(profile, { recursive: true });
    // Chromium refuses to run as root with its sandbox on; only then is it turned off.
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const args = [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...rootOnly];
    spawn(browser, args, { stdio: 'ignore', detached: true }).unref();
  } else {
    console.log(`Electron's binary is not installed here (npm run electron:install fetches it where downloads work) and no browser window can be opened: open ${url} in Chromium or Chrome (Ctrl-C to stop).`);
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
