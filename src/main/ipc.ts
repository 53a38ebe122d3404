/**
 * The only place main listens to the renderer. `handle` is the single way to register a channel
 * (VS Code's validatedIpcMain): it refuses unknown channels, senders that are not the app's main
 * frame, and arguments that fail the channel's type guard, logging each refusal.
 */
import { BrowserWindow, app, dialog, ipcMain, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcChannel, type EvidenceHandle, type IpcChannelName } from '../shared/ipc';
import type { EvidenceRegistry } from './evidence-registry';
import { describePickedFile, walkEvidenceFolder, type FoundFile } from './evidence-walk';
import {
  isIpcChannel,
  isOpenEvidenceArgs,
  isSaveFileArgs,
  isSaveReportArgs,
  senderRefusal,
  type ArgsGuard,
  type ChannelArgs,
  type ChannelResult,
} from './validate';

export function handle<C extends IpcChannelName>(
  channel: C,
  validateArgs: ArgsGuard<ChannelArgs<C>>,
  fn: (event: IpcMainInvokeEvent, ...args: ChannelArgs<C>) => ChannelResult<C>,
): void {
  if (!isIpcChannel(channel)) throw new Error(`[ipc] refusing to register unknown channel ${JSON.stringify(channel)}`);
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    let refusal: string | undefined;
    try {
      refusal = senderRefusal(event.senderFrame);
    } catch {
      refusal = 'sender frame is gone'; // reading a disposed frame throws
    }
    if (refusal === undefined && !validateArgs(args)) refusal = 'invalid arguments';
    if (refusal !== undefined) {
      console.warn(`[ipc] refused ${channel}: ${refusal}`);
      throw new Error(`Refused ${channel}: ${refusal}`);
    }
    return fn(event, ...(args as ChannelArgs<C>));
  });
}

function ownerWindow(event: IpcMainInvokeEvent): BrowserWindow | undefined {
  return BrowserWindow.fromWebContents(event.sender) ?? undefined;
}

async function showOpenDialog(owner: BrowserWindow | undefined, options: OpenDialogOptions): Promise<readonly string[]> {
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** Registers the dialog channels. Paths stay in main; the renderer gets tokens (see evidence-registry.ts). */
export function registerIpcHandlers(registry: EvidenceRegistry): void {
  const toHandle = (file: FoundFile): EvidenceHandle => ({
    token: registry.register(file.absolutePath),
    relativePath: file.relativePath,
    size: file.size,
    lastModified: file.lastModified,
  });

  handle(IpcChannel.openEvidence, isOpenEvidenceArgs, async (event, kind) => {
    const owner = ownerWindow(event);
    if (kind === 'folder') {
      const [folder] = await showOpenDialog(owner, { title: 'Open evidence folder', properties: ['openDirectory'] });
      if (folder === undefined) return [];
      const { files, truncated, skipped } = await walkEvidenceFolder(folder);
      if (truncated) console.warn(`[ipc] ${folder}: stopped at ${files.length} files`);
      if (skipped > 0) console.warn(`[ipc] ${folder}: skipped ${skipped} symlinks, special files or unreadable folders`);
      return files.map(toHandle);
    }
    const picked = await showOpenDialog(owner, { title: 'Open evidence files', properties: ['openFile', 'multiSelections'] });
    const files = await Promise.all(picked.map((p) => describePickedFile(p)));
    return files.filter((f): f is FoundFile => f !== undefined).map(toHandle);
  });

  handle(IpcChannel.saveFile, isSaveFileArgs, async (event, { suggestedName, data }) => {
    const owner = ownerWindow(event);
    const options = { title: 'Save', defaultPath: path.join(app.getPath('downloads'), suggestedName) };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (result.canceled || result.filePath === undefined || result.filePath === '') return { saved: false };
    // The analyst chose this path in the dialog; the renderer never names one.
    await writeFile(result.filePath, data);
    return { saved: true };
  });

  handle(IpcChannel.saveReport, isSaveReportArgs, async (event, { suggestedName, data }) => {
    const owner = ownerWindow(event);
    const options = { title: 'Save incident report', defaultPath: path.join(app.getPath('documents'), suggestedName), filters: [{ name: 'PDF report', extensions: ['pdf'] }] };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (result.canceled || result.filePath === undefined || result.filePath === '') return { saved: false };
    await writeFile(result.filePath, data);
    return { saved: true };
  });
}
