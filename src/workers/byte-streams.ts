/**
 * Small reads of an ingest source outside the archive walk: a bundle fact file (hostname, date,
 * zone) read ahead of ingest, so a folder's facts are known before its first log.
 */
import type { IngestSource } from './contract';

async function rawStream(source: IngestSource): Promise<ReadableStream<Uint8Array>> {
  if (source.kind === 'file') return source.file.stream();
  const response = await fetch(source.url);
  if (!response.ok || response.body === null) throw new Error(`could not read ${source.path}: HTTP ${response.status}`);
  return response.body;
}

export async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Reads a small text file whole (hostname files). */
export async function readSmallText(source: IngestSource, maxBytes = 4096): Promise<string> {
  const stream = await rawStream(source);
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for await (const chunk of iterate(stream)) {
    read += chunk.length;
    text += decoder.decode(chunk, { stream: true });
    if (read >= maxBytes) break;
  }
  return text;
}
