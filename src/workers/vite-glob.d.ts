/** Vite's import.meta.glob, as builtin-pack.ts uses it (the workers build without vite/client types). */
interface ImportMeta {
  glob<T = unknown>(pattern: string | readonly string[], options: { readonly query?: string; readonly import?: string; readonly eager: true }): Record<string, T>;
}
