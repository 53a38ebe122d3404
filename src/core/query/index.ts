export * from './ast';
export { parseQuery } from './parse';
export { compileQuery, globSource, parseTime, type CompiledQuery } from './evaluate';
