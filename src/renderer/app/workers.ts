import { proxy, wrap, type Remote } from 'comlink';
import type { DetectApi, IngestApi, IngestProgress, QueryApi } from '../../workers/contract';

/** The two workers of the app: ingest (CPU-bound parsing) and query (timeline ordering and reads). */
export interface Workers {
  readonly ingest: Remote<IngestApi>;
  readonly query: Remote<QueryApi>;
  readonly detect: Remote<DetectApi>;
}

export function startWorkers(): Workers {
  const ingest = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  const query = new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'query' });
  const detect = new Worker(new URL('../../workers/detect.worker.ts', import.meta.url), { type: 'module', name: 'detect' });
  return { ingest: wrap<IngestApi>(ingest), query: wrap<QueryApi>(query), detect: wrap<DetectApi>(detect) };
}

/** Wraps a progress callback so it can cross to the worker. */
export function progressCallback(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  return proxy(fn);
}
