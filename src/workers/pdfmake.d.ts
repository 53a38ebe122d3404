/** pdfmake's browser build (UMD) and its Roboto font files as a virtual file system; it ships no types. */
declare module 'pdfmake/build/pdfmake' {
  interface PdfMakeBrowser {
    addVirtualFileSystem(vfs: Record<string, string>): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
    createPdf(definition: object): { getBuffer(): Promise<Uint8Array> };
  }
  const pdfMake: PdfMakeBrowser;
  export default pdfMake;
}
declare module 'pdfmake/build/vfs_fonts' {
  const vfs: Record<string, string>;
  export default vfs;
}
