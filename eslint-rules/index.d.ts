// Types for index.js (the `loupe` plugin object).
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
