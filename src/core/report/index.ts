/** The report: inputs, the model built from them, its charts and its pdfmake document definition. */
export * from './inputs';
export * from './options';
export * from './model';
export * from './histogram';
export { histogramSvg, escapeXml, SEVERITY_COLORS } from './charts';
export { reportDocumentDefinition, REPORT_FONT, CONTENT_WIDTH, type PdfDocumentDefinition, type PdfNode, type PdfValue } from './pdf-document';
export { visibleText, pdfText, utcStamp, formatBytes, formatDuration } from './text';
export { reportEventOf, eventsInTimeOrder } from './events';
export { reportRulesOf } from './rules';
export { bundleManifests } from './bundles';
