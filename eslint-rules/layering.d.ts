// Types for layering.js, so TypeScript tests can import the plain-JS rule under strict settings.
import type { Rule } from 'eslint';

export type LayerName = 'core' | 'store' | 'workers' | 'renderer' | 'preload' | 'main' | 'node' | 'cli' | 'shared';

export interface Layer {
  readonly imports: readonly LayerName[];
  readonly typeOnly: readonly LayerName[];
  readonly runs: string;
  readonly rule: string;
  readonly hint: string;
}

export declare const LAYERS: Readonly<Record<LayerName, Layer>>;
export declare const NODE_BUILTIN_LAYERS: readonly ['main', 'node', 'cli'];
export declare const PACKAGES: Readonly<Record<string, { readonly layers: readonly LayerName[]; readonly hint: string }>>;
export declare const PRELOAD_ELECTRON_NAMES: readonly string[];
export declare function layerOf(file: string, root: string, as?: { folder?: boolean }): string | undefined;

declare const rule: Rule.RuleModule;
export default rule;
