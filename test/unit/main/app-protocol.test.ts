import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/ipc';
import { createAppRequestHandler } from '../../../src/main/app-protocol';
import { EvidenceRegistry } from '../../../src/main/evidence-registry';

let tmp: string;
let handler: (request: Request) => Promise<Response>;
let registry: EvidenceRegistry;
let evidencePath: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'loupe-protocol-'));
  const renderer = path.join(tmp, 'dist', 'renderer');
  const demo = path.join(tmp, 'demo');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  await mkdir(path.join(demo, 'region', 'var', 'log'), { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Loupe</title>');
  await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(demo, 'manifest.json'), '{"files":["region/var/log/syslog"]}');
  await writeFile(path.join(demo, 'region', 'var', 'log', 'syslog'), 'May  1 00:00:00 host x\n');
  await writeFile(path.join(tmp, 'secret.txt'), 'secret');
  await symlink(tmp, path.join(renderer, 'up'));
  await symlink(tmp, path.join(demo, 'up'));
  await symlink(path.join(tmp, 'secret.txt'), path.join(demo, 'leak.txt'));
  await symlink(path.join(demo, 'manifest.json'), path.join(demo, 'alias.json'));
  evidencePath = path.join(tmp, 'evil.html');
  await writeFile(evidencePath, '<script>alert(1)</script>');
  registry = new EvidenceRegistry();
  handler = createAppRequestHandler({ renderer, demo }, registry);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const get = (url: string, method = 'GET'): Promise<Response> => handler(new Request(url, { method }));

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  expect(res.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('Content-Type')).not.toBeNull();
}

describe('app:// handler', () => {
  it('serves the renderer with its content type and the security headers', async () => {
    const res = await get('app://loupe/index.html?demo=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(res);
    expect(await res.text()).toContain('<title>Loupe</title>');
    const js = await get('app://loupe/assets/app.js');
    expect(js.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://loupe/')).status).toBe(200);
  });

  it('serves the demo bundle', async () => {
    const manifest = await get('app://loupe/demo/manifest.json');
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(manifest);
    const log = await get('app://loupe/demo/region/var/log/syslog');
    expect(log.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(await log.text()).toBe('May  1 00:00:00 host x\n');
  });

  it('streams a registered evidence file as opaque bytes, never as HTML', async () => {
    const token = registry.register(evidencePath);
    const res = await get(`app://loupe/evidence/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(res.headers.get('Content-Length')).toBe('25');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expectSecurityHeaders(res);
    expect(await res.text()).toBe('<script>alert(1)</script>');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://loupe/demo/manifest.json', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe(String('{"files":["region/var/log/syslog"]}'.length));
    expect(await res.text()).toBe('');
  });

  it.each([
    ['app://loupe/evidence/0f8fad5b-d9cb-469f-a165-70867728950e'], // well-formed, never handed out
    ['app://loupe/evidence/not-a-token'],
    ['app://loupe/evidence/'],
    ['app://loupe/missing.html'],
    ['app://loupe/assets'], // a folder
    ['app://loupe/demo/'],
    ['app://loupe/demo/..%2F..%2Fsecret.txt'],
    ['app://loupe/..%2F..%2Fsecret.txt'],
    ['app://loupe/%2e%2e/%2e%2e/secret.txt'],
    ['app://loupe/demo/%2e%2e/%2e%2e/secret.txt'],
    ['app://loupe/%2Ftmp%2Fsecret.txt'],
    ['app://loupe/index.html%00.png'],
    ['app://other/index.html'],
    ['app://loupe.evil/index.html'],
  ])('answers 404 with the security headers for %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expectSecurityHeaders(res);
  });

  it('refuses demo symlinks that lead out of the demo folder, and allows those that stay inside', async () => {
    expect((await get('app://loupe/demo/up/secret.txt')).status).toBe(404);
    expect((await get('app://loupe/demo/leak.txt')).status).toBe(404);
    expect((await get('app://loupe/demo/alias.json')).status).toBe(200);
  });

  it('checks renderer paths by name only: dist/renderer is our own build (inside app.asar when packaged)', async () => {
    // Documents the trust boundary rather than a wish: a link planted in the build would be followed.
    expect((await get('app://loupe/up/secret.txt')).status).toBe(200);
    expect((await get(`app://loupe/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`)).status).toBe(404);
  });

  it('refuses other methods', async () => {
    const res = await get('app://loupe/index.html', 'POST');
    expect(res.status).toBe(405);
    expectSecurityHeaders(res);
  });

  it('stops serving an evidence file that was replaced by a folder or removed', async () => {
    const gone = path.join(tmp, 'gone.log');
    await writeFile(gone, 'x');
    const token = registry.register(gone);
    await rm(gone);
    expect((await get(`app://loupe/evidence/${token}`)).status).toBe(404);
  });
});
