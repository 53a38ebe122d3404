import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { SECURITY_HEADERS as APP_SECURITY_HEADERS } from '../shared/ipc';
import { contentTypeFor, resolveInside } from './safe-path';

/**
 * Serves the renderer build and the demo bundle on 127.0.0.1, for `npm start` without Electron,
 * the end-to-end tests and the benchmarks. Same headers as Electron's app:// handler: the CSP,
 * and cross-origin isolation so workers get the same powers as in the desktop app.
 */

export interface WebServerOptions {
  /** The renderer build (dist/renderer). */
  readonly rendererDir: string;
  /** Served under /demo/ when given. */
  readonly demoDir?: string;
  /** Extra folders served under /<prefix>/ (benchmarks, tests). */
  readonly mounts?: Readonly<Record<string, string>>;
  readonly port?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

// The app's own headers, plus no caching: the build changes under the same names.
const SECURITY_HEADERS = { ...APP_SECURITY_HEADERS, 'Cache-Control': 'no-store' };

export function startWebServer(options: WebServerOptions): Promise<RunningServer> {
  const mounts: [string, string][] = Object.entries({ ...(options.demoDir !== undefined ? { demo: options.demoDir } : {}), ...options.mounts });
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, SECURITY_HEADERS).end();
        return;
      }
      let root = options.rendererDir;
      let path = url.pathname === '/' ? '/index.html' : url.pathname;
      for (const [prefix, dir] of mounts) {
        if (path.startsWith(`/${prefix}/`)) {
          root = dir;
          path = path.slice(prefix.length + 1);
        }
      }
      const file = resolveInside(root, path.replace(/^\/+/, ''));
      const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
      if (file === undefined || info === undefined || !info.isFile()) {
        response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file), 'Content-Length': info.size });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
