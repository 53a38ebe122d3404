/**
 * What app://loupe answers: the renderer build, the demo bundle, and evidence files by token, each
 * response with the CSP and isolation headers. Uses only Node (fs, fetch's Request/Response), so
 * it is unit-tested without Electron; protocol.ts hands it to protocol.handle.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { SECURITY_HEADERS } from '../shared/ipc';
import type { EvidenceLookup } from './evidence-registry';
import { OCTET_STREAM, contentTypeFor, isInside, resolveInside, routeAppUrl } from './paths';

export interface AppProtocolRoots {
  /** dist/renderer: index.html and the Vite assets (inside app.asar when packaged). */
  readonly renderer: string;
  /** The demo bundle folder (resources/demo when packaged). */
  readonly demo: string;
}

/** Headers on every app:// response, errors included: one definition, shared with the web server. */
export { SECURITY_HEADERS };

function headers(contentType: string, extra: Readonly<Record<string, string>> = {}): Headers {
  return new Headers({ ...SECURITY_HEADERS, 'Content-Type': contentType, ...extra });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8') });
}

export const notFound = (): Response => textResponse(404, 'Not found');
export const internalError = (): Response => textResponse(500, 'Internal error');

/** A regular file's size, or undefined when it is missing, a folder or otherwise not servable. */
async function regularFileSize(filePath: string): Promise<number | undefined> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `filePath` with symlinks resolved, when it still lies inside `root` with its symlinks resolved.
 * Used for the demo folder, a plain folder on disk that a link could lead out of. Not for the
 * renderer: that is our own build inside app.asar, where containment by name is enough.
 */
async function realPathInside(root: string, filePath: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
    return isInside(realRoot, realFile) ? realFile : undefined;
  } catch {
    return undefined;
  }
}

/** Streams a file: evidence and demo logs can be gigabytes, so they are never read whole. */
function streamFile(filePath: string, size: number, contentType: string, head: boolean, extra?: Record<string, string>): Response {
  const responseHeaders = headers(contentType, { 'Content-Length': String(size), ...extra });
  if (head) return new Response(null, { status: 200, headers: responseHeaders });
  const body = Readable.toWeb(createReadStream(filePath)) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers: responseHeaders });
}

/** Builds the app:// request handler over the given roots and evidence tokens. */
export function createAppRequestHandler(
  roots: AppProtocolRoots,
  evidence: EvidenceLookup,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return textResponse(405, 'Method not allowed');

    const route = routeAppUrl(request.url);
    switch (route.kind) {
      case 'refused':
        return notFound();

      case 'evidence': {
        const filePath = evidence.lookup(route.token);
        if (filePath === undefined) return notFound();
        const size = await regularFileSize(filePath);
        if (size === undefined) return notFound();
        // Evidence is hostile: always opaque bytes whatever its name, and never cached.
        return streamFile(filePath, size, OCTET_STREAM, head, { 'Cache-Control': 'no-store' });
      }

      case 'demo': {
        const named = resolveInside(roots.demo, route.path);
        const filePath = named === undefined ? undefined : await realPathInside(roots.demo, named);
        if (filePath === undefined) return notFound();
        const size = await regularFileSize(filePath);
        if (size === undefined) return notFound();
        return streamFile(filePath, size, contentTypeFor(filePath), head);
      }

      case 'renderer': {
        const filePath = resolveInside(roots.renderer, route.path);
        if (filePath === undefined) return notFound();
        if ((await regularFileSize(filePath)) === undefined) return notFound();
        // Small files inside app.asar when packaged: read whole, which Electron's asar fs supports everywhere.
        let bytes: Buffer;
        try {
          bytes = await readFile(filePath);
        } catch {
          return notFound();
        }
        return new Response(head ? null : new Uint8Array(bytes), {
          status: 200,
          headers: headers(contentTypeFor(filePath), { 'Content-Length': String(bytes.byteLength) }),
        });
      }
    }
  };
}
