import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, isInside, resolveInside, routeAppUrl } from '../../../src/main/paths';

const root = path.resolve('/srv/loupe/dist/renderer');

describe('resolveInside', () => {
  it('resolves a plain relative path under the root', () => {
    expect(resolveInside(root, 'index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, 'assets/app-1a2b.js')).toBe(path.join(root, 'assets', 'app-1a2b.js'));
  });

  it('decodes percent-encoding once', () => {
    expect(resolveInside(root, 'assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it.each([
    ['../../etc/passwd'],
    ['..'],
    ['assets/../../etc/passwd'],
    ['assets/../index.html'], // stays inside, still refused: no '..' at all
    ['%2e%2e/%2e%2e/etc/passwd'],
    ['%2E%2E%2F%2E%2E%2Fetc%2Fpasswd'],
    ['..%2F..%2Fetc%2Fpasswd'],
    ['..%5C..%5Cetc%5Cpasswd'],
    ['..\\..\\etc\\passwd'],
  ])('refuses traversal %s', (p) => {
    expect(resolveInside(root, p)).toBeUndefined();
  });

  it.each([['/etc/passwd'], ['%2Fetc%2Fpasswd'], ['//etc/passwd'], ['\\\\server\\share'], ['C:\\Windows\\win.ini'], ['c:/x']])(
    'refuses absolute path %s',
    (p) => {
      expect(resolveInside(root, p)).toBeUndefined();
    },
  );

  it.each([['index.html%00.png'], ['a\0b'], ['%00']])('refuses null bytes in %s', (p) => {
    expect(resolveInside(root, p)).toBeUndefined();
  });

  it('refuses malformed percent-encoding and the empty path', () => {
    expect(resolveInside(root, '%E0%A4%A')).toBeUndefined();
    expect(resolveInside(root, '%')).toBeUndefined();
    expect(resolveInside(root, '')).toBeUndefined();
  });

  it('does not treat a sibling folder sharing the prefix as inside', () => {
    expect(isInside(root, `${root}-evil/x`)).toBe(false);
    expect(isInside(root, root)).toBe(false);
    expect(isInside(root, path.join(root, 'x'))).toBe(true);
    // A name that merely starts with '..' is an ordinary file.
    expect(isInside(root, path.join(root, '..hidden'))).toBe(true);
  });
});

describe('routeAppUrl', () => {
  const token = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('sends / and paths to the renderer', () => {
    expect(routeAppUrl('app://loupe/')).toEqual({ kind: 'renderer', path: 'index.html' });
    expect(routeAppUrl('app://loupe/index.html?demo=1')).toEqual({ kind: 'renderer', path: 'index.html' });
    expect(routeAppUrl('app://loupe/assets/x.js#h')).toEqual({ kind: 'renderer', path: 'assets/x.js' });
  });

  it('sends /demo/ to the demo folder', () => {
    expect(routeAppUrl('app://loupe/demo/manifest.json')).toEqual({ kind: 'demo', path: 'manifest.json' });
  });

  it('sends /evidence/<token> to the registry, only with a well-formed token', () => {
    expect(routeAppUrl(`app://loupe/evidence/${token}`)).toEqual({ kind: 'evidence', token });
    expect(routeAppUrl(`app://loupe/evidence/${token}/x`).kind).toBe('refused');
    expect(routeAppUrl('app://loupe/evidence/__proto__').kind).toBe('refused');
    expect(routeAppUrl('app://loupe/evidence/').kind).toBe('refused');
    expect(routeAppUrl(`app://loupe/evidence/${token.toUpperCase()}`).kind).toBe('refused');
  });

  it('lets URL parsing drop dot segments before routing', () => {
    // '..' never survives into the path: the request lands on a (missing) renderer file instead.
    expect(routeAppUrl('app://loupe/demo/../../etc/passwd')).toEqual({ kind: 'renderer', path: 'etc/passwd' });
    expect(routeAppUrl('app://loupe/%2e%2e/%2e%2e/etc/passwd')).toEqual({ kind: 'renderer', path: 'etc/passwd' });
  });

  it('keeps encoded separators for resolveInside to refuse', () => {
    const route = routeAppUrl('app://loupe/demo/..%2F..%2Fetc%2Fpasswd');
    expect(route).toEqual({ kind: 'demo', path: '..%2F..%2Fetc%2Fpasswd' });
    expect(resolveInside('/srv/demo', route.kind === 'demo' ? route.path : '')).toBeUndefined();
  });

  it.each([['app://loupe.evil/index.html'], ['app://other/index.html'], ['https://loupe/index.html'], ['file:///etc/passwd'], ['not a url']])(
    'refuses other origins: %s',
    (url) => {
      expect(routeAppUrl(url).kind).toBe('refused');
    },
  );
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['worker.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index.CSS', 'text/css; charset=utf-8'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['hash.wasm', 'application/wasm'],
    ['icon.svg', 'image/svg+xml'],
    ['icon.png', 'image/png'],
    ['font.woff2', 'font/woff2'],
    ['rules.yml', 'text/yaml; charset=utf-8'],
  ])('%s -> %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });

  it('gives opaque bytes for unknown or missing extensions, and for inherited keys', () => {
    expect(contentTypeFor('var/log/kern.log')).toBe('application/octet-stream');
    expect(contentTypeFor('kern.log.2.gz')).toBe('application/octet-stream');
    expect(contentTypeFor('Makefile')).toBe('application/octet-stream');
    expect(contentTypeFor('x.constructor')).toBe('application/octet-stream');
    expect(contentTypeFor('x.__proto__')).toBe('application/octet-stream');
  });
});
