import { describe, expect, it } from 'vitest';
import { IpcChannel } from '../../../src/shared/ipc';
import {
  MAX_SAVE_BYTES,
  appOriginOf,
  isAppUrl,
  isIpcChannel,
  isOpenEvidenceArgs,
  isSafeFileName,
  isSaveFileArgs,
  isSaveFileRequest,
  senderRefusal,
} from '../../../src/main/validate';

describe('origin check', () => {
  it.each([['app://loupe'], ['app://loupe/'], ['app://loupe/index.html?demo=1'], ['app://loupe/demo/manifest.json#x']])(
    'accepts %s',
    (url) => {
      expect(isAppUrl(url)).toBe(true);
      expect(appOriginOf(url)).toBe('app://loupe');
    },
  );

  it.each([
    ['app://loupe.evil/index.html'],
    ['app://loupe.evil'],
    ['app://evil.loupe/'],
    ['app://other/index.html'],
    ['app://loupe:8080/'],
    ['app://user@loupe/'],
    ['app://user:pw@loupe/'],
    ['https://loupe/index.html'],
    ['http://loupe/'],
    ['file:///index.html'],
    ['file://loupe/index.html'],
    ['apps://loupe/'],
    ['app:loupe'],
    ['app:///loupe'],
    ['about:blank'],
    ['blob:app://loupe/0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['devtools://devtools/bundled/inspector.html'],
    [''],
    ['app://loupe%2eevil/'],
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('senderRefusal', () => {
  it('accepts the app main frame', () => {
    expect(senderRefusal({ url: 'app://loupe/index.html?demo=1', parent: null })).toBeUndefined();
  });

  it('refuses a missing frame', () => {
    expect(senderRefusal(null)).toBe('no sender frame');
    expect(senderRefusal(undefined)).toBe('no sender frame');
  });

  it('refuses a subframe, even of the app origin', () => {
    const parent = { url: 'app://loupe/index.html', parent: null };
    expect(senderRefusal({ url: 'app://loupe/index.html', parent })).toBe('sender is a subframe');
  });

  it.each([['app://loupe.evil/'], ['https://loupe/'], ['file:///x.html'], ['app://other/'], ['about:blank']])(
    'refuses a main frame showing %s',
    (url) => {
      expect(senderRefusal({ url, parent: null })).toMatch(/origin/);
    },
  );
});

describe('isIpcChannel', () => {
  it('accepts the contract channels only', () => {
    expect(isIpcChannel(IpcChannel.openEvidence)).toBe(true);
    expect(isIpcChannel(IpcChannel.saveFile)).toBe(true);
    expect(isIpcChannel('loupe:exec')).toBe(false);
    expect(isIpcChannel('openEvidence')).toBe(false);
    expect(isIpcChannel('__proto__')).toBe(false);
    expect(isIpcChannel(42)).toBe(false);
  });
});

describe('openEvidence arguments', () => {
  it('accepts exactly one of files | folder', () => {
    expect(isOpenEvidenceArgs(['files'])).toBe(true);
    expect(isOpenEvidenceArgs(['folder'])).toBe(true);
  });

  it.each([[[]], [['file']], [['FILES']], [['files', 'folder']], [[{ kind: 'files' }]], [[null]], [[undefined]]])(
    'refuses %j',
    (args) => {
      expect(isOpenEvidenceArgs(args)).toBe(false);
    },
  );
});

describe('saveFile arguments', () => {
  const data = new Uint8Array([37, 80, 68, 70]);

  it('accepts a bare name and a Uint8Array (or Buffer)', () => {
    expect(isSaveFileArgs([{ suggestedName: 'loupe-report.pdf', data }])).toBe(true);
    expect(isSaveFileArgs([{ suggestedName: 'timeline 2024-05-01.ndjson', data: new Uint8Array(0) }])).toBe(true);
    expect(isSaveFileArgs([{ suggestedName: 'r.pdf', data: Buffer.from('x') }])).toBe(true);
    expect(isSaveFileArgs([{ suggestedName: 'a'.repeat(255), data }])).toBe(true);
    expect(isSaveFileArgs([Object.assign(Object.create(null) as object, { suggestedName: 'r.pdf', data })])).toBe(true);
  });

  it.each([
    ['../report.pdf'],
    ['/tmp/report.pdf'],
    ['dir/report.pdf'],
    ['..\\report.pdf'],
    ['C:\\report.pdf'],
    ['.'],
    ['..'],
    [''],
    ['   '],
    ['a'.repeat(256)],
    ['report\0.pdf'],
    ['report\n.pdf'],
    ['report\u202Efdp.exe'],
    [42],
    [null],
  ])('refuses suggested name %j', (suggestedName) => {
    expect(isSafeFileName(suggestedName)).toBe(false);
    expect(isSaveFileArgs([{ suggestedName, data }])).toBe(false);
  });

  it.each([
    ['an array', [1, 2, 3]],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['a DataView', new DataView(new ArrayBuffer(4))],
    ['an Int8Array', new Int8Array(4)],
    ['a Uint16Array', new Uint16Array(4)],
    ['a string', 'bytes'],
    ['an array-like', { length: 1, 0: 1 }],
    ['null', null],
  ])('refuses data that is %s', (_what, bad) => {
    expect(isSaveFileArgs([{ suggestedName: 'r.pdf', data: bad }])).toBe(false);
  });

  it('refuses data over the size cap without reading it', () => {
    const huge = { byteLength: MAX_SAVE_BYTES + 1 };
    Object.setPrototypeOf(huge, Uint8Array.prototype);
    expect(isSaveFileRequest({ suggestedName: 'r.pdf', data: huge })).toBe(false);
  });

  it('refuses wrong shapes: extra or missing fields, class instances, arrays, extra arguments', () => {
    expect(isSaveFileArgs([{ suggestedName: 'r.pdf', data, path: '/etc/passwd' }])).toBe(false);
    expect(isSaveFileArgs([{ suggestedName: 'r.pdf' }])).toBe(false);
    expect(isSaveFileArgs([{ data }])).toBe(false);
    expect(isSaveFileArgs([['r.pdf', data]])).toBe(false);
    expect(isSaveFileArgs([new (class { suggestedName = 'r.pdf'; data = new Uint8Array(1); })()])).toBe(false);
    expect(isSaveFileArgs([{ suggestedName: 'r.pdf', data }, 'extra'])).toBe(false);
    expect(isSaveFileArgs([])).toBe(false);
    expect(isSaveFileArgs(['r.pdf'])).toBe(false);
  });
});
