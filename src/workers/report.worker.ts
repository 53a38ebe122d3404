/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import type { PdfDocumentDefinition, ReportOptions } from '../core/report/index';
import { version } from '../../package.json';
import { database } from '../store';
import { builtinPackFiles } from './builtin-pack';
import type { ReportApi, ReportPdf } from './contract';
import { ReportService } from './report-service';

/** pdfmake (about 3 MB with its fonts) is loaded on the first PDF, not when the worker starts. */
async function renderPdf(definition: PdfDocumentDefinition): Promise<Uint8Array> {
  const [{ default: pdfMake }, { default: vfs }] = await Promise.all([import('pdfmake/build/pdfmake'), import('pdfmake/build/vfs_fonts')]);
  pdfMake.addVirtualFileSystem(vfs);
  // The report embeds only our own SVG charts and the bundled fonts: no URL is ever fetched.
  pdfMake.setUrlAccessPolicy(() => false);
  const buffer = await pdfMake.createPdf(definition).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const service = new ReportService(database, builtinPackFiles, renderPdf, `Loupe ${version}`);

const api: ReportApi = {
  preview: (caseId: string, options: ReportOptions, generation: number) => service.preview(caseId, options, generation),
  userActivity: (caseId: string, generation: number) => service.userActivity(caseId, generation),
  async pdf(caseId: string, options: ReportOptions, generation: number): Promise<ReportPdf> {
    const pdf = await service.pdf(caseId, options, generation);
    // The bytes move to the window instead of being copied.
    return transfer(pdf, [pdf.bytes.buffer]);
  },
};
expose(api);
