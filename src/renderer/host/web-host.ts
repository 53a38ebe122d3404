import type { IngestSource } from '../../workers/contract';
import { demoSourcesFrom, type Host } from './host';

/** The path of a picked or dropped file inside what was chosen (folder picks keep their folders). */
export function fileSource(file: File, path?: string): IngestSource {
  const relative = path ?? (file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name);
  return { kind: 'file', file, path: relative.replace(/^\/+/, '') };
}

function pickWithInput(folder: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (folder) input.webkitdirectory = true;
    input.style.display = 'none';
    input.dataset['testid'] = folder ? 'pick-folder-input' : 'pick-files-input';
    input.addEventListener('change', () => {
      resolve([...(input.files ?? [])]);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

function download(suggestedName: string, data: Uint8Array, mimeType: string): boolean {
  const url = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer>], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = suggestedName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return true;
}

export function createWebHost(base: URL): Host {
  return {
    kind: 'web',
    async pickEvidence(kind) {
      return (await pickWithInput(kind === 'folder')).map((file) => fileSource(file));
    },
    async saveFile(suggestedName, data, mimeType) {
      return download(suggestedName, data, mimeType);
    },
    async saveReport(suggestedName, data) {
      return download(suggestedName, data, 'application/pdf');
    },
    demoSources: () => demoSourcesFrom(base),
  };
}
