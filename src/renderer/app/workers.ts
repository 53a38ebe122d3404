import { proxy, wrap, type Remote } from 'comlink';
import type { DetectApi, IngestApi, IngestProgress, QueryApi, ReportApi } from '../../workers/contract';

/** The workers of the app: ingest (CPU-bound parsing) and query (timeline ordering and reads). */
export interface Workers {
  readonly ingest: Remote<IngestApi>;
  readonly query: Remote<QueryApi>;
  readonly detect: Remote<DetectApi>;
  /** Builds reports (model and PDF with pdfmake) off the UI thread. */
  readonly report: Remote<ReportApi>;
}

export function startWorkers(): Workers {
  const ingest = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  const query = new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'query' });
  const detect = new Worker(new URL('../../workers/detect.worker.ts', import.meta.url), { type: 'module', name: 'detect' });
  const report = new Worker(new URL('../../workers/report.worker.ts', import.meta.url), { type: 'module', name: 'report' });
  return { ingest: wrap<IngestApi>(ingest), query: wrap<QueryApi>(query), detect: wrap<DetectApi>(detect), report: wrap<ReportApi>(report) };
}

/** Wraps a progress callback so it can cross to the worker. */
export function progressCallback(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  return proxy(fn);
}
