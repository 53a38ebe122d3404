/**
 * The benchmark page: reads what to run from the query string, runs it in a dedicated module
 * worker (store.bench.worker.ts) and leaves the outcome on window.__benchResults, then sets
 * window.__benchDone for scripts/bench.mjs to pick up.
 *   ?bench=store&events=1000000&seed=42&run=0
 *   ?bench=ingest&url=/data/syslog&path=var/log/syslog&bytes=…&lastModified=…&run=0
 */
import * as Comlink from 'comlink';
import type { BenchWorkerApi, IngestBenchResult, LayoutsResult, StoreResult } from './store.bench.worker';

export type BenchOutcome = StoreResult | IngestBenchResult | LayoutsResult | { readonly kind: 'error'; readonly message: string };

declare global {
  interface Window {
    __benchDone?: boolean;
    __benchResults?: BenchOutcome;
  }
}

function numberParam(params: URLSearchParams, name: string): number {
  const value = Number(params.get(name));
  if (!Number.isFinite(value)) throw new Error(`query parameter ${name} is not a number`);
  return value;
}

async function main(params: URLSearchParams): Promise<BenchOutcome> {
  // Same directory as this script; the name is fixed by scripts/bench.mjs's esbuild entry points.
  const worker = new Worker(new URL('store.bench.worker.js', location.href), { type: 'module', name: 'bench' });
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  const log = Comlink.proxy((text: string) => console.log(`[worker] ${text}`));
  try {
    const run = numberParam(params, 'run');
    switch (params.get('bench')) {
      case 'store':
        return await api.store({ events: numberParam(params, 'events'), seed: numberParam(params, 'seed'), run }, log);
      case 'layouts':
        return await api.layouts({ events: numberParam(params, 'events'), seed: numberParam(params, 'seed'), run }, log);
      case 'ingest':
        return await api.ingest({
          url: new URL(params.get('url') ?? '', location.href).href,
          path: params.get('path') ?? 'syslog',
          bytes: numberParam(params, 'bytes'),
          lastModified: numberParam(params, 'lastModified'),
          run,
        }, log);
      default:
        throw new Error(`unknown bench ${String(params.get('bench'))}`);
    }
  } finally {
    worker.terminate();
  }
}

const status = document.getElementById('status');
main(new URLSearchParams(location.search))
  .catch((error: unknown): BenchOutcome => ({ kind: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }))
  .then((outcome) => {
    window.__benchResults = outcome;
    window.__benchDone = true;
    if (status !== null) status.textContent = outcome.kind === 'error' ? 'failed' : 'done';
  });
