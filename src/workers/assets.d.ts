/** Vite's `?url` imports: the URL of a bundled asset (the xz decoder's .wasm). */
declare module '*?url' {
  const url: string;
  export default url;
}
