import type { DesktopApi } from '../../shared/ipc';
import { APP_ORIGIN } from '../../shared/ipc';
import { demoSourcesFrom, type Host } from './host';

declare global {
  interface Window {
    /** Present only in Electron, put there by the preload. */
    readonly loupeDesktop?: DesktopApi;
  }
}

/** Electron: native dialogs through the preload; evidence bytes are streamed from app://loupe/evidence/. */
export function createDesktopHost(api: DesktopApi): Host {
  return {
    kind: 'desktop',
    async pickEvidence(kind) {
      const handles = await api.openEvidence(kind);
      return handles.map((h) => ({
        kind: 'url' as const,
        url: `${APP_ORIGIN}/evidence/${encodeURIComponent(h.token)}`,
        path: h.relativePath,
        bytes: h.size,
        lastModified: h.lastModified,
      }));
    },
    async saveFile(suggestedName, data) {
      return (await api.saveFile({ suggestedName, data })).saved;
    },
    async saveReport(suggestedName, data) {
      return (await api.saveReport({ suggestedName, data })).saved;
    },
    demoSources: () => demoSourcesFrom(new URL(`${APP_ORIGIN}/`)),
  };
}
