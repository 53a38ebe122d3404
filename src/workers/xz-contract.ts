/** Messages between the ingest worker and the xz worker (xz.worker.ts). */
export interface XzRequest {
  readonly id: number;
  /** The compressed bytes, transferred. */
  readonly input: ReadableStream<Uint8Array>;
}

export type XzReply =
  | { readonly id: number; readonly output: ReadableStream<Uint8Array> }
  | { readonly id: number; readonly error: string };
