// The `handle` wrapper and the dialog handlers, with Electron replaced by a stub (it cannot run here).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcChannel, type EvidenceHandle, type IpcChannelName } from '../../../src/shared/ipc';

type Listener = (event: unknown, ...args: unknown[]) => unknown;

const electron = vi.hoisted(() => ({
  listeners: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  openPaths: [] as string[],
  savePath: '' as string,
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: Listener) => {
      electron.listeners.set(channel, listener);
    },
  },
  BrowserWindow: { fromWebContents: () => null },
  app: { getPath: () => '/home/analyst/Downloads' },
  dialog: {
    showOpenDialog: async () => ({ canceled: electron.openPaths.length === 0, filePaths: electron.openPaths }),
    showSaveDialog: async () => ({ canceled: electron.savePath === '', filePath: electron.savePath }),
  },
}));

const { handle, registerIpcHandlers } = await import('../../../src/main/ipc');
const { EvidenceRegistry } = await import('../../../src/main/evidence-registry');
const { isOpenEvidenceArgs } = await import('../../../src/main/validate');

const mainFrame = { url: 'app://loupe/index.html?demo=1', parent: null };
const eventFrom = (senderFrame: unknown): unknown => ({ senderFrame, sender: {} });

function invoke(channel: IpcChannelName, event: unknown, ...args: unknown[]): Promise<unknown> {
  const listener = electron.listeners.get(channel);
  if (listener === undefined) throw new Error(`no handler for ${channel}`);
  // Like ipcMain.handle, a throw becomes a rejected invoke.
  return Promise.resolve().then(() => listener(event, ...args));
}

let tmp: string;
const registry = new EvidenceRegistry();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'loupe-ipc-'));
  await mkdir(path.join(tmp, 'sosreport-x', 'var', 'log'), { recursive: true });
  await writeFile(path.join(tmp, 'sosreport-x', 'var', 'log', 'kern.log'), 'k\n');
  await writeFile(path.join(tmp, 'regiond.log.1'), 'r\n');
  registerIpcHandlers(registry);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  electron.openPaths = [];
  electron.savePath = '';
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

describe('handle', () => {
  it('refuses to register a channel outside the contract', () => {
    expect(() => handle('loupe:exec' as IpcChannelName, isOpenEvidenceArgs, async () => [])).toThrow(/unknown channel/);
  });

  it.each([
    ['no frame', null, /no sender frame/],
    ['a subframe', { url: 'app://loupe/index.html', parent: mainFrame }, /subframe/],
    ['another origin', { url: 'app://loupe.evil/index.html', parent: null }, /origin/],
    ['an https page', { url: 'https://loupe/', parent: null }, /origin/],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }, /origin/],
  ])('refuses a call from %s, and logs it', async (_what, frame, reason) => {
    await expect(invoke(IpcChannel.openEvidence, eventFrom(frame), 'files')).rejects.toThrow(reason);
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(reason));
  });

  it('refuses a call whose frame is gone (reading it throws)', async () => {
    const event = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    await expect(invoke(IpcChannel.openEvidence, event, 'files')).rejects.toThrow(/gone/);
  });

  it('refuses invalid arguments before the handler runs', async () => {
    await expect(invoke(IpcChannel.openEvidence, eventFrom(mainFrame), 'everything')).rejects.toThrow(/invalid arguments/);
    await expect(invoke(IpcChannel.openEvidence, eventFrom(mainFrame))).rejects.toThrow(/invalid arguments/);
    await expect(
      invoke(IpcChannel.saveFile, eventFrom(mainFrame), { suggestedName: '../../.bashrc', data: new Uint8Array(1) }),
    ).rejects.toThrow(/invalid arguments/);
  });
});

describe('openEvidence', () => {
  it('returns nothing when the dialog is cancelled', async () => {
    await expect(invoke(IpcChannel.openEvidence, eventFrom(mainFrame), 'files')).resolves.toEqual([]);
    await expect(invoke(IpcChannel.openEvidence, eventFrom(mainFrame), 'folder')).resolves.toEqual([]);
  });

  it('registers each picked file under a token, named by its base name', async () => {
    const picked = path.join(tmp, 'regiond.log.1');
    electron.openPaths = [picked, tmp /* a folder picked as a file is dropped */];
    const handles = (await invoke(IpcChannel.openEvidence, eventFrom(mainFrame), 'files')) as EvidenceHandle[];
    expect(handles).toHaveLength(1);
    expect(handles[0]).toMatchObject({ relativePath: 'regiond.log.1', size: 2 });
    expect(registry.lookup(handles[0]?.token ?? '')).toBe(picked);
  });

  it('walks a picked folder, paths starting with its name', async () => {
    electron.openPaths = [path.join(tmp, 'sosreport-x')];
    const handles = (await invoke(IpcChannel.openEvidence, eventFrom(mainFrame), 'folder')) as EvidenceHandle[];
    expect(handles.map((h) => h.relativePath)).toEqual(['sosreport-x/var/log/kern.log']);
    expect(registry.lookup(handles[0]?.token ?? '')).toBe(path.join(tmp, 'sosreport-x', 'var', 'log', 'kern.log'));
  });
});

describe('saveFile', () => {
  it('writes the bytes where the analyst chose', async () => {
    electron.savePath = path.join(tmp, 'report.pdf');
    const result = await invoke(IpcChannel.saveFile, eventFrom(mainFrame), {
      suggestedName: 'report.pdf',
      data: new Uint8Array([37, 80, 68, 70]),
    });
    expect(result).toEqual({ saved: true });
    expect(await readFile(electron.savePath, 'latin1')).toBe('%PDF');
  });

  it('saves a report through saveReport, refusing what is not a PDF', async () => {
    electron.savePath = path.join(tmp, 'incident.pdf');
    const pdf = new TextEncoder().encode('%PDF-1.3\n%%EOF');
    expect(await invoke(IpcChannel.saveReport, eventFrom(mainFrame), { suggestedName: 'incident.pdf', data: pdf })).toEqual({ saved: true });
    expect(await readFile(electron.savePath, 'latin1')).toBe('%PDF-1.3\n%%EOF');
    await expect(invoke(IpcChannel.saveReport, eventFrom(mainFrame), { suggestedName: 'incident.sh', data: pdf })).rejects.toThrow(/invalid arguments/);
    await expect(invoke(IpcChannel.saveReport, eventFrom(mainFrame), { suggestedName: 'incident.pdf', data: new TextEncoder().encode('#!/bin/sh\n') })).rejects.toThrow(/invalid arguments/);
  });

  it('saves nothing when the dialog is cancelled', async () => {
    const result = await invoke(IpcChannel.saveFile, eventFrom(mainFrame), { suggestedName: 'r.pdf', data: new Uint8Array(1) });
    expect(result).toEqual({ saved: false });
  });
});
