export * from './model/event';
export * from './model/block';
export * from './formats';
export * from './ingest/file-ingestor';
export * from './ingest/evidence-ingest';
export * from './bundle/layout';
export { LineSplitter, type LineSplitterStats, DEFAULT_MAX_LINE_BYTES } from './text/line-splitter';
export { summarizeEvent } from './model/summary';
export * from './model/aggregate';
