import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startWorkers } from './app/workers';
import { createDesktopHost } from './host/desktop-host';
import type { Host } from './host/host';
import { createWebHost } from './host/web-host';
import './styles.css';

// The composition root: the one place that knows whether this is Electron or a browser.
const host: Host = window.loupeDesktop !== undefined ? createDesktopHost(window.loupeDesktop) : createWebHost(new URL('./', window.location.href));
const loadDemo = new URLSearchParams(window.location.search).has('demo');
const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
document.documentElement.dataset['theme'] = window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
createRoot(root).render(
  <StrictMode>
    <App host={host} workers={startWorkers()} loadDemo={loadDemo} />
  </StrictMode>,
);
