import { proxy, wrap, type Remote } from 'comlink';
import type { DetectApi, IngestApi, IngestProgress, QueryApi, ReportApi } from '../../workers/contract';

/** The workers of the app: ingest (CPU-bound parsing), query (timeline ordering and reads), detect and report. */
export interface Workers {
  readonly ingest: Remote<IngestApi>;
  readonly query: Remote<QueryApi>;
  readonly detect: Remote<DetectApi>;
  /** Builds reports (model and PDF with pdfmake) off the UI thread. */
  readonly report: Remote<ReportApi>;
}

/**
 * A worker started on its first call: opening a case needs only the query worker, and on two
 * cores three workers compiling their code at once delay its first rows.
 */
function lazyRemote<T>(start: () => Worker): Remote<T> {
  let remote: Remote<T> | undefined;
  return new Proxy({} as Remote<T>, {
    get: (_target, key) => {
      // Not a thenable: `await workers.ingest` must not start the worker.
      if (key === 'then') return undefined;
      remote ??= wrap<T>(start());
      return Reflect.get(remote as object, key) as unknown;
    },
  });
}

export function startWorkers(): Workers {
  const query = new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'query' });
  return {
    ingest: lazyRemote<IngestApi>(() => new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' })),
    query: wrap<QueryApi>(query),
    detect: lazyRemote<DetectApi>(() => new Worker(new URL('../../workers/detect.worker.ts', import.meta.url), { type: 'module', name: 'detect' })),
    report: lazyRemote<ReportApi>(() => new Worker(new URL('../../workers/report.worker.ts', import.meta.url), { type: 'module', name: 'report' })),
  };
}

/** Wraps a progress callback so it can cross to the worker. */
export function progressCallback(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  return proxy(fn);
}
