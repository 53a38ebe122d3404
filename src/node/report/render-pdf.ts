import { createRequire as requireFor } from 'node:module';
import { dirname, join } from 'node:path';
import type { PdfDocumentDefinition } from '../../core/report/index';

/**
 * Renders a report's document definition with pdfmake in Node (the CLI). Fonts are pdfmake's own
 * Roboto files, read from its package; pdfmake may open those four files and nothing else, and no URL.
 */

interface PdfMakeNode {
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: PdfDocumentDefinition): { getBuffer(): Promise<Uint8Array> };
}

const load = requireFor(import.meta.url);
let instance: PdfMakeNode | undefined;

function pdfmake(): PdfMakeNode {
  if (instance !== undefined) return instance;
  const loaded = load('pdfmake') as PdfMakeNode;
  const dir = join(dirname(load.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  const files = {
    normal: join(dir, 'Roboto-Regular.ttf'),
    bold: join(dir, 'Roboto-Medium.ttf'),
    italics: join(dir, 'Roboto-Italic.ttf'),
    bolditalics: join(dir, 'Roboto-MediumItalic.ttf'),
  };
  const allowed = new Set(Object.values(files));
  loaded.setFonts({ Roboto: files });
  loaded.setUrlAccessPolicy(() => false);
  loaded.setLocalAccessPolicy((path) => allowed.has(path));
  instance = loaded;
  return loaded;
}

export async function renderPdf(definition: PdfDocumentDefinition): Promise<Uint8Array> {
  const buffer = await pdfmake().createPdf(definition).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
