export { LoupeDB, database, DATABASE_NAME } from './db';
export * from './records';
export * from './cases';
export * from './events';
export { MIGRATIONS } from './migrations';
export * from './annotations';
export * from './saved-searches';
