/**
 * The sandboxed preload: the only code touching contextBridge and ipcRenderer. It exposes exactly
 * the DesktopApi of src/shared/ipc.ts as `window.loupeDesktop`; no generic invoke or send, so the
 * page can reach no channel but these three. Main validates the arguments again; this is not a trust boundary.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  IpcChannel,
  type DesktopApi,
  type EvidenceHandle,
  type OpenEvidenceKind,
  type SaveFileRequest,
  type SaveFileResult,
  type SaveReportRequest,
} from '../shared/ipc';

const api: DesktopApi = {
  openEvidence(kind: OpenEvidenceKind): Promise<readonly EvidenceHandle[]> {
    return ipcRenderer.invoke(IpcChannel.openEvidence, kind) as Promise<readonly EvidenceHandle[]>;
  },
  saveFile(request: SaveFileRequest): Promise<SaveFileResult> {
    // Only the two contract fields cross; anything else the page attached stays behind.
    const { suggestedName, data } = request;
    return ipcRenderer.invoke(IpcChannel.saveFile, { suggestedName, data }) as Promise<SaveFileResult>;
  },
  saveReport(request: SaveReportRequest): Promise<SaveFileResult> {
    const { suggestedName, data } = request;
    return ipcRenderer.invoke(IpcChannel.saveReport, { suggestedName, data }) as Promise<SaveFileResult>;
  },
};

contextBridge.exposeInMainWorld('loupeDesktop', api);
