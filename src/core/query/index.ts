export * from './ast';
export { parseQuery } from './parse';
export { compileQuery, globSource, parseTime, type CompiledQuery } from './evaluate';
export { countKept, niceBinWidth, topCounts, valueCodes } from './facets';
