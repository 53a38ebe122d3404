// Starts the store benchmark worker and hands its results to the runner (window.__bench).
const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./store.worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (message: MessageEvent<unknown>) => {
  (window as unknown as { __bench: unknown }).__bench = message.data;
};
worker.postMessage({ events: Number(params.get('events') ?? 1_000_000), runs: Number(params.get('runs') ?? 3) });
