import { proxy, wrap, type Remote } from 'comlink';
import type { IngestApi, IngestProgress, QueryApi } from '../../workers/contract';

/** The two workers of the app: ingest (CPU-bound parsing) and query (timeline ordering and reads). */
export interface Workers {
  readonly ingest: Remote<IngestApi>;
  readonly query: Remote<QueryApi>;
}

export function startWorkers(): Workers {
  const ingest = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  const query = new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'query' });
  return { ingest: wrap<IngestApi>(ingest), query: wrap<QueryApi>(query) };
}

/** Wraps a progress callback so it can cross to the worker. */
export function progressCallback(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  return proxy(fn);
}
