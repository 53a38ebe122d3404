import type { IngestSource } from '../../workers/contract';
import { fileSource } from '../host/web-host';

/** Reads every file of a drop, walking dropped folders; paths keep the folder names. */
export async function sourcesFromDrop(transfer: DataTransfer): Promise<IngestSource[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...transfer.files].map((f) => fileSource(f));
  const sources: IngestSource[] = [];
  for (const entry of entries) await walk(entry, sources);
  return sources;
}

async function walk(entry: FileSystemEntry, out: IngestSource[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push(fileSource(file, entry.fullPath));
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}
