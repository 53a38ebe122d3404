export { LoupeDB, database, DATABASE_NAME } from './db';
export * from './records';
export * from './cases';
export * from './events';
export * from './rules';
export * from './findings';
export { MIGRATIONS } from './migrations';
export * from './annotations';
export * from './saved-searches';
